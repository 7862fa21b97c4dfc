"""Key and secret files written once and readable by their owner only: the ledger's signing
keys (`ledger keys generate`, `ledger run`), a witness's key (`ledger witness init`) and the
development JWT secret. A file is created
atomically and never replaced, so processes racing to create it (gunicorn's workers) all end up
with the one that won."""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from projections.ledger.note import Signer


def write_new_key(path: Path, origin: str, exist_ok: bool = False) -> Signer:
    """Generate a signing key; the private file is created 0600, `<path>.pub` beside it.

    With `exist_ok`, a key another process created meanwhile is kept and returned.
    """
    signer = Signer.generate(origin)
    return write_key(path, signer, exist_ok)


def write_key(path: Path, signer: Signer, exist_ok: bool = False) -> Signer:
    """Write `signer` (0600, never overwriting) and its verifier key to `<path>.pub`."""
    if not create_once(path, signer.encode() + "\n"):
        if not exist_ok:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
        return Signer.parse(path.read_text(encoding="ascii"))
    Path(f"{path}.pub").write_text(signer.verifier.encode() + "\n", encoding="ascii")
    return signer


def dev_secret(path: Path) -> str:
    """Create the development secret once, atomically: gunicorn workers may race here."""
    if not path.exists():
        create_once(path, secrets.token_urlsafe(48))  # another process's, if it won the race
    return path.read_text().strip()


def create_once(path: Path, text: str) -> bool:
    """Write `text` to a new file at `path` that only this user may read (0600), atomically;
    False, and nothing written, when the file exists (another process may have won a race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    try:
        os.link(draft, path)  # atomic, and never replaces a file that exists
    except FileExistsError:
        return False
    finally:
        draft.unlink()
    return True
