"""A PDF's embedded signatures, read once when the document is uploaded (pyHanko).

For each signature: who signed (the certificate's common name and organisation), when (the time
the signer's software put in the signature, or its timestamp token's), whether it is intact (the
signed byte ranges hash to what was signed, and the signature over them verifies), whether bytes
were added after the signed revision, and its validity against the trust list
(ATTACHMENT_TRUST_ROOTS, a PEM bundle of CA certificates): `valid` (intact, and the signer's
certificate chains to one of them), `invalid`, or `not checked` when no trust list is
configured — never a silent pass. Nothing is fetched from the network (no revocation lists).
pyHanko is imported when first needed (it takes over half a second to import).

The reading is the service's, made with the trust list of that moment: the ledger commits to the
document's bytes (its digest), not to this reading; anyone holding the bytes can check again.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# What a reading says of the document as a whole.
SIGNED = "signed"
UNSIGNED = "no signature"
UNREADABLE = "unreadable"
# A signature's validity.
VALID = "valid"
INVALID = "invalid"
NOT_CHECKED = "not checked"
# Signatures read in one document (each one's check is bounded; a document carrying more is
# unusual, and the reading says how many were left unread).
MAX_SIGNATURES = 10
# pyHanko logs each untrusted chain and malformed file as a warning: the reading says it.
logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)


def load_trust_roots(path: Path) -> tuple[Any, ...]:
    """The CA certificates of the PEM bundle at `path`: ValueError (one line) when it cannot be
    read or holds none."""
    from pyhanko.keys import load_certs_from_pemder_data

    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{path} cannot be read: {error.strerror}") from None
    try:
        roots = tuple(load_certs_from_pemder_data(data))
    except ValueError as error:
        raise ValueError(f"{path} is not a PEM bundle of certificates: {error}") from None
    if not roots:
        raise ValueError(f"{path} holds no certificate")
    return roots


def read_signatures(content: bytes, trust_roots: Sequence[Any] | None) -> dict[str, Any]:
    """What the PDF `content`'s embedded signatures say (see the module's text): `status`
    (signed, no signature, unreadable), `found` (each signature read), `problem`."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signed = [
            (name, field) for name, _, field in enumerate_sig_fields(reader, filled_status=True)
        ]
    except Exception as error:  # a malformed file may fail anywhere in the parser
        return reading(UNREADABLE, [], f"the PDF could not be read: {one_line(error)}")
    if not signed:
        return reading(UNSIGNED, [], None)
    found = [read_one(reader, name, field, trust_roots) for name, field in signed[:MAX_SIGNATURES]]
    left = len(signed) - MAX_SIGNATURES
    return reading(SIGNED, found, f"{left} more signatures not read" if left > 0 else None)


def reading(status: str, found: list[dict[str, Any]], problem: str | None) -> dict[str, Any]:
    """A document's reading."""
    return {"status": status, "found": found, "problem": problem}


def read_one(
    reader: Any, name: str, field: Any, trust_roots: Sequence[Any] | None
) -> dict[str, Any]:
    """The reading of the signature in the field `name`; `problem` says what could not be read
    or why it is invalid."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    signature: Any = None
    try:
        signature = EmbeddedPdfSignature(reader, field, name)
        context = ValidationContext(trust_roots=list(trust_roots or ()), allow_fetching=False)
        # With the difference analysis: what an incremental update after the signature
        # changed (another signature, a form filled: allowed; the content: not).
        status = validate_pdf_signature(signature, context, skip_diff=False)
    except Exception as error:  # a malformed signature may fail anywhere
        return {
            "field": name,
            **_subject(signature),
            "signed_at": None,
            "intact": None,
            "modified_after": None,
            "validity": INVALID,
            "problem": f"the signature could not be read: {one_line(error)}",
        }
    intact = bool(status.intact and status.valid)
    modified_after = status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    validity, problem = _validity(intact, bool(status.trusted), trust_roots, status)
    if intact and modified_after and status.docmdp_ok is not True:
        # An update after the signature changed more than its signer allowed (the shown
        # document is not the one signed), or what it changed could not be told.
        validity = INVALID
        problem = "the document was changed after this signature beyond adding signatures"
        problem += " or filling its form: what it shows is not what was signed"
    timestamp = status.timestamp_validity
    signed_at = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    return {
        "field": name,
        **_names(status.signing_cert),
        "signed_at": None if signed_at is None else signed_at.isoformat(),
        "intact": intact,
        "modified_after": modified_after,
        "validity": validity,
        "problem": problem,
    }


def _validity(
    intact: bool, trusted: bool, trust_roots: Sequence[Any] | None, status: Any
) -> tuple[str, str | None]:
    if not intact:
        return INVALID, "the signed bytes were altered, or the signature over them is wrong"
    if not trust_roots:
        return NOT_CHECKED, "no trust list is configured (ATTACHMENT_TRUST_ROOTS)"
    if trusted:
        return VALID, None
    reason = status.trust_problem_indic
    why = "" if reason is None else f" ({reason.name})"
    return INVALID, f"the signer's certificate does not chain to the trust list{why}"


def _subject(signature: Any) -> dict[str, str | None]:
    """The signer's names from the certificate embedded in the signature, when one can be."""
    if signature is None:
        return {"signer": None, "organisation": None}
    try:
        return _names(signature.signer_cert)
    except Exception:  # the signature's structure is what could not be read
        return {"signer": None, "organisation": None}


def _names(certificate: Any) -> dict[str, str | None]:
    subject = certificate.subject.native
    common, organisation = subject.get("common_name"), subject.get("organization_name")
    return {
        "signer": None if common is None else str(common),
        "organisation": None if organisation is None else str(organisation),
    }


def one_line(error: Exception) -> str:
    """An error's text on one line, bounded."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]
