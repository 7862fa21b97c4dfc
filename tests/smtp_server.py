"""A real SMTP server for the reminder tests (aiosmtpd), as its own process: every message it
accepts is written to a folder, `<n>.json` (the envelope: sender, recipients, login) then
`<n>.eml` (the bytes received), each renamed into place whole.

Usage: python smtp_server.py HOST:PORT FOLDER [--refuse ADDRESS]... [--die-after-data]
       [--tls CERT KEY --login USER PASSWORD]

--refuse: answer 550 to RCPT TO that address; --die-after-data: exit after writing the first
message, before answering the end of its DATA (a server that took a message and was then lost);
--tls: offer STARTTLS and require it, and a login, before any mail.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import ssl
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Folder:
    """The handler: refuse some recipients, keep every message."""

    def __init__(self, folder: Path, refused: set[str], die_after_data: bool) -> None:
        self.folder = folder
        self.refused = refused
        self.die_after_data = die_after_data
        self.count = 0

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        envelope_data = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": login,
            "tls": session.ssl is not None,
        }
        name = f"{os.getpid()}-{self.count:04d}"
        for suffix, data in (
            (".json", json.dumps(envelope_data).encode()),
            (".eml", envelope.original_content),
        ):
            draft = self.folder / f".{name}{suffix}.tmp"
            draft.write_bytes(data)
            draft.rename(self.folder / f"{name}{suffix}")
        if self.die_after_data:
            os._exit(0)  # the message is kept; its sender never hears so
        return "250 2.0.0 Ok: queued"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("listen")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--die-after-data", action="store_true")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--login", nargs=2, metavar=("USER", "PASSWORD"))
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    args.folder.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        options.update(tls_context=context, require_starttls=True)
    if args.login:
        user, password = args.login

        def authenticator(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            good = isinstance(data, LoginPassword) and (
                data.login.decode(),
                data.password.decode(),
            ) == (user, password)
            return AuthResult(success=good, auth_data=data)

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    handler = Folder(args.folder, set(args.refuse), args.die_after_data)
    controller = Controller(handler, hostname=host, port=int(port), **options)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    controller.start()
    print(f"listening on {host}:{port}", flush=True)
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
