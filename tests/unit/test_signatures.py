"""A PDF's embedded signatures as read on upload (projections/signatures.py), on PDFs signed here
by pyHanko with a CA made for the test: valid against that CA, "not checked" without a trust
list, invalid when bytes inside the signed range change or when the CA is another one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from projections.signatures import load_trust_roots, read_signatures
from tests.signed_pdf import (
    Issued,
    altered_inside_signed_range,
    appended_after_signing,
    issue,
    make_ca,
    plain_pdf,
    signed_pdf,
)

SIGNER = "Nguyễn Văn An"
ORGANISATION = "Ủy ban nhân dân tỉnh Bắc Ninh"


@pytest.fixture(scope="module")
def ca() -> Issued:
    return make_ca()


@pytest.fixture(scope="module")
def signed(ca: Issued) -> tuple[bytes, dt.datetime, dt.datetime]:
    """The signed PDF, and the moments before and after it was signed."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    pdf = signed_pdf(issue(ca, SIGNER, ORGANISATION), ca)
    return pdf, before, dt.datetime.now(dt.UTC)


def roots(ca: Issued, tmp_path: Path) -> tuple[Any, ...]:
    return load_trust_roots(ca.write(tmp_path, "roots.pem"))


def only(reading: dict[str, Any]) -> dict[str, Any]:
    """The reading's one signature, its time checked and set aside."""
    assert reading["status"] == "signed"
    assert reading["problem"] is None
    [one] = reading["found"]
    return {**one, "signed_at": "checked"}


def intact_and(validity: str, problem: str | None) -> dict[str, Any]:
    """The reading of the test's signature, intact and unmodified, with `validity`."""
    return {
        "field": "ChuKy1",
        "signer": SIGNER,
        "organisation": ORGANISATION,
        "signed_at": "checked",
        "intact": True,
        "modified_after": False,
        "validity": validity,
        "problem": problem,
    }


def test_a_signature_chaining_to_the_trust_list_is_valid(
    signed: tuple[bytes, dt.datetime, dt.datetime], ca: Issued, tmp_path: Path
) -> None:
    pdf, before, after = signed
    reading = read_signatures(pdf, roots(ca, tmp_path))
    signed_at = dt.datetime.fromisoformat(reading["found"][0]["signed_at"])
    assert before <= signed_at <= after
    assert only(reading) == intact_and("valid", None)


def test_without_a_trust_list_validity_is_not_checked(
    signed: tuple[bytes, dt.datetime, dt.datetime],
) -> None:
    assert only(read_signatures(signed[0], None)) == intact_and(
        "not checked", "no trust list is configured (ATTACHMENT_TRUST_ROOTS)"
    )


def test_bytes_altered_inside_the_signed_range_break_its_integrity(
    signed: tuple[bytes, dt.datetime, dt.datetime], ca: Issued, tmp_path: Path
) -> None:
    altered = altered_inside_signed_range(signed[0])
    assert len(altered) == len(signed[0])
    for trust in (roots(ca, tmp_path), None):
        found = only(read_signatures(altered, trust))
        assert (found["intact"], found["validity"], found["problem"]) == (
            False,
            "invalid",
            "the signed bytes were altered, or the signature over them is wrong",
        )


def test_a_signature_from_another_ca_is_invalid(
    signed: tuple[bytes, dt.datetime, dt.datetime], tmp_path: Path
) -> None:
    other = make_ca("CA khác", "Tổ chức khác")
    found = only(read_signatures(signed[0], roots(other, tmp_path)))
    assert (found["intact"], found["validity"], found["problem"]) == (
        True,
        "invalid",
        "the signer's certificate does not chain to the trust list (NO_CERTIFICATE_CHAIN_FOUND)",
    )


def test_content_changed_after_signing_is_invalid(
    signed: tuple[bytes, dt.datetime, dt.datetime], ca: Issued, tmp_path: Path
) -> None:
    """An incremental update after the signature that changes the document (here its
    catalogue): the signed bytes are intact, but what a reader is shown is not what was
    signed (the "shadow" attack)."""
    found = only(read_signatures(appended_after_signing(signed[0]), roots(ca, tmp_path)))
    assert (found["intact"], found["modified_after"], found["validity"], found["problem"]) == (
        True,
        True,
        "invalid",
        "the document was changed after this signature beyond adding signatures or filling"
        " its form: what it shows is not what was signed",
    )


def test_a_second_signature_after_the_first_leaves_the_first_valid(
    signed: tuple[bytes, dt.datetime, dt.datetime], ca: Issued, tmp_path: Path
) -> None:
    """The decision signed by its signer, then by the agency's seal: the first signature
    covers less than the file, as it should, and stays valid."""
    seal = issue(ca, "Văn thư Ủy ban nhân dân phường Bến Thành", "UBND phường Bến Thành")
    both = signed_pdf(seal, ca, field="ChuKy2", base=signed[0])
    reading = read_signatures(both, roots(ca, tmp_path))
    assert [
        (f["field"], f["intact"], f["modified_after"], f["validity"]) for f in reading["found"]
    ] == [("ChuKy1", True, True, "valid"), ("ChuKy2", True, False, "valid")]


def test_a_pdf_without_signature_reads_no_signature() -> None:
    assert read_signatures(plain_pdf(), None) == {
        "status": "no signature",
        "found": [],
        "problem": None,
    }


def test_a_signature_that_cannot_be_parsed_is_said_so(
    signed: tuple[bytes, dt.datetime, dt.datetime],
) -> None:
    """The signature's bytes (outside the signed range) overwritten with zeros."""
    pdf = signed[0]
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    broken = pdf[:start] + b"0" * (end - start) + pdf[end:]
    reading = read_signatures(broken, None)
    assert reading["status"] == "signed"
    [found] = reading["found"]
    assert (found["field"], found["signer"], found["intact"], found["validity"]) == (
        "ChuKy1",
        None,
        None,
        "invalid",
    )
    assert found["problem"] == (
        "the signature could not be read: Error parsing asn1crypto.cms.ContentInfo - method"
        " should have been constructed, but primitive was found"
    )


def test_a_pdf_that_cannot_be_parsed_is_said_so() -> None:
    reading = read_signatures(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", None)
    assert reading == {
        "status": "unreadable",
        "found": [],
        "problem": "the PDF could not be read: startxref not found",
    }


def test_a_trust_list_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "none.pem"
    with pytest.raises(ValueError, match=re.escape(f"{missing} cannot be read: No such file")):
        load_trust_roots(missing)
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ValueError, match=f"^{re.escape(str(empty))} holds no certificate$"):
        load_trust_roots(empty)
