"""Documents over HTTP, on SQLite and PostgreSQL: uploaded once by SHA-256 (type read from the
bytes, size bounded), served to their uploader until an act refers to them, then to those who
may read that initiative; a command refers to them by digest and the proven event commits to
them (receipt), the dossier carries them (docs/ledger.md "Documents")."""

from __future__ import annotations

import base64
import hashlib
import io
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from projections.ledger.verify import TrustedKeys, VerificationError, verify_dossier
from tests.e2e.test_dossier import reseal, rezip
from tests.e2e.test_http_api import API, Driver, problem_of
from tests.factories import approval, directory, officer, oid, oversight_directory
from tests.signed_pdf import (
    altered_inside_signed_range,
    issue,
    make_ca,
    plain_pdf,
    signed_pdf,
)
from tests.waiting import wait_until
from web.cli import main
from web.config import ConfigError, Settings

UPLOAD = "/api/v1/attachments"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
SHA_PDF = hashlib.sha256(PDF).hexdigest()
REJECTION = {"reasons": ["Chưa khả thi"], "document_ref": "CV 2"}


def upload(
    client: FlaskClient, auth: Any, content: bytes, kind: str, who: str = "chu-tich"
) -> Any:
    return client.post(UPLOAD, data=content, headers=auth(who, **{"Content-Type": kind}))


def test_a_document_is_stored_once_under_its_digest(client: FlaskClient, auth: Any) -> None:
    first = upload(client, auth, PDF, "application/pdf")
    assert first.status_code == 201, first.get_json()
    assert first.headers["Location"] == f"{UPLOAD}/{SHA_PDF}"
    assert first.get_json() == {
        "sha256": SHA_PDF,
        "media_type": "application/pdf",
        "size": len(PDF),
        "signatures": {
            "status": "unreadable",
            "found": [],
            "problem": "the PDF could not be read: startxref not found",
        },
    }
    again = upload(client, auth, PDF, "application/octet-stream", who="pho-1")
    assert again.status_code == 200
    assert again.get_json()["sha256"] == SHA_PDF
    form = client.post(
        UPLOAD,
        data={"file": (io.BytesIO(PNG), "anh.png", "image/png")},
        headers=auth("chu-tich"),
        content_type="multipart/form-data",
    )
    assert form.status_code == 201
    assert form.get_json() == {
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "media_type": "image/png",
        "size": len(PNG),
        "signatures": None,
    }


def test_a_document_one_may_not_read_cannot_be_cited_to_read_it(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    """Citing a document makes it readable to the citing record's readers: another ward's
    cadre, or an inspector who opened no reading of the approval, who know its digest (the
    audit feed shows it to an inspector) cannot cite it from a draft of their own and read
    it there; they are refused exactly as for a digest never uploaded."""
    service = web_app.extensions["ledger.service"].get()
    service.import_directory(oversight_directory(), "test")
    outsiders = [officer("sg-can-bo", "Lý Thị Ngọc", "sai-gon-ubnd", "staff")]
    service.import_directory(directory(officers=outsiders), "test")
    approved_with_document(http, client, auth)
    refusal = (
        "no document {} that you uploaded or may read: upload it first (POST /api/v1/attachments)"
    )
    for person, organisation in (("sg-can-bo", "sai-gon-ubnd"), ("kiem-tra", "hcm-ubkt")):
        mine = Driver(client, auth)
        mine.draft(person, employing_organisation_id=str(oid(organisation)))
        for digest in (SHA_PDF, "cd" * 32):  # stored but not theirs; never uploaded
            cited = client.post(
                f"{API}/{mine.id}/correct",
                json={
                    "corrected_version": 1,
                    "reason": "Bổ sung",
                    "corrections": {"title": "Một cửa"},
                    "attachments": [digest],
                },
                headers=auth(person),
            )
            assert problem_of(cited, 422)["detail"] == refusal.format(digest), person
        assert mine.state(person)["version"] == 1  # nothing recorded
        got = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth(person))
        assert problem_of(got, 404)["detail"] == f"no document {SHA_PDF} that you may read"
    # Who may read it cites it again: a colleague of the ward, in a record of their own (once
    # the view of who cites what has the approval: until then only its uploader reads it).
    wait_until(
        lambda: client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("can-bo")).status_code == 200,
        "the colleague reads the approval's document",
    )
    ours = Driver(client, auth)
    ours.draft("can-bo")
    cited = ours.post(
        "correct",
        "can-bo",
        {
            "corrected_version": 1,
            "reason": "Bổ sung",
            "corrections": {"title": "Một cửa"},
            "attachments": [SHA_PDF],
        },
    )
    assert cited["version"] == 2


def test_the_uploader_reads_it_back_before_any_act_refers_to_it(
    client: FlaskClient, auth: Any
) -> None:
    upload(client, auth, PDF, "application/pdf")
    got = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich"))
    assert got.status_code == 200
    assert got.data == PDF
    assert got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"] == f'attachment; filename="{SHA_PDF}.pdf"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    other = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("pho-1"))
    assert problem_of(other, 404)["detail"] == f"no document {SHA_PDF} that you may read"
    unknown = client.get(f"{UPLOAD}/{'0' * 64}", headers=auth("chu-tich"))
    assert problem_of(unknown, 404)["detail"] == f"no document {'0' * 64} that you may read"
    assert problem_of(client.get(f"{UPLOAD}/{SHA_PDF}"), 401)["title"] == "Unauthorized"


def test_what_is_not_a_pdf_png_or_jpeg_is_refused(client: FlaskClient, auth: Any) -> None:
    html = upload(client, auth, b"<html>%PDF-1.7</html>", "application/pdf")
    assert problem_of(html, 415)["detail"] == (
        "only PDF, PNG and JPEG documents are accepted, and these bytes are none of them (the"
        " type is read from the bytes, not from Content-Type)"
    )
    lying = upload(client, auth, PNG, "application/pdf")
    assert problem_of(lying, 415)["detail"] == (
        "the document is said to be application/pdf but its bytes are image/png"
    )
    empty = upload(client, auth, b"", "application/pdf")
    assert problem_of(empty, 422)["detail"] == "the body holds no document"


def test_a_signed_pdf_reads_valid_against_the_trust_list(
    app_with: Any, auth: Any, tmp_path: Path
) -> None:
    """ATTACHMENT_TRUST_ROOTS holds the CA that issued the signer's certificate: valid; the same
    PDF on a service without a trust list: not checked; from another CA: invalid. The reading
    is stored: the same bytes again answer it."""
    ca = make_ca()
    pdf = signed_pdf(issue(ca, "Trần Thị Bình", "Sở Khoa học và Công nghệ"), ca)
    cases = (
        ({"ATTACHMENT_TRUST_ROOTS": str(ca.write(tmp_path, "ca.pem"))}, "valid", None),
        ({}, "not checked", "no trust list is configured (ATTACHMENT_TRUST_ROOTS)"),
        (
            {"ATTACHMENT_TRUST_ROOTS": str(make_ca("CA khác").write(tmp_path, "other.pem"))},
            "invalid",
            "the signer's certificate does not chain to the trust list"
            " (NO_CERTIFICATE_CHAIN_FOUND)",
        ),
    )
    for number, (settings, validity, problem) in enumerate(cases):
        content = pdf + b"%" * number  # bytes of their own: each case is a new document
        with app_with(**settings) as app:
            client = app.test_client()
            answer = upload(client, auth, content, "application/pdf")
            assert answer.status_code == 201, answer.get_json()
            reading = answer.get_json()["signatures"]
            [found] = reading["found"]
            assert (reading["status"], found["signer"], found["organisation"]) == (
                "signed",
                "Trần Thị Bình",
                "Sở Khoa học và Công nghệ",
            )
            assert (found["intact"], found["validity"], found["problem"]) == (
                True,
                validity,
                problem,
            )
            assert upload(client, auth, content, "application/pdf").get_json() == (
                answer.get_json()
            )


def test_a_pdf_altered_after_signing_or_unsigned_reads_so(client: FlaskClient, auth: Any) -> None:
    ca = make_ca()
    pdf = signed_pdf(issue(ca, "Lê Văn Cường", "UBND xã"), ca)
    altered = upload(client, auth, altered_inside_signed_range(pdf), "application/pdf")
    [found] = altered.get_json()["signatures"]["found"]
    assert (found["intact"], found["validity"]) == (False, "invalid")
    unsigned = upload(client, auth, plain_pdf(), "application/pdf")
    assert unsigned.get_json()["signatures"] == {
        "status": "no signature",
        "found": [],
        "problem": None,
    }


def test_an_unreadable_trust_list_stops_the_start(tmp_path: Path) -> None:
    missing = tmp_path / "roots.pem"
    with pytest.raises(ConfigError) as refused:
        Settings.load({"ATTACHMENT_TRUST_ROOTS": str(missing)})
    assert str(refused.value) == (
        f"ATTACHMENT_TRUST_ROOTS {missing} cannot be read: No such file or directory"
    )


def test_a_document_over_the_limit_is_refused(app_with: Any, auth: Any) -> None:
    with app_with(ATTACHMENT_MAX_BYTES="64") as app:
        client = app.test_client()
        headers = {**auth("chu-tich"), "Content-Type": "application/pdf"}
        big = client.post(UPLOAD, data=PDF + b" " * 20, headers=headers)
        assert problem_of(big, 413)["detail"] == (
            f"the document is {len(PDF) + 20} bytes; the largest accepted is 64 bytes"
            " (ATTACHMENT_MAX_BYTES)"
        )
        small = client.post(UPLOAD, data=PDF, headers=headers)
        assert small.status_code == 201


def test_an_upload_takes_more_than_max_content_length(web_app: Flask, auth: Any) -> None:
    """MAX_CONTENT_LENGTH (1 MiB) bounds the other requests; an upload up to
    ATTACHMENT_MAX_BYTES (20 MiB by default)."""
    content = PDF + b"0" * (2 * 1024 * 1024)
    answer = upload(web_app.test_client(), auth, content, "application/pdf")
    assert answer.status_code == 201
    assert answer.get_json()["size"] == len(content)


def proven_receipt(client: FlaskClient, auth: Any, initiative: str, version: int) -> Any:
    """The event's receipt, once a checkpoint covers it (polled: the worker seals it)."""
    deadline = time.monotonic() + 10
    while True:
        answer = client.get(
            f"{API}/{initiative}/events/{version}/receipt", headers=auth("chu-tich")
        )
        if answer.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def approved_with_document(http: Driver, client: FlaskClient, auth: Any) -> int:
    """Reviewed, voted, approved with the decision's PDF: the approval's version."""
    assert upload(client, auth, PDF, "application/pdf").status_code == 201
    http.to_decision()
    version: int = http.post("approve", "chu-tich", approval(attachments=[SHA_PDF]))["version"]
    return version


def test_an_approval_commits_to_its_decision_document(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    service = web_app.extensions["ledger.service"].get()
    service.import_directory(oversight_directory(), "test")
    outsiders = [officer("sg-can-bo", "Lý Thị Ngọc", "sai-gon-ubnd", "staff")]
    service.import_directory(directory(officers=outsiders), "test")
    version = approved_with_document(http, client, auth)
    reference = {"sha256": SHA_PDF, "media_type": "application/pdf", "size": len(PDF)}
    approved = http.history()[-1]
    assert (approved["type"], approved["data"]["attachments"]) == ("Approved", [reference])
    receipt = proven_receipt(client, auth, http.id, version)
    assert receipt["event"]["data"]["attachments"] == [reference]
    assert SHA_PDF.encode() in base64.b64decode(receipt["leaf_input"])
    # Now that an act refers to it, those who read the initiative read it (not the public).
    for reader in ("pho-1", "can-bo"):
        got = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth(reader))
        assert (got.status_code, got.data) == (200, PDF)
    for outsider in ("sg-can-bo", "kiem-tra"):  # another ward; an inspector without a reading
        refused = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth(outsider))
        assert problem_of(refused, 404)["detail"] == f"no document {SHA_PDF} that you may read"
    opened = client.post(
        f"{API}/{http.id}/readings", json={"purpose": "Kiểm tra"}, headers=auth("kiem-tra")
    )
    reading = {"X-Reading-Id": opened.get_json()["reading_id"]}
    within = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("kiem-tra", **reading))
    assert (within.status_code, within.data) == (200, PDF)


def test_a_command_naming_a_document_not_uploaded_is_refused(http: Driver) -> None:
    http.to_review()
    missing = "ab" * 32
    refused = http.post("reject", "chu-tich", {**REJECTION, "attachments": [missing]}, 422)
    assert refused["detail"] == (
        f"no document {missing} that you uploaded or may read: upload it first"
        " (POST /api/v1/attachments)"
    )
    assert refused["errors"] == {"attachments": [refused["detail"]]}
    assert http.state()["status"] == "under_review"
    malformed = http.post("reject", "chu-tich", {**REJECTION, "attachments": ["QĐ 12"]}, 422)
    assert malformed["errors"] == {
        "attachments": {"0": ["must be a SHA-256: 64 lowercase hex digits"]}
    }


def test_an_act_that_rests_on_no_document_takes_none(http: Driver) -> None:
    http.to_review()
    refused = http.post("withdraw", "can-bo", {"reason": "Rút", "attachments": [SHA_PDF]}, 422)
    assert refused["errors"] == {"attachments": ["Unknown field."]}


def dossier_of(client: FlaskClient, auth: Any, initiative: str) -> bytes:
    """The dossier, once a checkpoint covers every event (polled: the worker seals them)."""
    deadline = time.monotonic() + 10
    while True:
        answer = client.get(f"{API}/{initiative}/dossier", headers=auth("chu-tich"))
        if answer.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert answer.status_code == 200, answer.get_json()
    return answer.data


def test_the_dossier_carries_the_document_and_the_verifier_checks_it(
    http: Driver, client: FlaskClient, auth: Any, tmp_path: Path
) -> None:
    version = approved_with_document(http, client, auth)
    data = dossier_of(client, auth, http.id)
    member = f"documents/{SHA_PDF}.pdf"
    carried = zipfile.ZipFile(io.BytesIO(data)).read(member)
    assert hashlib.sha256(carried).hexdigest() == SHA_PDF
    key = client.get("/api/v1/ledger/key").get_data(as_text=True).strip()
    verified = verify_dossier(data, TrustedKeys.parse(key))
    assert [(d.name, d.sha256, d.size, d.versions) for d in verified.documents] == [
        (member, SHA_PDF, len(PDF), (version,))
    ]
    file = tmp_path / "dossier.zip"
    file.write_bytes(data)
    printed = CliRunner().invoke(main, ["verify", "dossier", str(file), "--key", key])
    assert printed.exit_code == 0, printed.output
    assert (
        f"  Văn bản / Document: {member} (application/pdf, {len(PDF)} bytes) — SHA-256 khớp sự"
        f" kiện / matches the event(s) of version {version}"
    ) in printed.output.splitlines()


def test_an_altered_missing_or_extra_document_fails_verification(
    http: Driver, client: FlaskClient, auth: Any, tmp_path: Path
) -> None:
    version = approved_with_document(http, client, auth)
    data = dossier_of(client, auth, http.id)
    keys = TrustedKeys.parse(client.get("/api/v1/ledger/key").get_data(as_text=True).strip())
    member = f"documents/{SHA_PDF}.pdf"

    def altered(files: dict[str, bytes]) -> None:
        files[member] = files[member].replace(b"1.7", b"1.4")
        reseal(files)

    def removed(files: dict[str, bytes]) -> None:
        del files[member]
        reseal(files)

    def added(files: dict[str, bytes]) -> None:
        files[f"documents/{'0' * 64}.png"] = PNG
        reseal(files)

    expected = {
        altered: f"{member} is not the document version {version} refers to: its bytes do not"
        " hash to the digest the event records",
        removed: f"{member} is missing: version {version} refers to it",
        added: f"documents/{'0' * 64}.png is not a document any proven event refers to",
    }
    for change, message in expected.items():
        with pytest.raises(VerificationError) as refused:
            verify_dossier(rezip(data, change), keys)
        assert str(refused.value) == message
    # A forged copy of a member ahead of the genuine one (an unzip tool may show either),
    # and a name outside the dossier's folder, are refused whatever the manifest says.
    for name in (member, "story.html"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
            archive.writestr(name, b"%PDF-1.7 FORGED")
            for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
                archive.writestr(info.filename, zipfile.ZipFile(io.BytesIO(data)).read(info))
        with pytest.raises(VerificationError) as refused:
            verify_dossier(out.getvalue(), keys)
        assert str(refused.value) == f"the dossier holds {name} twice"
    escaping = rezip(data, lambda files: files.update({"../evil.sh": b"rm"}))
    with pytest.raises(VerificationError) as refused:
        verify_dossier(escaping, keys)
    assert str(refused.value) == "the dossier names a file outside it: ../evil.sh"
    # Without resealing, the manifest already says the document was changed.
    tampered = rezip(data, lambda files: files.update({member: PDF + b"\n"}))
    with pytest.raises(VerificationError, match=f"{member} was changed after"):
        verify_dossier(tampered, keys)
