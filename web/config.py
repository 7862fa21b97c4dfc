"""Settings read from the environment (or a test's dict) when the app or the CLI starts."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from projections.attachment_objects import S3_NAMES, ObjectStore, object_store
from projections.db import Database
from projections.ledger.acts import ActKeys
from projections.ledger.note import NoteError, Signer, Verifier
from projections.ledger.store import LedgerStore
from projections.ledger.witnessing import WitnessConfigError, WitnessEndpoint, parse_witnesses
from projections.signatures import load_trust_roots
from projections.storage import Storage
from web.key_files import dev_secret, write_new_key
from web.setting_fields import (
    NO,
    Flag,
    Rate,
    Seconds,
    TimeOfDay,
    Whole,
    address,
    choice,
    free_text,
    mailbox,
    path,
)

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
    dashboard_cache: bool
    dashboard_cache_bytes: int
    dashboard_cache_seconds: float
    metrics_token: str
    smtp_host: str
    smtp_port: int
    smtp_from: str
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    reminders_at: time | None
    reminders_days: str
    pages_url: str
    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    oidc_person_claim: str
    oidc_scopes: str

    @property
    def single_sign_on(self) -> bool:
        """Whether the pages offer single sign-on through the identity provider (OIDC_*)."""
        return bool(self.oidc_issuer)

    @property
    def oidc_origin(self) -> str:
        """scheme://host[:port] of the identity provider ("" without single sign-on)."""
        parts = urlsplit(self.oidc_issuer)
        return f"{parts.scheme}://{parts.netloc}" if self.oidc_issuer else ""

    node: str
    writer_url: str
    attachment_max_bytes: int
    attachment_trust_roots: tuple[Any, ...] | None  # the CA certificates, read at start
    # ATTACHMENT_S3_*: the S3-compatible store of the documents' bytes ("": none)
    attachment_s3_endpoint: str
    attachment_s3_bucket: str
    attachment_s3_access_key: str
    attachment_s3_secret_key: str
    attachment_s3_secret_key_file: str
    attachment_s3_region: str

    @cached_property
    def attachment_objects(self) -> ObjectStore | None:
        """The S3-compatible store that keeps the documents' bytes, or None (the database)."""
        try:
            return object_store({n: getattr(self, n.lower()) for n in S3_NAMES}, self.production)
        except ValueError as error:
            raise ConfigError(str(error)) from None

    @property
    def reader(self) -> bool:
        """A reader web node (LEDGER_NODE=reader): it answers reads from a PostgreSQL replica and
        never writes; commands and the pages go to the writer web nodes (WRITER_URL)."""
        return self.node == "reader"

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
            connect_timeout=self.connect_timeout,
            statement_timeout=self.statement_timeout,
            database_pool_size=self.database_pool_size,
            postgres_pool_size=self.postgres_pool_size,
            postgres_max_overflow=self.postgres_max_overflow,
            read_only=self.reader,
        )

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None) -> Settings:
        """Read settings from the environment, then apply `overrides` (a test's dict).

        Every setting is checked before any is used: a bad one is a ConfigError of one line
        naming it. An empty value counts as unset (its default)."""
        env = {
            name: str(value).strip()
            for name, value in {**os.environ, **(overrides or {})}.items()
            if value is not None and str(value).strip() != ""
        }
        if "LEDGER_ENV" in env:
            env["LEDGER_ENV"] = env["LEDGER_ENV"].lower()
        try:
            plain: dict[str, Any] = _ENVIRONMENT.load(env)
        except ValidationError as error:
            raise ConfigError(_one_line(error.messages_dict)) from None
        production = plain.pop("mode") == "production"
        algorithm = plain["jwt_algorithm"]
        if production:
            _require_production(env, algorithm)
        key, dev = _verification_key(env, algorithm)
        picker, secure, quorum = (
            plain.pop(name)
            for name in ("sign_in_picker", "session_cookie_secure", "witness_quorum")
        )
        settings = cls(
            **plain,
            jwt_key=key,
            dev_secret=dev,
            secret_key=_session_secret(env, algorithm, key),
            sign_in_picker=(dev if picker is None else picker) and not production,
            session_cookie_secure=production or (not dev if secure is None else secure),
            production=production,
            witness_quorum=None if quorum is _UNSET else quorum,
        )
        if settings.postgres_pool_size + settings.postgres_max_overflow < 1:
            raise ConfigError(
                "POSTGRES_POOL_SIZE + POSTGRES_MAX_OVERFLOW must be at least 1, not"
                f" {settings.postgres_pool_size} + {settings.postgres_max_overflow}"
            )
        _check_mail(settings)
        _check_single_sign_on(settings)
        _check_node(settings)
        settings.storage  # noqa: B018 - fail at start on a bad URL, not at the first request
        settings.attachment_objects  # noqa: B018 - and on partial ATTACHMENT_S3_* settings
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


# Settings read from the environment: one declaration each (name, kind, default, check), loaded
# by marshmallow like a request body, so that every bad value is named in one line.

_UNSET: Any = object()  # a setting with no default of its own (LEDGER_WITNESS_QUORUM)


def _trust_roots(value: str) -> tuple[Any, ...]:
    try:
        return load_trust_roots(Path(value))
    except ValueError as error:
        raise ValidationError(str(error)) from None


class _Environment(Schema):
    """The settings taken as they are written (the derived ones are worked out in `load`)."""

    class Meta:
        unknown = EXCLUDE  # the rest of the environment

    database_url = free_text("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_schema = free_text("DATABASE_SCHEMA")
    jwt_algorithm = free_text("JWT_ALGORITHM", "HS256")
    jwt_issuer = free_text("JWT_ISSUER", "initiative-ledger")
    jwt_audience = free_text("JWT_AUDIENCE", "initiative-ledger")
    jwt_leeway = Whole("JWT_LEEWAY", 30)
    jwt_max_ttl = Whole("JWT_MAX_TTL", 7 * 86400)
    token_ttl = Whole("TOKEN_TTL", 8 * 3600)
    max_content_length = Whole("MAX_CONTENT_LENGTH", 1_048_576)
    in_process_worker = Flag("IN_PROCESS_WORKER", False)
    read_wait_seconds = Seconds("READ_WAIT_SECONDS", 5)
    ledger_origin = free_text("LEDGER_ORIGIN", DEFAULT_ORIGIN)
    ledger_key_file = path("LEDGER_KEY_FILE", DEFAULT_KEY_FILE)
    ledger_verifier_key = free_text("LEDGER_VERIFIER_KEY")
    checkpoint_interval = Seconds("CHECKPOINT_INTERVAL", 10)
    idempotency_ttl = Seconds("IDEMPOTENCY_TTL", 86_400)
    connect_timeout = Whole("DATABASE_CONNECT_TIMEOUT", 2)
    statement_timeout = Seconds("DATABASE_STATEMENT_TIMEOUT", 10)
    database_pool_size = Whole("DATABASE_POOL_SIZE", 4, minimum=1)
    postgres_pool_size = Whole("POSTGRES_POOL_SIZE", 1)
    postgres_max_overflow = Whole("POSTGRES_MAX_OVERFLOW", 10)
    session_ttl = Whole("SESSION_TTL", 8 * 3600)
    act_key_file = path("ACT_KEY_FILE", DEFAULT_ACT_KEY_FILE)
    act_verifier_keys = free_text("ACT_VERIFIER_KEYS")
    seal_grace = Seconds("LEDGER_SEAL_GRACE", 60)
    ledger_witnesses = free_text("LEDGER_WITNESSES")
    service_role = free_text("LEDGER_SERVICE_ROLE")
    verify_interval = Seconds("LEDGER_VERIFY_INTERVAL", 3600)
    reading_ttl = Seconds("READING_TTL", 3600)
    heavy_reads = Whole("HEAVY_READS", 1, minimum=1)
    heavy_wait = Seconds("HEAVY_WAIT", 0)
    proxy_hops = Whole("PROXY_HOPS", 0)
    rate_limit = Rate("RATE_LIMIT", "300 per minute; 30 per second")
    rate_limit_heavy = Rate("RATE_LIMIT_HEAVY", "10 per minute")
    ratelimit_storage_uri = free_text("RATELIMIT_STORAGE_URI")
    asof_cache = Whole("ASOF_CACHE", 2)
    # The dashboards' shared answer cache (web/answers.py): on or off, its deflated size at
    # most (the oldest answers go first), and how long an answer is kept.
    dashboard_cache = Flag("DASHBOARD_CACHE", True)
    dashboard_cache_bytes = Whole("DASHBOARD_CACHE_BYTES", 128 * 1024 * 1024, minimum=1024)
    dashboard_cache_seconds = Seconds("DASHBOARD_CACHE_SECONDS", 86400)
    # The bearer token of the metrics scraper (web/metrics.py); unset: /metrics is a 404.
    metrics_token = fields.String(
        data_key="METRICS_TOKEN",
        load_default="",
        validate=validate.Regexp(
            r"\A[!-~]{32,}\Z",
            error="must be 32 or more visible ASCII characters (e.g. `openssl rand -hex 32`)",
        ),
    )
    # Mail (web/reminders.py): the SMTP server the reminders go through. SMTP_USER and
    # SMTP_PASSWORD log in after STARTTLS; `_check_mail` refuses a login without it.
    smtp_host = free_text("SMTP_HOST")
    smtp_port = Whole("SMTP_PORT", 25, minimum=1)
    smtp_from = fields.String(data_key="SMTP_FROM", load_default="", validate=mailbox)
    smtp_user = free_text("SMTP_USER")
    smtp_password = free_text("SMTP_PASSWORD")
    smtp_starttls = Flag("SMTP_STARTTLS", False)
    # The daily reminders: the worker sends them at this time of day in Vietnam (unset: never),
    # on working days (or every day).
    reminders_at = TimeOfDay("REMINDERS_AT")
    reminders_days = choice("REMINDERS_DAYS", ("working", "all"))
    # Where people open the pages (https://…): links in the reminders; unset: no links.
    pages_url = address("PAGES_URL")
    # Single sign-on (web/pages/sso.py): the province's OpenID provider, this service's client
    # there, the claim that names the directory person, and the scopes asked for.
    oidc_issuer = address("OIDC_ISSUER", "the provider's issuer, an http:// or https:// address")
    oidc_client_id = free_text("OIDC_CLIENT_ID")
    oidc_client_secret = free_text("OIDC_CLIENT_SECRET")
    oidc_person_claim = fields.String(
        data_key="OIDC_PERSON_CLAIM",
        load_default="preferred_username",
        validate=validate.Regexp(r"\A[!-~]+\Z", error="must be one claim name, not {input!r}"),
    )
    oidc_scopes = free_text("OIDC_SCOPES", "openid profile")
    # A web node that writes (the default) or one that reads a replica (docs/operations.md
    # "Read replicas and topology"), and where a reader sends commands.
    node = choice("LEDGER_NODE", ("writer", "reader"))
    writer_url = address("WRITER_URL")
    # Documents (web/api/attachments.py): the largest upload, and the PEM bundle of the CAs a
    # PDF's signatures are validated against (unset: "not checked").
    attachment_max_bytes = Whole("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
    attachment_trust_roots = fields.Function(
        deserialize=_trust_roots, data_key="ATTACHMENT_TRUST_ROOTS", load_default=None
    )
    # The S3-compatible store of the documents' bytes (projections/attachment_objects.py);
    # unset: the database keeps them.
    attachment_s3_endpoint = address(
        "ATTACHMENT_S3_ENDPOINT", "the object store's address, https://host[:port]"
    )
    attachment_s3_bucket = free_text("ATTACHMENT_S3_BUCKET")
    attachment_s3_access_key = free_text("ATTACHMENT_S3_ACCESS_KEY")
    attachment_s3_secret_key = free_text("ATTACHMENT_S3_SECRET_KEY")
    attachment_s3_secret_key_file = free_text("ATTACHMENT_S3_SECRET_KEY_FILE")
    attachment_s3_region = free_text("ATTACHMENT_S3_REGION")
    # Read here, used by `load` to work out the settings of the same name.
    mode = choice("LEDGER_ENV", ("development", "production"))
    witness_quorum = Whole("LEDGER_WITNESS_QUORUM", _UNSET)
    sign_in_picker = Flag("SIGN_IN_PICKER", None)
    session_cookie_secure = Flag("SESSION_COOKIE_SECURE", None)


_ENVIRONMENT = _Environment()


def _one_line(messages: Any) -> str:
    """marshmallow's errors ({"JWT_LEEWAY": ["must be …"]}) as one line naming each setting."""
    return "; ".join(
        f"{name} {' '.join(str(m) for m in problems)}"
        for name, problems in sorted(messages.items())
    )


def _require_production(env: Mapping[str, Any], algorithm: str) -> None:
    """LEDGER_ENV=production: refuse to start, in one line, while anything is missing."""
    missing = []
    if not env.get("DATABASE_URL"):
        missing.append("DATABASE_URL (postgresql://…)")
    if algorithm.startswith("HS") and not env.get("JWT_SECRET"):
        missing.append("JWT_SECRET (or JWT_ALGORITHM=RS256 with JWT_PUBLIC_KEY_FILE)")
    if not env.get("SECRET_KEY"):
        missing.append("SECRET_KEY (32+ characters)")
    if env.get("LEDGER_ORIGIN", DEFAULT_ORIGIN) == DEFAULT_ORIGIN:
        missing.append("LEDGER_ORIGIN (the log's own name, e.g. ledger.hcm.gov.vn/initiatives)")
    if env.get("SIGN_IN_PICKER", "off").lower() not in NO:
        missing.append("SIGN_IN_PICKER off (the person picker is for development only)")
    if env.get("LEDGER_NODE") == "reader" and not env.get("WRITER_URL"):
        missing.append("WRITER_URL (where a reader node sends commands: the writer web nodes)")
    if missing:
        raise ConfigError("LEDGER_ENV=production refuses to start; set " + "; ".join(missing))


def _check_mail(settings: Settings) -> None:
    """The mail settings hang together: the reminders need a server and a sender, and a
    password never crosses the network in clear."""
    if settings.smtp_port > 65535:
        raise ConfigError(
            f"SMTP_PORT must be a port number (1 to 65535), not {settings.smtp_port}"
        )
    if (settings.smtp_user or settings.smtp_password) and not settings.smtp_starttls:
        raise ConfigError(
            "SMTP_USER and SMTP_PASSWORD need SMTP_STARTTLS=on (the password would cross the"
            " network in clear)"
        )
    if bool(settings.smtp_user) != bool(settings.smtp_password):
        raise ConfigError("SMTP_USER and SMTP_PASSWORD go together: set both or neither")
    if settings.reminders_at is not None and not (settings.smtp_host and settings.smtp_from):
        raise ConfigError("REMINDERS_AT needs SMTP_HOST and SMTP_FROM (where and from whom)")


def _check_single_sign_on(settings: Settings) -> None:
    """The single sign-on settings hang together: all three or none, an issuer a token can
    name (no query, no fragment), HTTPS in production, and the `openid` scope."""
    given = {
        "OIDC_ISSUER": settings.oidc_issuer,
        "OIDC_CLIENT_ID": settings.oidc_client_id,
        "OIDC_CLIENT_SECRET": settings.oidc_client_secret,
    }
    missing = [name for name, value in given.items() if not value]
    if missing and len(missing) < len(given):
        raise ConfigError(
            "single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together;"
            f" missing {', '.join(missing)}"
        )
    if not settings.oidc_issuer:
        return
    parts = urlsplit(settings.oidc_issuer)
    if parts.query or parts.fragment:
        raise ConfigError(
            f"OIDC_ISSUER must be the provider's issuer, without ? or #, not"
            f" {settings.oidc_issuer!r}"
        )
    if settings.production and parts.scheme != "https":
        raise ConfigError(
            f"OIDC_ISSUER must be an https:// address in production, not {settings.oidc_issuer!r}"
        )
    if "openid" not in settings.oidc_scopes.split():
        raise ConfigError(f"OIDC_SCOPES must include openid, not {settings.oidc_scopes!r}")


def _check_node(settings: Settings) -> None:
    """A reader node never writes: it reads a PostgreSQL replica, runs no worker and keeps
    no rate-limit counters in the database (a replica cannot write them)."""
    if not settings.reader:
        return
    if not settings.database_url.startswith(("postgresql:", "postgres:")):
        raise ConfigError(
            "LEDGER_NODE=reader reads a PostgreSQL replica: DATABASE_URL must be"
            " postgresql://… (the replica), not SQLite"
        )
    if settings.in_process_worker:
        raise ConfigError(
            "LEDGER_NODE=reader never writes: IN_PROCESS_WORKER must be off (the worker runs"
            " against the primary)"
        )
    if settings.ratelimit_storage_uri.startswith("ledgerdb"):
        raise ConfigError(
            "LEDGER_NODE=reader cannot keep rate-limit counters in the database (a replica"
            " is read-only): leave RATELIMIT_STORAGE_URI unset (memory) or use redis://…"
        )


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
    return dev_secret(Path(str(env.get("DEV_SESSION_SECRET_FILE", "var/dev-session-secret"))))


def _verification_key(env: Mapping[str, Any], algorithm: str) -> tuple[str, bool]:
    """The token verification key; in development a generated secret kept under var/."""
    if algorithm.startswith("HS"):
        secret = env.get("JWT_SECRET")
        if secret:
            if len(str(secret)) < 32:
                raise ConfigError("JWT_SECRET must be at least 32 characters")
            return str(secret), False
        return dev_secret(Path(str(env.get("DEV_SECRET_FILE", DEV_SECRET_FILE)))), True
    key_file = env.get("JWT_PUBLIC_KEY_FILE")
    if not key_file:
        raise ConfigError(f"JWT_ALGORITHM={algorithm} needs JWT_PUBLIC_KEY_FILE")
    return Path(str(key_file)).read_text(encoding="ascii"), False
