"""The container files (README "Containers"): Dockerfile, .dockerignore, compose.yaml and
.env.example.

CI has no Docker engine, and Debian's packages here hold no Docker Compose v2, so compose.yaml is
checked without them, from nothing but the repository (no network):

* against the Compose Specification's JSON schema (tests/data/compose-spec.json, copied from
  github.com/compose-spec/compose-spec; tests/data/compose-spec.md), after the interpolation of
  its `${…}` with the values of .env.example, as Docker Compose does;
* against the service itself: every command is a `ledger` command with options it has, or the
  Procfile's line; every process is given what `web/config.py` requires in production (the
  real `_require_production` and `Settings.load`), each key file is mounted where its setting
  points — and only into the process that holds it (docs/ledger.md §7a) — and loads;
* for secrets: no password, token secret or key is written in a checked-in file, .env and
  secrets/ are neither committed nor sent to the image build.

Where `docker compose` is installed, the last test also asks it (`docker compose config`).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import click
import jsonschema_rs
import pytest
import yaml

from projections.ledger.cosignature import WitnessSigner
from projections.ledger.note import Verifier
from web import cli
from web.config import ConfigError, Settings, _require_production
from web.key_files import write_new_key

ROOT = Path(__file__).resolve().parents[2]
LEDGER_SERVICES = ("migrate", "web", "worker")
# What the operator fills in .env (README "Containers"): values for the tests.
FILLED = {
    "LEDGER_ORIGIN": "ledger.example.test/initiatives",
    "POSTGRES_PASSWORD": "0a" * 16,
    "LEDGER_DB_PASSWORD": "1b" * 16,
    "SECRET_KEY": "2c" * 32,
    "JWT_SECRET": "3d" * 32,
}
# A variable, or an environment setting, that holds a secret (or a key) by its name.
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE|_KEY$")
INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)
# Key material as `ledger keys generate` / `ledger witness init` write it, or PEM.
KEY_MATERIAL = re.compile(r"PRIVATE\+KEY\+|-----BEGIN [A-Z ]*PRIVATE KEY-----")


# --- reading the files ------------------------------------------------------------------------


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def env_example() -> dict[str, str]:
    """.env.example's `KEY=value` lines (as Docker Compose reads a .env file)."""
    found = {}
    for line in text(".env.example").splitlines():
        match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", line.strip())
        if match:
            value = match[2].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            found[match[1]] = value
    return found


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """Docker Compose's interpolation of `${NAME}`, `${NAME:-default}`, `${NAME:?error}`
    (and their forms without `:`) and `$$`, through lists and mappings."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        name = match["name"] or match["bare"]
        op, arg = match["op"] or "", match["arg"] or ""
        given = env.get(name)
        unset = given is None or (op.startswith(":") and given == "")
        if op.endswith("?") and unset:
            raise AssertionError(f"compose.yaml: required variable {name} is unset: {arg}")
        if op.endswith("-") and unset:
            return arg
        return given or ""

    return INTERPOLATION.sub(substitute, value)


def compose_raw() -> dict[str, Any]:
    """compose.yaml as YAML (anchors and `<<` merges resolved), before interpolation."""
    data = yaml.safe_load(text("compose.yaml"))
    assert isinstance(data, dict)
    return data


def compose(extra: Mapping[str, str] | None = None) -> dict[str, Any]:
    """compose.yaml interpolated with .env.example, the operator's values and `extra`."""
    env = {**env_example(), **FILLED, **(extra or {})}
    resolved: dict[str, Any] = interpolate(compose_raw(), env)
    return resolved


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "write each service's environment as a mapping"
    return {key: "" if value is None else str(value) for key, value in env.items()}


def procfile() -> dict[str, list[str]]:
    """The Procfile's processes as argument lists, without the LEDGER_ENV default (the image
    sets LEDGER_ENV=production, and compose.yaml sets it too)."""
    lines = {}
    for line in text("Procfile").splitlines():
        name, _, command = line.partition(":")
        command = re.sub(r"^LEDGER_ENV=\$\{LEDGER_ENV:-production\}\s+", "", command.strip())
        lines[name.strip()] = shlex.split(command)
    return lines


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    lines = [line for line in text("Dockerfile").splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def env_pairs(arguments: str) -> dict[str, str]:
    """`ENV`/`ARG`/`LABEL` arguments: KEY=value pairs (values may be quoted)."""
    return dict(item.partition("=")[::2] for item in shlex.split(arguments))


def docker_ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (the last matching pattern
    decides; a pattern that matches a directory matches what it holds)."""
    ignored = False
    for raw in text(".dockerignore").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        if pattern.startswith("**/"):
            hit = any(fnmatchcase(part, pattern[3:]) for part in parts)
        else:
            hit = any(
                fnmatchcase(prefix, pattern) and prefix.count("/") == pattern.count("/")
                for prefix in prefixes
            )
        if hit:
            ignored = not negated
    return ignored


# --- the Compose Specification --------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> jsonschema_rs.Draft7Validator:
    spec = json.loads(text("tests/data/compose-spec.json"))
    assert spec["title"] == "Compose Specification"
    return jsonschema_rs.Draft7Validator(spec)


def test_compose_file_follows_the_compose_specification(
    schema: jsonschema_rs.Draft7Validator,
) -> None:
    model = compose()
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in schema.iter_errors(model)
    ]
    assert not errors, "compose.yaml breaks the Compose Specification:\n" + "\n".join(errors)
    # and the schema does refuse what Docker Compose refuses
    model["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_done"
    model["services"]["worker"]["environment_file"] = ".env"
    assert len(list(schema.iter_errors(model))) == 2


def test_every_variable_of_compose_file_is_in_the_env_example() -> None:
    example = env_example()
    listed = set(example) | set(
        re.findall(r"^#\s*([A-Z_][A-Z0-9_]*)=", text(".env.example"), re.M)
    )
    used = {
        (m["name"] or m["bare"], m["op"] or "")
        for m in INTERPOLATION.finditer(text("compose.yaml"))
        if m[0] != "$$"
    }
    assert {name for name, _ in used} <= listed, "document every variable in .env.example"
    # What compose.yaml requires is the operator's to choose: nothing is filled in for them.
    required = {name for name, op in used if op.endswith("?")}
    assert required <= set(FILLED)
    assert all(example.get(name) == "" for name in required), required


# --- the processes ------------------------------------------------------------------------------


def test_the_services_postgres_release_web_worker_and_witnesses() -> None:
    services = compose()["services"]
    assert set(LEDGER_SERVICES) | {"postgres"} <= set(services)
    witnesses = [name for name in services if name.startswith("witness")]
    assert witnesses, "at least one witness service"

    postgres = services["postgres"]
    assert re.fullmatch(r"postgres:\d+(\.\d+)?(-[a-z0-9.]+)?", postgres["image"]), (
        "the official image"
    )
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    data = next(v for v in postgres["volumes"] if v.endswith(":/var/lib/postgresql/data"))
    assert data.split(":")[0] in compose()["volumes"], "a named volume for the data"

    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
    image = services["web"]["image"]
    for name in (*LEDGER_SERVICES, *witnesses):
        assert services[name]["image"] == image
        assert services[name]["build"] == "."


def ledger_command(arguments: list[str]) -> click.Command:
    """The `ledger` command that `arguments` runs; fails on an unknown command or option."""
    assert arguments[0] == "ledger", arguments
    command: click.Command = cli.main
    words = list(arguments[1:])
    while isinstance(command, click.Group):
        assert words, f"{arguments}: a subcommand of {command.name} is missing"
        name = words.pop(0)
        found = command.get_command(click.Context(command), name)  # web/cli.py loads it by name
        assert found is not None, f"{arguments}: `{name}` is no `ledger` command"
        command = found
    ctx = click.Context(command, info_name=command.name)
    try:
        given, _, _ = command.make_parser(ctx).parse_args(words)
    except click.UsageError as error:
        raise AssertionError(f"{arguments}: {error}") from None
    missing = [p.name for p in command.params if p.required and given.get(p.name) is None]
    assert not missing, f"{arguments}: missing {missing}"
    return command


def image_command() -> list[str]:
    """The image's CMD: `sh -c "exec …"`, as an argument list."""
    cmd = [line for keyword, line in final_stage() if keyword == "CMD"]
    assert len(cmd) == 1
    argv = json.loads(cmd[0])
    assert argv[:2] == ["sh", "-c"]
    assert argv[2].startswith("exec "), argv
    return shlex.split(argv[2][len("exec ") :])


def test_every_command_is_a_ledger_command_or_the_procfiles() -> None:
    services = compose()["services"]
    processes = procfile()
    assert image_command() == processes["web"], "the image runs the Procfile's web line"
    assert "command" not in services["web"]
    assert services["migrate"]["command"] == processes["release"]
    assert services["worker"]["command"] == processes["worker"]
    for service in services.values():
        if service.get("image") == services["web"]["image"] and "command" in service:
            ledger_command(service["command"])
    ledger_command(["ledger", "keys", "generate", "--acts", "--out", "/secrets/act-key"])


def witness_services(services: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in services.items()
        if service.get("command", [])[:3] == ["ledger", "witness", "serve"]
    }


def option(arguments: list[str], name: str) -> str:
    return arguments[arguments.index(name) + 1]


# --- settings and keys ----------------------------------------------------------------------


@pytest.fixture
def secrets_dir(tmp_path: Path) -> Path:
    """./secrets as README "Containers" makes it: `ledger keys generate [--acts]` and
    `ledger witness init` for each witness service."""
    folder = tmp_path / "secrets"
    origin = FILLED["LEDGER_ORIGIN"]
    write_new_key(folder / "act-key", f"{origin}/acts")
    write_new_key(folder / "ledger-key", origin)
    for name in witness_services(compose()["services"]):
        signer = WitnessSigner.generate(f"witness.example.test/{name}")
        (folder / f"{name}-key").write_text(signer.encode() + "\n", encoding="ascii")
        (folder / f"{name}-key.pub").write_text(signer.key.encode() + "\n", encoding="ascii")
    return folder


def mounted(model: Mapping[str, Any], name: str, secrets: Path, root: Path) -> Path:
    """A copy of the files service `name` sees under /run/secrets, in `root`."""
    target_dir = root / name / "run" / "secrets"
    target_dir.mkdir(parents=True)
    for entry in model["services"][name].get("secrets", []):
        if isinstance(entry, str):
            entry = {"source": entry}
        source, target = entry["source"], entry.get("target", entry["source"])
        assert "/" not in target or target.startswith("/run/secrets/"), target
        definition = model["secrets"][source]
        assert set(definition) == {"file"}, f"secret {source}: a file, never inline"
        assert definition["file"].startswith("./secrets/"), definition
        file = secrets / definition["file"][len("./secrets/") :]
        assert file.exists(), f"secret {source}: README's steps make no {definition['file']}"
        shutil.copy(file, target_dir / target.rsplit("/", 1)[-1])
    return root / name


def in_container(env: Mapping[str, str], root: Path) -> dict[str, str]:
    """`env` with its /run/secrets/ paths moved under `root` (the service's copy)."""
    return {
        key: str(root) + value if value.startswith("/run/secrets/") else value
        for key, value in env.items()
    }


def load(env: Mapping[str, str]) -> Settings:
    """Settings.load with exactly `env` (nothing of the test's own environment)."""
    with mock.patch.dict(os.environ, {}, clear=True):
        return Settings.load(env)


def policy(secrets: Path, services: Mapping[str, Any]) -> str:
    """LEDGER_WITNESSES as .env.example says to write it for the witness services."""
    entries = []
    for name, service in witness_services(services).items():
        port = option(service["command"], "--bind").rpartition(":")[2]
        url = f"http://{name}:{port}"
        assert url in text(".env.example"), f".env.example shows {url}"
        entries.append(f"{(secrets / f'{name}-key.pub').read_text().strip()} {url}")
    return ";".join(entries)


def test_every_process_has_what_production_requires_and_its_keys_load(
    secrets_dir: Path, tmp_path: Path
) -> None:
    services = compose()["services"]
    model = compose(
        {
            "LEDGER_VERIFIER_KEY": (secrets_dir / "ledger-key.pub").read_text().strip(),
            "LEDGER_WITNESSES": policy(secrets_dir, services),
        }
    )
    roots = {name: mounted(model, name, secrets_dir, tmp_path) for name in model["services"]}
    for name in LEDGER_SERVICES:
        env = environment(model["services"][name])
        assert env["LEDGER_ENV"] == "production"
        _require_production(env, env.get("JWT_ALGORITHM", "HS256"))  # raises what is missing
        assert urlsplit(env["DATABASE_URL"]).hostname == "postgres"
    # Migrate: the owner, granting the service role; no key.
    assert not model["services"]["migrate"].get("secrets")
    load(environment(model["services"]["migrate"]))

    # Web: signs acts with its act key; verifies checkpoints with the public key alone.
    web = in_container(environment(model["services"]["web"]), roots["web"])
    settings = load(web)
    assert settings.act_keys(signing=True).signer is not None
    assert settings.signer() is None, "the web processes never hold the checkpoint key"
    assert settings.verifier() == Verifier.parse(web["LEDGER_VERIFIER_KEY"])
    assert len(settings.witnesses()) == len(witness_services(services))
    assert settings.quorum() == 1

    # Worker: signs checkpoints; checks acts with the act key's public half only.
    worker = in_container(environment(model["services"]["worker"]), roots["worker"])
    settings = load(worker)
    assert settings.checkpoint_signer().verifier == load(web).verifier()
    with pytest.raises(ConfigError, match="ACT_KEY_FILE"):
        settings.act_keys(signing=True)  # the worker does not hold the act signing key
    assert settings.act_keys(signing=False).verifiers
    assert settings.witnesses() == load(web).witnesses(), "web and worker agree on witnesses"

    # Witnesses: their own key and the log's checkpoint verifier key, state in a volume.
    for name, service in witness_services(model["services"]).items():
        arguments = service["command"]
        assert option(arguments, "--bind").startswith("0.0.0.0:")
        root = roots[name]
        key = (root / option(arguments, "--key-file").lstrip("/")).read_text()
        assert WitnessSigner.parse(key).key.name == f"witness.example.test/{name}"
        log = Verifier.parse((root / option(arguments, "--log").lstrip("/")).read_text())
        assert log == load(web).verifier()
        state = option(arguments, "--db")
        assert any(
            volume.split(":")[0] in model["volumes"]
            and state.startswith(volume.split(":")[1] + "/")
            for volume in service["volumes"]
        ), f"{name}: --db {state} is not on a named volume"


def test_postgres_creates_the_service_role_that_migrate_grants_to() -> None:
    services = compose()["services"]
    postgres = environment(services["postgres"])
    init = next(v for v in services["postgres"]["volumes"] if "/docker-entrypoint-initdb.d/" in v)
    source = init.split(":")[0]
    role = re.search(r"CREATE ROLE (\w+)", text(source.removeprefix("./")))
    assert role, f"{source} creates the service role"
    migrate = environment(services["migrate"])
    assert migrate["LEDGER_SERVICE_ROLE"] == role[1]
    assert urlsplit(migrate["DATABASE_URL"]).username == postgres["POSTGRES_USER"]
    for name in ("web", "worker"):
        url = urlsplit(environment(services[name])["DATABASE_URL"])
        assert url.username == role[1]
        assert url.path == "/" + postgres["POSTGRES_DB"]


# --- secrets --------------------------------------------------------------------------------


def interpolation_only(value: str) -> bool:
    """Whether `value` is one variable and no default: `${X}`, `${X:?…}` or `${X:-}`."""
    match = INTERPOLATION.fullmatch(value)
    if not match or match[0] == "$$":
        return False
    return not (match["op"] or "").endswith("-") or match["arg"] == ""


def test_no_secret_is_written_in_compose_file() -> None:
    model = compose_raw()
    for name, service in model["services"].items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key) and not key.endswith("_FILE"):
                assert interpolation_only(value), f"{name}.{key}: from .env, never inline"
            for password in re.findall(r"://[^/:@\s]+:([^@\s]+)@", value):
                assert interpolation_only(password), f"{name}.{key}: a password in a URL"
    for name, definition in model["secrets"].items():
        assert set(definition) == {"file"}, f"secret {name}: a file, never inline"
    for file in ("compose.yaml", "Dockerfile", ".env.example", "deploy/postgres-init.sql"):
        assert not KEY_MATERIAL.search(text(file)), f"{file} holds key material"


def test_the_env_example_holds_no_secret() -> None:
    for key, value in env_example().items():
        if SECRET_NAME.search(key):
            assert value == "", f".env.example: {key} must be left for the operator"


def test_env_and_secrets_are_neither_committed_nor_built_into_the_image() -> None:
    ignored = {line.strip() for line in text(".gitignore").splitlines()}
    assert {".env", "secrets/"} <= ignored
    for path in (
        ".env",
        "secrets/act-key",
        "var/ledger-key",
        "var/dev-jwt-secret",
        ".venv/x",
        ".git/config",
        "test-artifacts/x",
        ".hypothesis/x",
        ".pytest_cache/x",
        ".coverage",
        "sbom.cdx.json",
        "build/x",
        "tests/unit/x.py",
        "web/__pycache__/x.pyc",
    ):
        assert docker_ignored(path), f".dockerignore lets {path} into the build context"


# --- the Dockerfile -------------------------------------------------------------------------


def test_the_image_installs_the_lock_with_hashes_then_the_project_alone() -> None:
    instructions = dockerfile()
    arguments = {
        k: v
        for keyword, line in instructions
        if keyword == "ARG"
        for k, v in env_pairs(line).items()
    }
    bases = {
        re.sub(r"\$\{(\w+)\}", lambda m: arguments[m[1]], line.split()[0])
        for keyword, line in instructions
        if keyword == "FROM"
    }
    python = re.search(
        r"autogenerated by pip-compile with Python (\d+\.\d+)", text("requirements.lock")
    )
    assert python
    assert bases == {f"python:{python[1]}-slim"}, bases

    runs = [line for keyword, line in instructions if keyword == "RUN"]
    lock = [r for r in runs if "-r requirements.lock" in r]
    assert len(lock) == 1
    assert re.search(r"pip install (--[\w=:-]+ )*--require-hashes", lock[0]), (
        "requirements.lock is installed with --require-hashes"
    )
    assert "--no-deps" in lock[0].split("&&")[0]
    project = [r for r in runs if re.search(r"pip install --no-deps \.(\s|$)", r)]
    assert len(project) == 1, "the project is installed with --no-deps"
    assert runs.index(lock[0]) < runs.index(project[0])

    for keyword, line in instructions:
        if keyword == "COPY":
            sources = [s for s in line.split()[:-1] if not s.startswith("--")]
            for source in sources:
                if "--from=" not in line:
                    assert not docker_ignored(source.rstrip("/")), f"COPY {source}: ignored"
                    assert not re.match(r"(\.env|secrets|var)\b", source), line
        if keyword in ("ENV", "ARG"):
            for key in env_pairs(line):
                assert not SECRET_NAME.search(key), f"{keyword} {key}: no secret in the image"


def test_the_image_runs_as_a_user_in_production() -> None:
    stage = final_stage()
    users = [line for keyword, line in stage if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in ("root", "0"), users
    env = {k: v for keyword, line in stage if keyword == "ENV" for k, v in env_pairs(line).items()}
    assert env["LEDGER_ENV"] == "production"


# --- Docker Compose itself, where it is installed ------------------------------------------


def docker_compose() -> Iterator[list[str]]:
    if shutil.which("docker"):
        yield ["docker", "compose"]
    if shutil.which("docker-compose"):
        yield ["docker-compose"]


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    for command in docker_compose():
        version = subprocess.run(
            [*command, "version", "--short"], capture_output=True, text=True, timeout=60
        )
        if version.returncode == 0 and not version.stdout.strip().lstrip("v").startswith("1"):
            break
    else:
        pytest.skip(
            "Docker Compose v2 is not installed: compose.yaml was checked against the"
            " Compose Specification schema instead"
        )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **FILLED}
    result = subprocess.run(
        [*command, "--env-file", ".env.example", "--profile", "witnesses", "config", "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
