"""deploy/nginx.conf's body limits against the app's: 1m (MAX_CONTENT_LENGTH's default)
everywhere but the document upload and the pages' command forms, which take
ATTACHMENT_MAX_BYTES's default and the multipart form around it (web/app.py)."""

from __future__ import annotations

import re
from pathlib import Path

from web.api.attachments import MULTIPART_OVERHEAD
from web.config import Settings

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
MIB = 1024 * 1024
UPLOAD = "= /api/v1/attachments"
FORMS = "~ ^/initiatives/[0-9a-f-]+/do/[a-z_]+$"


def test_nginx_takes_large_bodies_only_where_the_app_does() -> None:
    text = NGINX.read_text(encoding="utf-8")
    defaults = Settings.load({})
    every = re.findall(r"client_max_body_size (\d+)m;", text)
    assert int(every[0]) * MIB == defaults.max_content_length
    larger = dict(re.findall(r"location ([=~] \S+) \{\s*client_max_body_size (\d+)m;", text))
    assert sorted(larger) == [UPLOAD, FORMS]
    assert len(every) == 1 + len(larger)  # no other location changes the limit
    needed = defaults.attachment_max_bytes + MULTIPART_OVERHEAD
    for megabytes in larger.values():
        assert needed <= int(megabytes) * MIB < needed + MIB  # enough, rounded up to 1m


def test_the_forms_location_is_the_pages_command_route_only() -> None:
    forms = re.compile(FORMS.removeprefix("~ "))
    initiative = "/initiatives/1a162350-8eaa-48cf-98d5-c2ac986cbf16"
    assert forms.match(f"{initiative}/do/approve")
    assert forms.match(f"{initiative}/do/give_party_opinion")
    for other in (f"{initiative}/dossier", f"{initiative}/reading", "/initiatives/new"):
        assert not forms.match(other)
