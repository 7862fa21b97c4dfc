"""The pages follow docs/glossary.md: no wording its last column forbids comes back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.test_catalogue import source_messages

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"


def forbidden_terms() -> list[str]:
    """The `quoted` wordings of the glossary's last column."""
    rows = [
        line for line in GLOSSARY.read_text(encoding="utf-8").splitlines() if line.startswith("| ")
    ]
    return sorted(
        {term for row in rows[1:] for term in re.findall(r"`([^`]+)`", row.split(" | ")[-1])}
    )


def test_the_glossary_forbids_the_wordings_the_issue_named() -> None:
    terms = forbidden_terms()
    for wording in (
        "sáng kiến",
        "Sổ sáng kiến",
        "Hợp thức hóa",
        "cấp bách",
        "Sổ cái",
        "Điểm kiểm tra",
    ):
        assert wording in terms
    assert len(terms) == 14


@pytest.mark.parametrize("term", forbidden_terms())
def test_no_page_uses_a_forbidden_wording(term: str) -> None:
    """Every message of the pages (templates, labels, flashes: what gettext marks) and the
    Vietnamese in every template outside gettext."""
    found = sorted(m for m in source_messages() if term.lower() in m.lower())
    assert found == []
    for template in sorted((ROOT / "web" / "templates").glob("*.html")):
        assert term.lower() not in template.read_text(encoding="utf-8").lower(), template.name
