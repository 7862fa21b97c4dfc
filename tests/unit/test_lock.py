"""The lock files: every dependency of pyproject.toml pinned, every pin with its hashes.

`.ci/run` installs `requirements.lock` (the deployed environment) and `requirements-test.lock`
(the same plus the `test` extra) with `pip install --require-hashes`, and the SBOM generator
from `requirements-tools.lock`. A dependency added to pyproject.toml without recompiling the
locks (the commands are in each file's header) fails here, before CI's install would.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ("requirements.lock", "requirements-test.lock", "requirements-tools.lock")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
# An entry may name extras, fonttools[woff]==…: pip 23 in hash mode refuses a dependency's
# `fonttools[woff]>=…` as unpinned once a newer fonttools is on the index, unless the lock pins
# the same extras (pip-compile's --strip-extras drops them: put them back after a recompile).
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[A-Za-z0-9,._-]+\])?==(?P<version>[^\s;\\]+)"
)


def entries(lock: str) -> list[str]:
    """The lock's requirement lines, continuations joined, comments dropped."""
    text = (ROOT / lock).read_text(encoding="utf-8").replace("\\\n", " ")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def pins(lock: str) -> dict[str, str]:
    """Canonical name → pinned version."""
    found: dict[str, str] = {}
    for line in entries(lock):
        match = PIN.match(line)
        assert match, f"{lock}: not a pin: {line[:80]}"
        found[canonicalize_name(match["name"])] = match["version"]
    return found


def project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        table: dict[str, object] = tomllib.load(file)["project"]
        return table


def requirements(specs: object) -> list[Requirement]:
    """The requirements that apply here (a marker for another platform leaves one out)."""
    assert isinstance(specs, list)
    parsed = [Requirement(spec) for spec in specs]
    return [r for r in parsed if r.marker is None or r.marker.evaluate({"extra": ""})]


def assert_locked(required: list[Requirement], lock: str) -> None:
    locked = pins(lock)
    missing = [r.name for r in required if canonicalize_name(r.name) not in locked]
    assert not missing, f"{lock} lacks {missing}: recompile it (command in its header)"
    outside = [
        f"{r.name}=={locked[canonicalize_name(r.name)]} (pyproject: {r.specifier})"
        for r in required
        if not r.specifier.contains(locked[canonicalize_name(r.name)], prereleases=True)
    ]
    assert not outside, f"{lock} pins outside pyproject.toml's ranges: {outside}"


@pytest.mark.parametrize("lock", LOCKS)
def test_every_line_of_a_lock_is_an_exact_pin_with_hashes(lock: str) -> None:
    lines = entries(lock)
    assert lines, f"{lock} is empty"
    for line in lines:
        assert PIN.match(line), f"{lock}: not an exact pin: {line[:80]}"
        assert HASH.search(line), f"{lock}: no --hash=sha256: for {line.split()[0]}"
        # Nothing but hashes after the pin: no index, no link, no editable, no other file
        assert all(HASH.fullmatch(option) for option in line.split()[1:]), line[:80]


def test_every_runtime_dependency_is_in_the_deployed_lock() -> None:
    assert_locked(requirements(project()["dependencies"]), "requirements.lock")


def test_the_test_lock_holds_the_deployed_lock_and_the_test_extra() -> None:
    extras = project()["optional-dependencies"]
    assert isinstance(extras, dict)
    assert_locked(
        requirements(project()["dependencies"]) + requirements(extras["test"]),
        "requirements-test.lock",
    )
    # The same versions in both, so that CI tests what is deployed
    deployed, tested = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: tested.get(name) for name in deployed} == deployed


def test_the_sbom_generator_is_locked() -> None:
    wanted = [
        Requirement(line) for line in entries("requirements-tools.in") if not line.startswith("-")
    ]
    assert "cyclonedx-bom" in [r.name for r in wanted]
    assert_locked(wanted, "requirements-tools.lock")
