"""The documents' schemas: what an upload answers, and the digests a command refers to."""

from __future__ import annotations

from marshmallow import fields, validate

from web.schemas.common import StrictSchema

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="must be a SHA-256: 64 lowercase hex digits")
MAX_DOCUMENTS = 20  # documents one command may refer to


def attachments() -> fields.List[str]:
    """A command's optional `attachments`: the digests of documents uploaded before."""
    return fields.List(
        fields.String(validate=SHA256, metadata={"pattern": "^[0-9a-f]{64}$"}),
        load_default=list,
        validate=validate.Length(max=MAX_DOCUMENTS),
        metadata={
            "description": "the SHA-256 of each document the act refers to (the decision, the"
            " minutes…), uploaded first with POST /api/v1/attachments; the event records each"
            " with its media type and size, so its leaf commits to the exact documents",
            "uniqueItems": True,
        },
    )


class SignatureSchema(StrictSchema):
    """One embedded signature of a PDF, as read on upload (projections/signatures.py)."""

    field = fields.String(metadata={"description": "the signature field's name"})
    signer = fields.String(
        allow_none=True, metadata={"description": "the signer certificate's common name"}
    )
    organisation = fields.String(
        allow_none=True, metadata={"description": "the signer certificate's organisation"}
    )
    signed_at = fields.String(
        allow_none=True,
        metadata={
            "description": "when it was signed, as the signature says (its timestamp token's"
            " time when it has one)"
        },
    )
    intact = fields.Boolean(
        allow_none=True,
        metadata={
            "description": "the signed byte ranges are unchanged and the signature over them"
            " verifies (null: the signature could not be read)"
        },
    )
    modified_after = fields.Boolean(
        allow_none=True,
        metadata={"description": "bytes were added to the document after this signature"},
    )
    validity = fields.String(
        validate=validate.OneOf(("valid", "invalid", "not checked")),
        metadata={
            "description": "`valid`: intact, and the signer's certificate chains to a CA of"
            " ATTACHMENT_TRUST_ROOTS; `invalid`; `not checked`: no trust list is configured"
        },
    )
    problem = fields.String(
        allow_none=True, metadata={"description": "why it is not valid, or what was not read"}
    )


class SignatureReadingSchema(StrictSchema):
    """What a PDF's signatures say, read once on upload with the trust list of that moment
    (the ledger commits to the document's bytes, not to this reading)."""

    status = fields.String(validate=validate.OneOf(("signed", "no signature", "unreadable")))
    found = fields.List(fields.Nested(SignatureSchema))
    problem = fields.String(allow_none=True)


class AttachmentSchema(StrictSchema):
    """A stored document: its digest, media type (from its bytes), size, and a PDF's
    signatures as read (null for an image)."""

    sha256 = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    signatures = fields.Nested(SignatureReadingSchema, allow_none=True)
