"""PDFs for the signature tests, made here: a one-page PDF (pyHanko's writer), a throwaway CA and
a signer's certificate it issues (cryptography), and the PDF signed by pyHanko with that key."""

from __future__ import annotations

import datetime as dt
import inspect
import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

PAGE_TEXT = b"Quyet dinh phe duyet sang kien"


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def write(self, folder: Path, name: str) -> Path:
        """The certificate as a PEM bundle of one, in `folder`."""
        path = folder / name
        path.write_bytes(self.pem())
        return path


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


def _usage(ca: bool) -> x509.KeyUsage:
    """What the key may do: a CA's signs certificates and revocation lists, a signer's signs
    committing to the content (non-repudiation); every other usage KeyUsage names is off."""
    wanted = (
        {"digital_signature", "key_cert_sign", "crl_sign"}
        if ca
        else {"digital_signature", "content_commitment"}
    )
    usages = inspect.signature(x509.KeyUsage).parameters
    return x509.KeyUsage(**{usage: usage in wanted for usage in usages})


def _issue(subject: x509.Name, issuer: Issued | None, ca: bool) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(ca), critical=True)
        .sign(key if issuer is None else issuer.key, hashes.SHA256())
    )
    return Issued(certificate, key)


def make_ca(common: str = "CA thử nghiệm", organisation: str = "Ban Cơ yếu") -> Issued:
    """A self-signed CA, made for one test."""
    return _issue(_name(common, organisation), None, ca=True)


def issue(ca: Issued, common: str, organisation: str) -> Issued:
    """A signer's certificate issued by `ca`."""
    return _issue(_name(common, organisation), ca, ca=False)


def plain_pdf() -> bytes:
    """A one-page PDF without signature."""
    writer = PdfFileWriter()
    text = b"BT /F1 12 Tf 72 720 Td (" + PAGE_TEXT + b") Tj ET"
    contents = writer.add_object(generic.StreamObject(stream_data=text))
    writer.insert_page(PageObject(contents=contents, media_box=(0, 0, 595, 842)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _asn1(issued: Issued) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(issued.certificate.public_bytes(serialization.Encoding.DER))


def signed_pdf(
    signer: Issued, ca: Issued, field: str = "ChuKy1", base: bytes | None = None
) -> bytes:
    """`base` (else `plain_pdf()`) signed by `signer` (its chain: `ca`) in the field `field`,
    in an incremental update."""
    key = asn1_keys.PrivateKeyInfo.load(
        signer.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    simple = signers.SimpleSigner(
        signing_cert=_asn1(signer),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1(ca)]),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(plain_pdf() if base is None else base)),
        signers.PdfSignatureMetadata(field_name=field),
        signer=simple,
    )
    return bytes(out.getvalue())


def altered_inside_signed_range(pdf: bytes) -> bytes:
    """The page's text changed by one letter: bytes the signature covers."""
    at = pdf.index(PAGE_TEXT)
    return pdf[:at] + PAGE_TEXT.replace(b"Quyet", b"Quyxt") + pdf[at + len(PAGE_TEXT) :]


def appended_after_signing(pdf: bytes) -> bytes:
    """An incremental update after the signature (the catalogue gains /Lang)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("vi")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
