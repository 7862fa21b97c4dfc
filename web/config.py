"""Settings read from the environment (or a test's dict) when the app or the CLI starts."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from limits import parse_many

from projections.db import Database
from projections.ledger.acts import ActKeys
from projections.ledger.note import NoteError, Signer, Verifier
from projections.ledger.store import LedgerStore
from projections.ledger.witnessing import WitnessConfigError, WitnessEndpoint, parse_witnesses
from projections.storage import Storage

DEFAULT_DATABASE_URL = "sqlite:///var/ledger.sqlite3"
DEV_SECRET_FILE = Path("var/dev-jwt-secret")
DEFAULT_ORIGIN = "initiative-ledger.example/dev"
DEFAULT_KEY_FILE = Path("var/ledger-key")
DEFAULT_ACT_KEY_FILE = Path("var/act-key")


class ConfigError(ValueError):
    """A setting is missing or unusable."""


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know about its deployment."""

    database_url: str
    database_schema: str
    jwt_algorithm: str
    jwt_key: str
    jwt_issuer: str
    jwt_audience: str
    jwt_leeway: int
    token_ttl: int
    max_content_length: int
    dev_secret: bool
    in_process_worker: bool
    read_wait_seconds: float
    ledger_origin: str
    ledger_key_file: Path
    ledger_verifier_key: str
    checkpoint_interval: float
    idempotency_ttl: float
    connect_timeout: int
    statement_timeout: float
    database_pool_size: int
    postgres_pool_size: int
    postgres_max_overflow: int
    secret_key: str
    session_ttl: int
    sign_in_picker: bool
    session_cookie_secure: bool
    act_key_file: Path
    act_verifier_keys: str
    seal_grace: float
    ledger_witnesses: str
    witness_quorum: int | None
    service_role: str
    production: bool
    verify_interval: float
    jwt_max_ttl: int
    reading_ttl: float
    heavy_reads: int
    proxy_hops: int
    rate_limit: str
    rate_limit_heavy: str
    ratelimit_storage_uri: str
    heavy_wait: float
    asof_cache: int

    def signer(self) -> Signer | None:
        """The checkpoint signing key, if this process has one."""
        if not self.ledger_key_file.exists():
            return None
        return Signer.parse(self.ledger_key_file.read_text(encoding="ascii"))

    def verifier(self) -> Verifier | None:
        """The checkpoint verifier key: configured, or derived from the signing key."""
        if self.ledger_verifier_key:
            return Verifier.parse(self.ledger_verifier_key)
        signer = self.signer()
        return signer.verifier if signer else None

    def act_keys(self, signing: bool) -> ActKeys:
        """The act keys of this process: web processes sign acts (`signing`), every process
        verifies them. ConfigError when a needed key is missing; in development (no
        JWT_SECRET) a missing act key is generated under var/."""
        path = self.act_key_file
        if not path.exists() and self.dev_secret:
            write_new_key(path, f"{self.ledger_origin}/acts", exist_ok=True)
        signer = None
        if path.exists():
            try:
                signer = Signer.parse(path.read_text(encoding="ascii"))
            except (NoteError, OSError, UnicodeDecodeError) as error:
                raise ConfigError(f"ACT_KEY_FILE {path}: {error}") from error
        if signing and signer is None:
            raise ConfigError(
                f"ACT_KEY_FILE {path} does not exist: a web process signs every act it records"
                " (create one with `ledger keys generate --acts`)"
            )
        verifiers = []
        for text in self.act_verifier_keys.replace(",", "\n").splitlines():
            if text.strip():
                try:
                    verifiers.append(Verifier.parse(text))
                except NoteError as error:
                    raise ConfigError(f"ACT_VERIFIER_KEYS: {error}") from error
        public = Path(f"{path}.pub")
        if signer is None and public.exists():
            verifiers.append(Verifier.parse(public.read_text(encoding="ascii")))
        keys = ActKeys.of(signer, verifiers)
        if not keys.verifiers:
            raise ConfigError(
                "no act verifier key: set ACT_VERIFIER_KEYS (or ACT_KEY_FILE with its .pub)"
                " so that acts recorded behind the service's back are refused"
            )
        return keys

    @cached_property
    def _witness_policy(self) -> tuple[tuple[WitnessEndpoint, ...], int]:
        """The witnesses and the quorum, parsed and checked once (`load` asks first)."""
        try:
            witnesses = parse_witnesses(self.ledger_witnesses)
        except WitnessConfigError as error:
            raise ConfigError(str(error)) from error
        count = len(witnesses)
        quorum = self.witness_quorum if self.witness_quorum is not None else min(1, count)
        if not 0 <= quorum <= count:
            raise ConfigError(
                f"LEDGER_WITNESS_QUORUM={quorum}: between 0 and the {count} witnesses configured"
            )
        return witnesses, quorum

    def witnesses(self) -> tuple[WitnessEndpoint, ...]:
        """The witnesses every new checkpoint is submitted to (LEDGER_WITNESSES)."""
        return self._witness_policy[0]

    def quorum(self) -> int:
        """How many witnesses must cosign a checkpoint before proofs use it: 1 by default
        when witnesses are configured, none without."""
        return self._witness_policy[1]

    def ledger_store(self, db: Database) -> LedgerStore:
        """The ledger as proofs are served from it: checkpoints meeting the witness policy."""
        witnesses, quorum = self._witness_policy
        return LedgerStore(db, tuple(w.key.name for w in witnesses), quorum)

    @property
    def storage(self) -> Storage:
        """The parsed database settings."""
        return Storage.from_url(
            self.database_url,
            self.database_schema,
            self.connect_timeout,
            self.statement_timeout,
            database_pool_size=self.database_pool_size,
            postgres_pool_size=self.postgres_pool_size,
            postgres_max_overflow=self.postgres_max_overflow,
        )

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None) -> Settings:
        """Read settings from the environment, then apply `overrides` (a test's dict)."""
        env: dict[str, Any] = {**os.environ, **(overrides or {})}
        algorithm = str(env.get("JWT_ALGORITHM", "HS256"))
        production = str(env.get("LEDGER_ENV", "")).strip().lower() == "production"
        if production:
            _require_production(env, algorithm)
        key, dev = _verification_key(env, algorithm)
        settings = cls(
            database_url=str(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            database_schema=str(env.get("DATABASE_SCHEMA", "")),
            jwt_algorithm=algorithm,
            jwt_key=key,
            jwt_issuer=str(env.get("JWT_ISSUER", "initiative-ledger")),
            jwt_audience=str(env.get("JWT_AUDIENCE", "initiative-ledger")),
            jwt_leeway=_whole(env, "JWT_LEEWAY", 30),
            token_ttl=_whole(env, "TOKEN_TTL", 8 * 3600),
            max_content_length=_whole(env, "MAX_CONTENT_LENGTH", 1_048_576),
            dev_secret=dev,
            in_process_worker=_flag(env.get("IN_PROCESS_WORKER"), default=False),
            read_wait_seconds=_seconds(env, "READ_WAIT_SECONDS", 5),
            ledger_origin=str(env.get("LEDGER_ORIGIN", DEFAULT_ORIGIN)),
            ledger_key_file=Path(str(env.get("LEDGER_KEY_FILE", DEFAULT_KEY_FILE))),
            ledger_verifier_key=str(env.get("LEDGER_VERIFIER_KEY", "")),
            checkpoint_interval=_seconds(env, "CHECKPOINT_INTERVAL", 10),
            idempotency_ttl=_seconds(env, "IDEMPOTENCY_TTL", 86_400),
            connect_timeout=_whole(env, "DATABASE_CONNECT_TIMEOUT", 2),
            statement_timeout=_seconds(env, "DATABASE_STATEMENT_TIMEOUT", 10),
            database_pool_size=_at_least_one(env, "DATABASE_POOL_SIZE", 4),
            postgres_pool_size=_whole(env, "POSTGRES_POOL_SIZE", 1),
            postgres_max_overflow=_whole(env, "POSTGRES_MAX_OVERFLOW", 10),
            secret_key=_session_secret(env, algorithm, key),
            session_ttl=_whole(env, "SESSION_TTL", 8 * 3600),
            sign_in_picker=_flag(env.get("SIGN_IN_PICKER"), default=dev) and not production,
            session_cookie_secure=production
            or _flag(env.get("SESSION_COOKIE_SECURE"), default=not dev),
            act_key_file=Path(str(env.get("ACT_KEY_FILE", DEFAULT_ACT_KEY_FILE))),
            act_verifier_keys=str(env.get("ACT_VERIFIER_KEYS", "")),
            seal_grace=_seconds(env, "LEDGER_SEAL_GRACE", 60),
            ledger_witnesses=str(env.get("LEDGER_WITNESSES", "")),
            service_role=str(env.get("LEDGER_SERVICE_ROLE", "")),
            verify_interval=_seconds(env, "LEDGER_VERIFY_INTERVAL", 3600),
            jwt_max_ttl=_whole(env, "JWT_MAX_TTL", 7 * 86400),
            reading_ttl=_seconds(env, "READING_TTL", 3600),
            heavy_reads=max(1, _whole(env, "HEAVY_READS", 1)),
            proxy_hops=_whole(env, "PROXY_HOPS", 0),
            rate_limit=_rate(env, "RATE_LIMIT", "300 per minute; 30 per second"),
            rate_limit_heavy=_rate(env, "RATE_LIMIT_HEAVY", "10 per minute"),
            ratelimit_storage_uri=str(env.get("RATELIMIT_STORAGE_URI", "")).strip(),
            heavy_wait=_seconds(env, "HEAVY_WAIT", 0),
            asof_cache=_whole(env, "ASOF_CACHE", 2),
            production=production,
            witness_quorum=(
                _whole(env, "LEDGER_WITNESS_QUORUM", 0)
                if env.get("LEDGER_WITNESS_QUORUM")
                else None
            ),
        )
        if settings.postgres_pool_size + settings.postgres_max_overflow < 1:
            raise ConfigError(
                "POSTGRES_POOL_SIZE + POSTGRES_MAX_OVERFLOW must be at least 1, not"
                f" {settings.postgres_pool_size} + {settings.postgres_max_overflow}"
            )
        settings.storage  # noqa: B018 - fail at start on a bad URL, not at the first request
        settings.quorum()  # and on unusable witnesses
        return settings

    def checkpoint_signer(self) -> Signer:
        """The checkpoint signing key of the worker; ConfigError when it cannot be read in
        production (in development the worker runs without one and says so)."""
        try:
            signer = self.signer()
        except (OSError, NoteError, UnicodeDecodeError) as error:
            raise ConfigError(f"LEDGER_KEY_FILE {self.ledger_key_file}: {error}") from error
        if signer is None:
            raise ConfigError(
                f"LEDGER_KEY_FILE {self.ledger_key_file} does not exist: the worker signs"
                " checkpoints with it (`ledger keys generate`)"
            )
        return signer


def _whole(env: Mapping[str, Any], name: str, default: int) -> int:
    """A whole-number setting; ConfigError naming it when it is not one (or negative)."""
    return int(_number(env, name, default, int, "a whole number"))


def _at_least_one(env: Mapping[str, Any], name: str, default: int) -> int:
    """A whole-number setting of 1 or more (a pool size); ConfigError naming it otherwise."""
    value = _whole(env, name, default)
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}")
    return value


def _rate(env: Mapping[str, Any], name: str, default: str) -> str:
    """A rate limit such as "300 per minute; 30 per second" ("off": none); ConfigError
    naming the setting when it cannot be read."""
    raw = str(env.get(name, default)).strip()
    if raw.lower() in ("off", "none", ""):
        return ""
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(
            f"{name} must be like '300 per minute; 30 per second' (or 'off'), not {raw!r}"
        ) from None
    return raw


def _seconds(env: Mapping[str, Any], name: str, default: float) -> float:
    """A number-of-seconds setting; ConfigError naming it when it is not one (or negative)."""
    return _number(env, name, default, float, "a number of seconds")


def _number(
    env: Mapping[str, Any], name: str, default: float, kind: type[float], what: str
) -> float:
    """A setting read with `kind` (int or float): finite and not negative, else ConfigError."""
    raw = env.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = kind(str(raw).strip())
    except ValueError:
        raise ConfigError(f"{name} must be {what}, not {str(raw)!r}") from None
    if kind is float and not 0 <= value < float("inf"):  # nan, inf, negative
        raise ConfigError(f"{name} must be a finite number of seconds ≥ 0, not {raw}")
    if value < 0:
        raise ConfigError(f"{name} must not be negative, not {value}")
    return value


def _require_production(env: Mapping[str, Any], algorithm: str) -> None:
    """LEDGER_ENV=production: refuse to start, in one line, while anything is missing."""
    missing = []
    if not env.get("DATABASE_URL"):
        missing.append("DATABASE_URL (postgresql://…)")
    if algorithm.startswith("HS") and not env.get("JWT_SECRET"):
        missing.append("JWT_SECRET (or JWT_ALGORITHM=RS256 with JWT_PUBLIC_KEY_FILE)")
    if not env.get("SECRET_KEY"):
        missing.append("SECRET_KEY (32+ characters)")
    if str(env.get("LEDGER_ORIGIN", DEFAULT_ORIGIN)) == DEFAULT_ORIGIN:
        missing.append("LEDGER_ORIGIN (the log's own name, e.g. ledger.hcm.gov.vn/initiatives)")
    if _flag(env.get("SIGN_IN_PICKER"), default=False):
        missing.append("SIGN_IN_PICKER off (the person picker is for development only)")
    if missing:
        raise ConfigError("LEDGER_ENV=production refuses to start; set " + "; ".join(missing))


def _flag(value: Any, default: bool) -> bool:
    """A yes/no setting: 1, true, y, yes (any case) or 0, false, n, no; unset: `default`."""
    if value is None or str(value).strip() == "":
        return default
    return str(value).strip().lower() in ("1", "true", "y", "yes")


def _session_secret(env: Mapping[str, Any], algorithm: str, jwt_key: str) -> str:
    """The key that signs page sessions and CSRF tokens.

    SECRET_KEY when set; else derived from the JWT secret (HS*) so that every worker agrees;
    with public-key tokens a development secret under var/.
    """
    if env.get("SECRET_KEY"):
        if len(str(env["SECRET_KEY"])) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters")
        return str(env["SECRET_KEY"])
    if algorithm.startswith("HS"):
        return hmac.new(jwt_key.encode(), b"page sessions", hashlib.sha256).hexdigest()
    return _dev_secret(Path(str(env.get("DEV_SESSION_SECRET_FILE", "var/dev-session-secret"))))


def _verification_key(env: Mapping[str, Any], algorithm: str) -> tuple[str, bool]:
    """The token verification key; in development a generated secret kept under var/."""
    if algorithm.startswith("HS"):
        secret = env.get("JWT_SECRET")
        if secret:
            if len(str(secret)) < 32:
                raise ConfigError("JWT_SECRET must be at least 32 characters")
            return str(secret), False
        return _dev_secret(Path(str(env.get("DEV_SECRET_FILE", DEV_SECRET_FILE)))), True
    key_file = env.get("JWT_PUBLIC_KEY_FILE")
    if not key_file:
        raise ConfigError(f"JWT_ALGORITHM={algorithm} needs JWT_PUBLIC_KEY_FILE")
    return Path(str(key_file)).read_text(encoding="ascii"), False


def write_new_key(path: Path, origin: str, exist_ok: bool = False) -> Signer:
    """Generate a signing key; the private file is created 0600, `<path>.pub` beside it.

    With `exist_ok`, a key another process created meanwhile is kept and returned.
    """
    signer = Signer.generate(origin)
    return write_key(path, signer, exist_ok)


def write_key(path: Path, signer: Signer, exist_ok: bool = False) -> Signer:
    """Write `signer` (0600, never overwriting) and its verifier key to `<path>.pub`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(signer.encode() + "\n")
    try:
        os.link(draft, path)  # atomic, and never replaces a key that exists
    except FileExistsError:
        if not exist_ok:
            raise
        return Signer.parse(path.read_text(encoding="ascii"))
    finally:
        draft.unlink()
    Path(f"{path}.pub").write_text(signer.verifier.encode() + "\n", encoding="ascii")
    return signer


def _dev_secret(path: Path) -> str:
    """Create the development secret once, atomically: gunicorn workers may race here."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # fails if another process won the race: use theirs
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
