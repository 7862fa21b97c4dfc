"""The test SMTP server (tests/smtp_server.py, aiosmtpd in a process of its own) as the tests
drive it: started on a free port, what it accepted read back, and a certificate for STARTTLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import sys
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.ports import free_port
from tests.server_process import ROOT, ServerProcess, script_env


@dataclass(frozen=True)
class Received:
    """A message the server accepted: its envelope and the message as parsed."""

    envelope: dict[str, Any]
    message: EmailMessage

    @property
    def to(self) -> list[str]:
        return list(self.envelope["rcpt_tos"])


class SmtpServer(ServerProcess):
    """tests/smtp_server.py in its own process, keeping what it accepts in `folder`."""

    def __init__(self, folder: Path, *options: str) -> None:
        self.folder = folder
        self.port = free_port()
        log = folder.with_name(f"{folder.name}-{self.port}.log")
        script = str(ROOT / "tests" / "smtp_server.py")
        command = [sys.executable, script, f"127.0.0.1:{self.port}", str(folder), *options]
        super().__init__("the SMTP server", command, log, within=30, env=script_env())

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                return sock.recv(3) == b"220"
        except OSError:
            return False


def smtp_server(folder: Path, *options: str) -> SmtpServer:
    """The server, to be used as a context manager (stopped on leaving)."""
    return SmtpServer(folder, *options)


def received(folder: Path) -> list[Received]:
    """Every message the servers of this test accepted, in the order they did."""
    found = []
    for eml in sorted(folder.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
        envelope = json.loads(eml.with_suffix(".json").read_text())
        message = cast(EmailMessage, BytesParser(policy=default).parsebytes(eml.read_bytes()))
        found.append(Received(envelope, message))
    return found


def to(folder: Path) -> Counter[str]:
    """How many messages each address received."""
    return Counter(address for r in received(folder) for address in r.to)


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp.pem", folder / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file
