"""The monitoring files of deploy/ (docs/operations.md "Metrics"): the Grafana dashboard and the
Prometheus alert rules load, and every expression in them names metrics the service exposes —
collected from the app's own `/metrics` — with labels those metrics carry; the alerts cover
the worker's and the sealer's lag, checkpoints, verification failures and server errors.
PromQL is not parsed (no promtool here): the metric names and labels are read from each
expression by pattern, which is what goes stale when a metric is renamed.

And the multiprocess mode of the metrics rests on one ordering (web/gunicorn_conf.py):
nothing gunicorn loads in its master before `on_starting` imports prometheus_client."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import migrated, running_app
from tests.factories import Clock

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana-dashboard.json"
ALERTS = ROOT / "deploy" / "prometheus-alerts.yml"
TOKEN = "t" * 40
METRIC = re.compile(r"\b(ledger_[a-z0-9_]+)\b")
GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
MATCHER = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*\"")
DURATION = re.compile(r"\A\d+[smhd]\Z")
# The series of a family that has no sample yet (a counter nothing has counted).
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
# Labels Prometheus adds to every series, and a histogram's buckets.
ADDED_LABELS = {"job", "instance", "le"}


@pytest.fixture(scope="module")
def exposed(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], set[str]]:
    """The metric names the app's /metrics shows (families and samples: a histogram's
    `_bucket`, `_count`, `_sum`), and the label names its metrics carry."""
    folder = tmp_path_factory.mktemp("metrics")
    key = folder / "ledger-key"
    from web.key_files import write_new_key

    write_new_key(key, "ledger.example/test")
    with (
        migrated("sqlite", folder) as storage,
        running_app(storage, Clock(), key, METRICS_TOKEN=TOKEN, IN_PROCESS_WORKER="0") as app,
    ):
        client = app.test_client()
        assert client.get("/api/health").status_code == 200
        answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 200
        names: set[str] = set()
        for family in text_string_to_metric_families(answer.get_data(as_text=True)):
            names.add(family.name)
            names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, ())}
            names |= {sample.name for sample in family.samples}
        metrics = app.extensions["ledger.metrics"]
        owned = [metrics.requests, metrics.latency, metrics.commands, metrics.rate_limited]
        owned += [gauge for _, gauge in metrics.pools]
        labels = {label for metric in owned for label in metric._labelnames}
    return names, labels | ADDED_LABELS


def referenced(expr: str) -> tuple[set[str], set[str]]:
    """The metric names and the label names (groupings and matchers) an expression uses."""
    without_strings = re.sub(r'"[^"]*"', '""', expr)
    metrics = set(METRIC.findall(without_strings))
    labels = set(MATCHER.findall(expr))
    for group in GROUPING.findall(expr):
        labels |= {name.strip() for name in group.split(",") if name.strip()}
    return metrics, labels


def balanced(expr: str) -> bool:
    """Brackets close in order (outside strings)."""
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in re.sub(r'"[^"]*"', '""', expr):
        if char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            return False
    return not stack


def check(expr: str, where: str, exposed: tuple[set[str], set[str]]) -> set[str]:
    """Assert `expr` names metrics and labels that exist; its metric names."""
    names, labels = exposed
    metrics, used = referenced(expr)
    assert metrics, f"{where}: names no metric of the service: {expr}"
    assert metrics <= names, f"{where}: no such metric {sorted(metrics - names)}"
    assert used <= labels, f"{where}: no such label {sorted(used - labels)}"
    assert balanced(expr), f"{where}: unbalanced brackets: {expr}"
    return metrics


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    assert set(document) == {"groups"}
    found = []
    for group in document["groups"]:
        assert set(group) == {"name", "rules"}
        found += group["rules"]
    return found


def test_the_app_exposes_what_the_files_are_checked_against(
    exposed: tuple[set[str], set[str]],
) -> None:
    names, labels = exposed
    assert {
        "ledger_http_requests_total",
        "ledger_http_request_duration_seconds_bucket",
        "ledger_commands_total",
        "ledger_rate_limited_total",
        "ledger_db_pool_waiting",
        "ledger_worker_lag_events",
        "ledger_sealing_lag_events",
        "ledger_checkpoint_age_seconds",
        "ledger_cosigned_checkpoint_age_seconds",
        "ledger_verification_ok",
        "ledger_metrics_scrape_error",
    } <= names
    assert labels == {"method", "route", "status", "command", "outcome", "limit", "pool"} | (
        ADDED_LABELS
    )


def test_every_alert_rule_is_complete_and_names_existing_metrics(
    exposed: tuple[set[str], set[str]],
) -> None:
    named: set[str] = set()
    alerts = [rule["alert"] for rule in rules()]
    assert len(alerts) == len(set(alerts)), "each alert once"
    for rule in rules():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
        assert re.fullmatch(r"Ledger[A-Z][A-Za-z0-9]+", rule["alert"])
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["description"]
        assert "for" not in rule or DURATION.match(rule["for"]), rule["for"]
        named |= check(rule["expr"], rule["alert"], exposed)
    # What the alerts must watch: the worker's and the sealer's lag, checkpoint age, the
    # verification's failure, server errors.
    assert {
        "ledger_worker_lag_events",
        "ledger_sealing_lag_events",
        "ledger_checkpoint_age_seconds",
        "ledger_verification_ok",
        "ledger_http_requests_total",
    } <= named
    errors = [r for r in rules() if 'status=~"5.."' in r["expr"]]
    assert [r["alert"] for r in errors] == ["LedgerServerErrors"]


def test_the_dashboard_loads_and_every_panel_queries_existing_metrics(
    exposed: tuple[set[str], set[str]],
) -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert (dashboard["uid"], dashboard["title"]) == ("initiative-ledger", "Initiative ledger")
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    check(variables["job"]["definition"], "the job variable", exposed)
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels), "panel ids are unique"
    named: set[str] = set()
    for panel in panels:
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"]), panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            named |= check(target["expr"], panel["title"], exposed)
    alerted = set().union(*(referenced(rule["expr"])[0] for rule in rules()))
    assert alerted <= named, f"an alert watches what no panel shows: {alerted - named}"


def test_gunicorn_s_master_does_not_import_prometheus_client_before_on_starting() -> None:
    """prometheus_client picks its multiprocess mode once, on import: the master imports the
    config module (and with it the `web` package) before `on_starting` sets
    PROMETHEUS_MULTIPROC_DIR, so neither may import the library."""
    probe = "import sys, web.gunicorn_conf\nprint('prometheus_client' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
