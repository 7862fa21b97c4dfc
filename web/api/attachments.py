"""Documents: uploaded once (`POST /api/v1/attachments`), kept under the SHA-256 of their bytes,
referred to by digest in the commands that rest on them (web/api/documents.py), served to those
who may read an initiative whose event refers to them — or to their uploader before any does."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from flask import Response, current_app, g, request
from flask.views import MethodView
from werkzeug.exceptions import (
    Conflict,
    NotFound,
    RequestEntityTooLarge,
    ServiceUnavailable,
    UnprocessableEntity,
    UnsupportedMediaType,
)

from domain.errors import InvalidError
from domain.initiative_payloads import DocumentRef
from domain.messages import msg
from domain.read_policy import FULL
from domain.values import Context
from projections.attachment_objects import ObjectStoreError
from projections.attachments import (
    AlteredDocumentError,
    Attachment,
    AttachmentStore,
    digest_of,
    file_name,
    sniff,
)
from projections.documents_view import referrers
from projections.signatures import read_signatures
from web.api import Blueprint, authenticated, proven, reading_open, service
from web.auth import context
from web.refusals import Sentence
from web.schemas.attachments import AttachmentSchema

blp = Blueprint(
    "attachments",
    __name__,
    url_prefix="/api/v1/attachments",
    description="Documents (PDF, PNG, JPEG) the acts refer to by SHA-256",
)
errors = authenticated(
    blp,
    {
        404: "No such document, or not one you may read",
        409: "The record of the initiative referring to it does not match the ledger, or the"
        " document's stored bytes do not hash to its SHA-256 (not served)",
        413: "Larger than ATTACHMENT_MAX_BYTES",
        415: "Not a PDF, PNG or JPEG, or not what its Content-Type says",
        422: "No document in the body",
        503: "The object store keeping the documents' bytes (ATTACHMENT_S3_*) cannot be"
        " reached; nothing was recorded",
    },
)
# The types a client may say it sends without saying which (the bytes decide).
UNSAID = {"", "application/octet-stream"}
UPLOAD_BODY = {
    "required": True,
    "description": "the document's bytes, as the body (Content-Type: application/pdf,"
    " image/png, image/jpeg or application/octet-stream), or as the `file` part of a"
    " multipart/form-data body",
    "content": {
        **{
            kind: {"schema": {"type": "string", "format": "binary"}}
            for kind in ("application/pdf", "image/png", "image/jpeg", "application/octet-stream")
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
    },
}


def attachment_store() -> AttachmentStore:
    """The attachments of this deployment (their bytes in the database, or in the object
    store ATTACHMENT_S3_* names)."""
    settings = current_app.extensions["ledger.settings"]
    return AttachmentStore(current_app.extensions["ledger.reads"].db, settings.attachment_objects)


# How long a client is asked to wait before trying again when the object store does not answer.
STORE_RETRY = 30


def store_unavailable(writing: bool) -> ServiceUnavailable:
    """The 503 of an object store that does not answer (ATTACHMENT_S3_*)."""
    if writing:
        said = msg(
            "the store that keeps the documents cannot be reached: the document was not"
            " stored; retry later"
        )
    else:
        said = msg("the store that keeps the documents cannot be reached: retry later")
    return ServiceUnavailable(description=said, retry_after=STORE_RETRY)


def limit() -> int:
    """The largest document accepted, in bytes (ATTACHMENT_MAX_BYTES)."""
    most: int = current_app.extensions["ledger.settings"].attachment_max_bytes
    return most


def too_large(size: int | None) -> RequestEntityTooLarge:
    """The 413 of a document over the limit."""
    if size is None:
        return RequestEntityTooLarge(
            description=Sentence(
                "the document is larger; the largest accepted is {limit} bytes"
                " (ATTACHMENT_MAX_BYTES)",
                limit=limit(),
            )
        )
    return RequestEntityTooLarge(
        description=Sentence(
            "the document is {size} bytes; the largest accepted is {limit} bytes"
            " (ATTACHMENT_MAX_BYTES)",
            size=size,
            limit=limit(),
        )
    )


def upload(content: bytes, declared: str) -> tuple[Attachment, bool]:
    """Keep `content` (what the client says it is: `declared`): the stored document, and
    whether it was new. 413 over the limit, 415 when its bytes are not a PDF, PNG or JPEG
    or not what `declared` says, 422 when empty."""
    if len(content) > limit():
        raise too_large(len(content))
    if not content:
        raise _empty()
    kind = sniff(content)
    if kind is None:
        raise UnsupportedMediaType(
            description=msg(
                "only PDF, PNG and JPEG documents are accepted, and these bytes are"
                " none of them (the type is read from the bytes, not from Content-Type)"
            )
        )
    said = declared.split(";")[0].strip().lower()
    if said not in UNSAID and said != kind:
        raise UnsupportedMediaType(
            description=Sentence(
                "the document is said to be {said} but its bytes are {kind}",
                said=said,
                kind=kind,
            )
        )
    store = attachment_store()
    new = store.find(digest_of(content)) is None
    signatures = signatures_of(content, kind) if new else None
    try:
        stored = store.add(content, kind, str(g.person_id), service().clock(), signatures)
    except ObjectStoreError:
        raise store_unavailable(writing=True) from None
    return stored, new


def _empty() -> UnprocessableEntity:
    return UnprocessableEntity(description=msg("the body holds no document"))


def signatures_of(content: bytes, kind: str) -> dict[str, Any] | None:
    """A PDF's embedded signatures as read against ATTACHMENT_TRUST_ROOTS (projections/
    signatures.py); None for an image."""
    if kind != "application/pdf":
        return None
    roots = current_app.extensions["ledger.settings"].attachment_trust_roots
    return read_signatures(content, roots)


def _received() -> tuple[bytes, str]:
    """The document sent and the type the client says it is: the `file` part of a multipart
    form, or the whole body."""
    if (request.content_length or 0) > limit() + MULTIPART_OVERHEAD:
        raise too_large(None)
    if request.mimetype == "multipart/form-data":
        part = request.files.get("file")
        if part is None:
            raise _empty()
        return part.stream.read(limit() + 1), part.mimetype or ""
    return request.get_data(cache=False), request.mimetype or ""


# What a multipart form adds around the file (boundaries, part headers), allowed beyond the
# document's limit before the body is refused unread.
MULTIPART_OVERHEAD = 64 * 1024


@blp.route("")
class Attachments(MethodView):
    """The documents."""

    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, AttachmentSchema)
    @blp.alt_response(200, schema=AttachmentSchema, description="Already stored")
    @errors(401, 413, 415, 422, 503)
    def post(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Upload a document (PDF, PNG or JPEG; its type is read from its bytes). Its answer
        names it by SHA-256, which a command's `attachments` then refers to; the same bytes
        again answer the same document (200). A PDF's embedded signatures are read: signer,
        time, integrity, and validity against ATTACHMENT_TRUST_ROOTS ("not checked" without)."""
        content, declared = _received()
        stored, new = upload(content, declared)
        where = {"Location": f"{blp.url_prefix}/{stored.sha256}"}
        return stored.as_dict(), 201 if new else 200, where


@blp.route("/<string:sha256>")
class AttachmentBySha(MethodView):
    """One document's bytes."""

    @blp.response(200, content_type="application/octet-stream")
    @errors(401, 404, 409, 503)
    def get(self, sha256: str) -> Response:
        """The document, as uploaded, with the type read from its bytes: for whoever may read
        an initiative whose event refers to it (an inspector: within a reading), or for its
        uploader before any event does. Its bytes are served only when they hash to its
        SHA-256 (else 409)."""
        return served(readable(sha256))


def served(stored: Attachment) -> Response:
    """The document's bytes as a download (the API's route and the pages' alike), once they
    are checked to hash to its digest: 409 when they do not (or are missing from the object
    store), 503 when the object store does not answer."""
    try:
        content = attachment_store().content(stored.sha256)
    except AlteredDocumentError:
        raise Conflict(
            description=Sentence(
                "document {sha256} is not stored intact: the bytes kept under it do not hash"
                " to it, so they are not served; the operator must be told",
                sha256=stored.sha256,
            )
        ) from None
    except ObjectStoreError:
        raise store_unavailable(writing=False) from None
    if content is None:  # pragma: no cover - a row is never deleted
        raise _unknown(stored.sha256)
    return Response(
        content,
        mimetype=stored.media_type,
        headers={
            "Content-Disposition": "attachment;"
            f' filename="{file_name(stored.sha256, stored.media_type)}"',
            "X-Content-Type-Options": "nosniff",
            "ETag": f'"{stored.sha256}"',
            "Cache-Control": "private, no-cache",
        },
    )


def command_context(body: dict[str, Any]) -> Context:
    """The command's context, with the documents the body refers to (popped from `body`:
    `attachments`, digests): each one the caller may read now — uploaded by them and cited
    by no event yet, or cited by an initiative whose whole record they may read. Citing a
    document makes it readable to whoever reads the citing initiative, so a document one may
    not read cannot be cited (else anyone knowing a digest would read it through a record of
    their own). 422 naming the first that may not be cited, the same whether it is stored or
    not (its existence is not revealed)."""
    digests = list(dict.fromkeys(body.pop("attachments", None) or []))
    documents: list[DocumentRef] = []
    for sha256 in digests:
        stored = _may_read(sha256, prove=False)
        if stored is None:
            raise InvalidError(
                "no document {sha256} that you uploaded or may read: upload it first"
                " (POST /api/v1/attachments)",
                "attachments",
                sha256=sha256,
            )
        documents.append(
            DocumentRef(sha256=stored.sha256, media_type=stored.media_type, size=stored.size)
        )
    return replace(context(), documents=tuple(documents))


def _unknown(sha256: str) -> NotFound:
    return NotFound(
        description=Sentence("no document {sha256} that you may read", sha256=sha256[:64])
    )


def readable(sha256: str) -> Attachment:
    """The document, if the caller may read it (else 404: its existence is not revealed)."""
    stored = _may_read(sha256, prove=True)
    if stored is None:
        raise _unknown(sha256)
    return stored


def _may_read(sha256: str, prove: bool) -> Attachment | None:
    """The stored document if the caller may read it now: its uploader while no event cites
    it, else whoever may read the whole record of an initiative that cites it (with `prove`,
    that record checked against the ledger first: nothing is served that it does not
    cover); None otherwise, stored or not."""
    stored = attachment_store().find(sha256)
    if stored is None:
        return None
    initiatives = referrers(current_app.extensions["ledger.reads"].db, sha256)
    if not initiatives:
        return stored if stored.uploaded_by == str(g.person_id) else None
    for initiative in initiatives:
        if reads_fully(UUID(initiative)):
            if prove:
                proven(UUID(initiative))
            return stored
    return None


def reads_fully(initiative_id: UUID) -> bool:
    """Whether the caller may read the initiative's restricted record now (an inspector:
    within a reading they opened)."""
    ctx = context()
    if service().read_level(ctx, initiative_id) != FULL:
        return False
    return not service().is_inspector(ctx) or reading_open(initiative_id)
