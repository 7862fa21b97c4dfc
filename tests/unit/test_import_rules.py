"""Dependencies point inward: the domain imports no web, SQL or schema library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FORBIDDEN = {
    "flask",
    "flask_smorest",
    "psycopg",
    "psycopg_pool",
    "marshmallow",
    "web",
    "projections",
    "sqlite3",
    "jwt",
}
DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_domain_imports_no_framework_driver_or_outer_layer() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) >= 8
    offending = {m.name: imported_roots(m) & FORBIDDEN for m in modules}
    assert {k: v for k, v in offending.items() if v} == {}


# What a process run apart from the log's operator (a witness, an inspector's verification)
# must not load: the service, its settings and model, its schemas, a database driver.
SERVICE = (
    *("web.config", "web.service", "web.cli_service", "web.cli_support", "web.cli_ledger"),
    *("domain.initiative", "projections.db", "projections.worker"),
    *("flask", "psycopg", "marshmallow", "eventsourcing", "yaml"),
)


def loaded(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported once it ran `code` in this checkout."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {modules!r} if m in sys.modules))"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    names: list[str] = ast.literal_eval(result.stdout.splitlines()[-1])
    return names


def test_the_receipt_verifier_loads_without_the_service_or_a_database_driver() -> None:
    outer = ("flask", "psycopg", "marshmallow", "eventsourcing", "web", "domain", "projections.db")
    assert loaded("import projections.ledger.verify", outer) == []


def loaded_by_ledger(*runs: list[str]) -> list[str]:
    """Which of SERVICE a fresh interpreter has imported once `ledger` ran each of `runs` in
    turn; a run that fails (a refused verification) fails the probe."""
    code = "from web.cli import main\n" + "".join(
        f"assert main({run!r}, standalone_mode=False) in (None, 0)\n" for run in runs
    )
    return loaded(code, SERVICE)


def test_a_witness_loads_without_the_service_or_a_database_driver(tmp_path: Path) -> None:
    """`ledger witness` is run apart from the log's operator (an inspectorate's machine), and
    the tests start dozens of them: it loads click, werkzeug and the ledger's notes, not the
    service, its schemas or a database driver."""
    key = tmp_path / "witness.key"
    init = ["witness", "init", "--name", "w.example/1", "--key-file", str(key)]
    helps = [["witness", command, "--help"] for command in ("serve", "init")]
    assert loaded_by_ledger(init, *helps) == []
    assert key.exists()


def test_an_offline_verification_loads_without_the_service_or_a_database_driver() -> None:
    """`ledger verify receipt` and `ledger verify dossier` are run by inspectors on their own
    machines against files a cadre hands them: they load click and the ledger's verifier only.
    tests/e2e/test_http_ledger.py and test_dossier.py probe them on a real receipt and
    dossier."""
    helps = [["verify", command, "--help"] for command in ("receipt", "dossier")]
    assert loaded_by_ledger(*helps) == []


def test_a_monitor_loads_without_the_service_or_a_database_driver() -> None:
    """`ledger monitor` and `ledger verify consistency --url` follow the log over HTTP apart
    from its operator: they load click and the ledger's notes, proofs and tiles only.
    tests/e2e/test_monitor.py probes them on a real log."""
    helps = [["monitor", "--help"], ["verify", "consistency", "--help"]]
    assert loaded_by_ledger(*helps) == []


def test_the_worker_and_migrate_load_no_web_framework() -> None:
    """`ledger worker` and `ledger migrate` run beside every deployment, and the tests start
    dozens of them: they load the service and its driver, not flask, its templates, the token
    library, YAML or an object store's client (about a sixth of the process's start)."""
    web = ("flask", "jinja2", "jwt", "yaml", "urllib3", "minio", "web.auth", "web.reminder_mail")
    helps = [["worker", "--help"], ["migrate", "--help"]]
    code = "from web.cli import main\n" + "".join(
        f"assert main({run!r}, standalone_mode=False) in (None, 0)\n" for run in helps
    )
    assert loaded(code, web) == []
    assert loaded(code, ("psycopg", "eventsourcing", "projections.worker")) == [
        "eventsourcing",
        "projections.worker",
        "psycopg",
    ]


def test_no_module_is_longer_than_one_can_hold_in_mind() -> None:
    """At most 600 lines a Python file (issue 15): a longer one is split where its parts meet
    (projections/initiative_filters.py and projections/aggregate_cache.py came out of the
    queries and the worker so)."""
    root = DOMAIN.parent
    skipped = {".venv", ".venv-tools", ".git"}
    longer = {
        str(path.relative_to(root)): n
        for path in root.rglob("*.py")
        if not skipped & set(path.relative_to(root).parts)
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert longer == {}
