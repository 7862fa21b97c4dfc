"""The keys a `ledger` command trusts, given on its command line as text or as files (one key a
line): the log's verifier keys and the witnesses' keys with a quorum. Light (click and the
ledger's notes, no service): the witness reads its logs' keys here too."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from projections.ledger.cosignature import WitnessKey
from projections.ledger.note import NoteError, Verifier
from projections.ledger.verify import TrustedKeys, VerificationError


def parse_verifier(key: str) -> Verifier:
    """One verifier key, as text or a file."""
    return trusted_keys((key,)).verifiers[0]


def key_text(given: str) -> str:
    """A key given on the command line: the file's text when `given` names a file, else itself."""
    return Path(given).read_text(encoding="ascii") if Path(given).is_file() else given


def trusted_keys(keys: tuple[str, ...], option: str = "--key") -> TrustedKeys:
    """Verifier keys given as text or as files (one key per line) to `option`, which a refusal
    names."""
    texts = [key_text(k) for k in keys]
    try:
        return TrustedKeys.parse(*texts)
    except NoteError as error:
        raise click.ClickException(f"{option}: {error}") from error


def witnessed(keys: TrustedKeys, witnesses: tuple[str, ...], quorum: int | None) -> TrustedKeys:
    """`keys` requiring `quorum` (default: all) cosignatures of the given witness keys."""
    try:
        parsed = [
            WitnessKey.parse(line)
            for w in witnesses
            for line in key_text(w).splitlines()
            if line.strip()
        ]
        return keys.with_witnesses(parsed, len(parsed) if quorum is None else quorum)
    except (NoteError, VerificationError) as error:
        raise click.ClickException(f"--witness/--quorum: {error}") from error


def witness_options(command: Any) -> Any:
    """--witness KEY (repeatable) and --quorum K."""
    command = click.option(
        "--quorum",
        type=click.IntRange(0),
        help="How many of the witnesses must have cosigned (default: all given).",
    )(command)
    return click.option(
        "--witness",
        "witnesses",
        multiple=True,
        help="A witness's verifier key (text or file) you trust; repeatable.",
    )(command)


_KEYS_HELP = (
    "The log's verifier keys (GET /api/v1/ledger/key: the checkpoint key and the act keys),"
    " as text or a file; repeatable."
)


def trusted_options(command: Callable[..., None]) -> Any:
    """--key KEY (required, repeatable) and the witness options, handed to `command` as
    `trusted`: the log's verifier keys, requiring those witnesses' cosignatures."""

    @functools.wraps(command)
    def with_trusted(
        keys: tuple[str, ...], witnesses: tuple[str, ...], quorum: int | None, **params: Any
    ) -> None:
        command(trusted=witnessed(trusted_keys(keys), witnesses, quorum), **params)

    with_keys = witness_options(with_trusted)
    return click.option("--key", "keys", required=True, multiple=True, help=_KEYS_HELP)(with_keys)
