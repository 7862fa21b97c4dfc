"""The English catalogue covers every Vietnamese message, and the compiled file is current."""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from domain import vocabulary
from web.pages.labels import CHOICES, choice_label

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "web" / "translations" / "en" / "LC_MESSAGES"
# As pybabel extracts them: N_ marks the texts said outside a request (the reminder digest's)
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None}


@functools.cache
def source_messages() -> frozenset[str]:
    """Every message the pages mark for translation (read once a process: the glossary's
    tests ask for them once a wording)."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "web"),
        method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        keywords=KEYWORDS,
    ):
        found.add(message if isinstance(message, str) else message[0])
    # The labels the pages share with the dossier's story (marked N_, translated by the pages)
    with (ROOT / "projections" / "terms.py").open("rb") as handle:
        found |= {
            message for _line, _f, message, _c in extract_python(handle, {"N_": None}, [], {})
        }
    return frozenset(found)


def test_every_message_of_the_pages_has_an_english_translation() -> None:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id: m.string for m in catalogue if m.id}
    messages = source_messages()
    assert "hết hạn hôm nay" in messages  # a reminder digest's, marked N_
    missing = sorted(messages - set(translated))
    assert missing == []
    assert [m for m, s in translated.items() if not s] == []
    assert translated["Tổng quan"] == "Overview"


def test_the_compiled_catalogue_matches_its_source() -> None:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        source = read_po(handle)
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert {m.id: m.string for m in compiled if m.id} == {m.id: m.string for m in source if m.id}
    fresh = BytesIO()
    write_mo(fresh, source)
    assert fresh.getvalue() == (CATALOGUE / "messages.mo").read_bytes()


def test_every_value_of_the_vocabulary_has_a_label() -> None:
    """A value a page shows (a status, a kind, a vote…) is never shown as its code."""
    lists = [
        c
        for c in vars(vocabulary).values()
        if isinstance(c, type) and c.__module__ == vocabulary.__name__
    ]
    assert len(lists) == 18
    unlabelled = [
        f"{kind.__name__}.{value.name}"
        for kind in lists
        for value in kind
        if value.value not in CHOICES
    ]
    assert unlabelled == []
    assert choice_label(vocabulary.Level.COMMUNE) == "Cấp xã"
