"""Documents kept in an S3-compatible store (ATTACHMENT_S3_*), on SQLite and PostgreSQL, against
a real S3 server process (moto_server, tests/s3_server.py): the bytes go to the bucket under
`sha256/<digest>`, the row keeps the rest with its content NULL; a download and the dossier read
them back only when they hash to their digest; a store that does not answer records nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from projections.db import Database
from projections.ledger.integrity import RecordIntegrityError
from projections.ledger.verify import TrustedKeys, verify_dossier
from projections.storage import Storage
from tests.conftest import running_app
from tests.e2e.test_http_api import API, Driver, problem_of
from tests.e2e.test_http_attachments import (
    PDF,
    SHA_PDF,
    UPLOAD,
    approved_with_document,
    dossier_of,
    proven_receipt,
    upload,
)
from tests.factories import Clock, pid
from tests.ports import free_port
from tests.s3_server import S3Server, running_s3
from web.config import ConfigError, Settings

KEY = f"sha256/{SHA_PDF}"


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    yield from running_s3(free_port(), log)


@pytest.fixture
def bucket(s3: S3Server) -> str:
    return s3.new_bucket()


@pytest.fixture
def web_app(
    storage: Storage, clock: Clock, ledger_key: Path, s3: S3Server, bucket: str
) -> Iterator[Flask]:
    """The app with its documents' bytes in the test's bucket."""
    with running_app(storage, clock, ledger_key, **s3.settings(bucket)) as flask_app:
        yield flask_app


def rows(flask_app: Flask) -> list[dict[str, Any]]:
    db: Database = flask_app.extensions["ledger.reads"].db
    return [
        dict(row) for row in db.query("SELECT sha256, size, content, uploaded_by FROM attachments")
    ]


def test_the_bytes_go_to_the_bucket_and_the_row_keeps_the_rest(
    client: FlaskClient, auth: Any, web_app: Flask, s3: S3Server, bucket: str
) -> None:
    first = upload(client, auth, PDF, "application/pdf")
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["sha256"] == SHA_PDF
    stored = s3.client().get_object(bucket, KEY)
    assert (stored.read(), stored.headers["Content-Type"]) == (PDF, "application/pdf")
    assert [o.object_name for o in s3.client().list_objects(bucket, recursive=True)] == [KEY]
    expected = [
        {"sha256": SHA_PDF, "size": len(PDF), "content": None, "uploaded_by": str(pid("chu-tich"))}
    ]
    assert rows(web_app) == expected
    again = upload(client, auth, PDF, "application/octet-stream", who="pho-1")
    assert (again.status_code, again.get_json()["sha256"]) == (200, SHA_PDF)
    assert rows(web_app) == expected  # the first uploader stays, one row
    got = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich"))
    assert (got.status_code, got.data, got.mimetype) == (200, PDF, "application/pdf")


def test_the_dossier_carries_the_document_from_the_bucket(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    version = approved_with_document(http, client, auth)
    data = dossier_of(client, auth, http.id)
    member = f"documents/{SHA_PDF}.pdf"
    assert zipfile.ZipFile(io.BytesIO(data)).read(member) == PDF
    key = client.get("/api/v1/ledger/key").get_data(as_text=True).strip()
    verified = verify_dossier(data, TrustedKeys.parse(key))
    assert [(d.name, d.sha256, d.size, d.versions) for d in verified.documents] == [
        (member, SHA_PDF, len(PDF), (version,))
    ]


def altered_detail(sha256: str) -> str:
    return (
        f"document {sha256} is not stored intact: the bytes kept under it do not hash to it,"
        " so they are not served; the operator must be told"
    )


def test_an_object_altered_in_the_bucket_is_never_served(
    http: Driver, client: FlaskClient, auth: Any, s3: S3Server, bucket: str
) -> None:
    """The store's operator changes the decision's bytes: the download is refused, and the
    dossier stops before the document (not a valid ZIP), naming the event."""
    version = approved_with_document(http, client, auth)
    forged = PDF.replace(b"1.7", b"1.4")
    s3.client().put_object(bucket, KEY, io.BytesIO(forged), len(forged))
    refused = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich"))
    assert problem_of(refused, 409)["detail"] == altered_detail(SHA_PDF)
    assert forged not in refused.data
    in_vietnamese = client.get(
        f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich", **{"Accept-Language": "vi"})
    )
    assert problem_of(in_vietnamese, 409)["detail"] == (
        f"Tài liệu {SHA_PDF} không còn nguyên vẹn: nội dung đang lưu không khớp mã băm SHA-256"
        " của nó nên không được cung cấp; cần báo cho đơn vị vận hành"
    )
    proven_receipt(client, auth, http.id, version)  # every event under a checkpoint
    answer = client.get(f"{API}/{http.id}/dossier", headers=auth("chu-tich"))
    assert answer.status_code == 200  # the refusal comes once the stream reaches it
    with pytest.raises(RecordIntegrityError) as broken:
        answer.get_data()
    assert str(broken.value) == (
        f"event {http.id} version {version} refers to documents/{SHA_PDF}.pdf, which is not"
        " stored intact"
    )
    s3.client().remove_object(bucket, KEY)  # gone from the bucket: refused the same way
    missing = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich"))
    assert problem_of(missing, 409)["detail"] == altered_detail(SHA_PDF)


def test_a_store_that_does_not_answer_records_nothing(
    app_with: Any, auth: Any, s3: S3Server, bucket: str
) -> None:
    down = {**s3.settings(bucket), "ATTACHMENT_S3_ENDPOINT": f"http://127.0.0.1:{free_port()}"}
    with app_with(**down) as app:
        client = app.test_client()
        refused = upload(client, auth, PDF, "application/pdf")
        body = problem_of(refused, 503)
        assert body["detail"] == (
            "the store that keeps the documents cannot be reached: the document was not"
            " stored; retry later"
        )
        assert refused.headers["Retry-After"] == "30"
        assert rows(app) == []
        unknown = client.get(f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich"))
        assert problem_of(unknown, 404)["detail"] == f"no document {SHA_PDF} that you may read"
    with app_with(**s3.settings(bucket)) as app:  # kept once the store is back
        client = app.test_client()
        assert upload(client, auth, PDF, "application/pdf").status_code == 201
    with app_with(**down) as app:  # and its download waits for the store
        refused = app.test_client().get(f"{UPLOAD}/{SHA_PDF}", headers=auth("chu-tich"))
        assert problem_of(refused, 503)["detail"] == (
            "the store that keeps the documents cannot be reached: retry later"
        )


S3 = {
    "ATTACHMENT_S3_ENDPOINT": "https://s3.example.gov.vn",
    "ATTACHMENT_S3_BUCKET": "documents",
    "ATTACHMENT_S3_ACCESS_KEY": "ledger",
    "ATTACHMENT_S3_SECRET_KEY": "secret",
}
# What a partial object store setting is refused with, before it names what is missing.
NEEDED = (
    "an object store for the documents needs ATTACHMENT_S3_ENDPOINT, ATTACHMENT_S3_BUCKET,"
    " ATTACHMENT_S3_ACCESS_KEY and ATTACHMENT_S3_SECRET_KEY (or _FILE) together"
)


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        (
            {"ATTACHMENT_S3_ENDPOINT": "https://s3.example.gov.vn", "ATTACHMENT_S3_BUCKET": "d1"},
            f"{NEEDED}; missing ATTACHMENT_S3_ACCESS_KEY, ATTACHMENT_S3_SECRET_KEY",
        ),
        (
            {"ATTACHMENT_S3_REGION": "us-east-1"},
            f"{NEEDED}; missing ATTACHMENT_S3_ENDPOINT, ATTACHMENT_S3_BUCKET,"
            " ATTACHMENT_S3_ACCESS_KEY, ATTACHMENT_S3_SECRET_KEY",
        ),
        (
            {**S3, "ATTACHMENT_S3_ENDPOINT": "s3.example.gov.vn"},
            "ATTACHMENT_S3_ENDPOINT must be the object store's address, https://host[:port],"
            " not 's3.example.gov.vn'",
        ),
        (
            {**S3, "ATTACHMENT_S3_ENDPOINT": "https://s3.example.gov.vn/documents"},
            "ATTACHMENT_S3_ENDPOINT must be the store's address, scheme://host[:port] without"
            " a path (the bucket is ATTACHMENT_S3_BUCKET), not"
            " 'https://s3.example.gov.vn/documents'",
        ),
        (
            {**S3, "ATTACHMENT_S3_BUCKET": "Tài_liệu"},
            "ATTACHMENT_S3_BUCKET must be a bucket's name (3 to 63 lowercase letters, digits,"
            " dots and hyphens), not 'Tài_liệu'",
        ),
        (
            {**S3, "ATTACHMENT_S3_SECRET_KEY_FILE": "/run/secrets/s3"},
            "set ATTACHMENT_S3_SECRET_KEY or ATTACHMENT_S3_SECRET_KEY_FILE, not both",
        ),
    ],
)
def test_settings_partial_or_unusable_refuse_the_start(
    given: dict[str, str], refusal: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.load(given)
    assert str(refused.value) == refusal


def test_the_secret_may_be_a_file_and_production_wants_https(tmp_path: Path) -> None:
    secret = tmp_path / "s3-secret"
    secret.write_text("from-the-file\n")
    unset = {"ATTACHMENT_S3_SECRET_KEY": ""}
    settings = Settings.load({**S3, **unset, "ATTACHMENT_S3_SECRET_KEY_FILE": str(secret)})
    objects = settings.attachment_objects
    assert objects is not None
    assert (objects.endpoint, objects.bucket) == ("https://s3.example.gov.vn", "documents")
    missing = tmp_path / "none"
    with pytest.raises(ConfigError) as unreadable:
        Settings.load({**S3, **unset, "ATTACHMENT_S3_SECRET_KEY_FILE": str(missing)})
    assert str(unreadable.value) == (
        f"ATTACHMENT_S3_SECRET_KEY_FILE {missing} cannot be read: No such file or directory"
    )
    plain = {**S3, "ATTACHMENT_S3_ENDPOINT": "http://127.0.0.1:9000"}
    assert Settings.load(plain).attachment_objects is not None  # in development
    assert Settings.load({}).attachment_objects is None  # the database keeps the bytes
    with pytest.raises(ConfigError) as production:
        Settings.load(
            {
                **plain,
                "LEDGER_ENV": "production",
                "DATABASE_URL": "postgresql://ledger@db/ledger",
                "JWT_SECRET": "s" * 40,
                "SECRET_KEY": "k" * 40,
                "LEDGER_ORIGIN": "ledger.example.gov.vn/initiatives",
            }
        )
    assert str(production.value) == (
        "ATTACHMENT_S3_ENDPOINT must be an https:// address in production, not"
        " 'http://127.0.0.1:9000'"
    )
