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
    """One embedded signature of a PDF, as read (pyHanko)."""

    field = fields.String()
    signer = fields.String(allow_none=True)
    signed_at = fields.String(allow_none=True)
    intact = fields.Boolean(metadata={"description": "the signed bytes are unchanged"})
    trust = fields.String(
        metadata={
            "description": "`valid` (a chain to SIGNATURE_TRUST_FILE's CAs), `invalid`, or"
            " `not checked` (no trust list configured)"
        }
    )
    coverage = fields.String(allow_none=True)
    problem = fields.String(allow_none=True)


class AttachmentSchema(StrictSchema):
    """A stored document: its digest, media type (from its bytes), size, and a PDF's
    signatures (null for an image)."""

    sha256 = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    signatures = fields.List(fields.Nested(SignatureSchema), allow_none=True)
