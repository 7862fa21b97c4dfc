"""Documents on the pages: each event's documents in the timeline (digest, type and size from
the event, which the ledger covers; the reading of a PDF's signatures, the service's, marked so),
their download under the API's read rule with the page's session, and the files a command form
uploads (stored as attachments, then referred to like the digests typed in the form)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import (
    HTTPException,
    RequestEntityTooLarge,
    ServiceUnavailable,
    UnsupportedMediaType,
)

from domain.errors import InvalidError
from web.api.attachments import attachment_store, limit, readable, served, upload
from web.pages import bp
from web.pages.filters import moment, number

# The form field of the files a command form uploads (web/templates/initiative.html).
FILES_FIELD = "attachment_files"
KINDS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


@bp.get("/documents/<string:sha256>")
def document(sha256: str) -> Response:
    """Download a document: for whoever may read an initiative whose event refers to it, or
    its uploader before any does (the API's rule, web/api/attachments.py); else 404."""
    return served(readable(sha256))


def with_documents(history: list[dict[str, Any]]) -> None:
    """Move each timeline entry's `attachments` (the event's references) to `documents`, each
    with its name, type, size and the reading of its signatures, in the page's language."""
    store = attachment_store()
    for entry in history:
        references = entry["data"].pop("attachments", None) or []
        entry["documents"] = [_document(ref, store.find(str(ref["sha256"]))) for ref in references]


def _document(reference: dict[str, Any], stored: Any) -> dict[str, Any]:
    sha256, media_type = str(reference["sha256"]), str(reference["media_type"])
    return {
        "sha256": sha256,
        "name": sha256[:12] + "…",
        "kind": KINDS.get(media_type, media_type),
        "size": _("%(n)s byte", n=number(reference["size"])),
        "signatures": [] if stored is None else signature_lines(stored.signatures),
    }


def signature_lines(reading: dict[str, Any] | None) -> list[str]:
    """What the reading of a PDF's signatures says, one line a signature (none for an image)."""
    if reading is None:
        return []
    if reading["status"] == "no signature":
        return [_("Không có chữ ký số.")]
    if reading["status"] == "unreadable":
        return [_("Không đọc được tệp PDF để kiểm tra chữ ký số.")]
    return [_signature_line(found) for found in reading["found"]]


def _signature_line(found: dict[str, Any]) -> str:
    signer = found["signer"] or _("(không rõ người ký)")
    if found["organisation"]:
        signer = f"{signer} ({found['organisation']})"
    line = str(
        _(
            "Ký số bởi %(signer)s, lúc %(at)s, %(validity)s",
            signer=signer,
            at=moment(found["signed_at"]),
            validity=_validity(found),
        )
    )
    if found["modified_after"]:
        line += "; " + _("tệp có thêm nội dung sau khi ký")
    return line


def _validity(found: dict[str, Any]) -> str:
    if found["validity"] == "valid":
        return str(_("hợp lệ"))
    if found["validity"] == "not checked":
        return str(_("chưa kiểm tra (chưa cấu hình danh sách tin cậy)"))
    if found["intact"] is None:
        return str(_("không hợp lệ (không đọc được chữ ký)"))
    if not found["intact"]:
        return str(_("không hợp lệ (nội dung đã ký bị thay đổi)"))
    return str(_("không hợp lệ (chứng thư không thuộc danh sách tin cậy)"))


def with_uploads(posted: dict[str, Any], files: list[FileStorage]) -> dict[str, Any]:
    """The form's body with the digests of the files it carries added to its `attachments`
    (after those typed in the box), each file stored first (PDF, PNG, JPEG, up to
    ATTACHMENT_MAX_BYTES). A refused file is a 422 on `attachments`, in the page's language."""
    digests = [*posted.get("attachments", [])]
    for file in files:
        if not file.filename:
            continue  # the form's file input left empty
        content = file.stream.read(limit() + 1)
        try:
            stored, _new = upload(content, file.mimetype or "")
        except ServiceUnavailable:
            raise  # the object store is down: not the file's fault
        except HTTPException as error:
            raise _refused(error, file.filename) from None
        digests.append(stored.sha256)
    return {**posted, "attachments": digests} if digests else posted


def _refused(error: HTTPException, name: str) -> InvalidError:
    """The refusal of a file chosen in a form, its name a value of the sentence (never part
    of its template: a name may hold any character)."""
    if isinstance(error, RequestEntityTooLarge):
        return InvalidError(
            "the file {name} is larger than {limit} bytes", "attachments", name=name, limit=limit()
        )
    if isinstance(error, UnsupportedMediaType):
        return InvalidError("the file {name} is not a PDF, PNG or JPEG", "attachments", name=name)
    return InvalidError("the file {name} is empty", "attachments", name=name)
