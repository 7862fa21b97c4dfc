"""The certificate of an act as one A4 page of PDF (WeasyPrint), in the reader's language.

Every fact on it comes from receipts verified with the deployment's keys
(projections/ledger/certificate.py). The names of other people — proposers, voters, assignees —
are not in those receipts: they are read from the directory and marked with an asterisk, and
the page says so. A QR code carries the link to the act's receipt, with one sentence on how to
check it offline.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import segno
from flask import Response, current_app, render_template, url_for
from flask_babel import gettext as _
from weasyprint import HTML

from domain.values import VIETNAM_TZ
from projections import queries
from projections.ledger.acts import ActError
from projections.ledger.certificate import CertifiedAct, certify
from projections.ledger.receipts import NotYetProvableError
from projections.ledger.verify import VerificationError, VerifiedReceipt
from web.exports import is_date_field
from web.pages import labels
from web.pages.filters import day, moment

ENVELOPE = ("timestamp", "actor", "request_id")
# Content fields whose values are people or organisations (shown by name, from the directory).
IDS = ("assignee_ids", "attendee_ids", "eligible_voter_ids", "proposer_ids", "person_ids")


def certificate_pdf(certified: CertifiedAct, names: dict[str, str], receipt_url: str) -> bytes:
    """One page of PDF: the certificate of `certified`."""
    html = render_template(
        "certificate.html",
        act=_act(certified.act, names),
        initiative=certified.initiative,
        proposers=[_named(i, names) for i in certified.initiative.get("proposer_ids", [])],
        employing=_named(certified.initiative.get("employing_organisation_id"), names),
        meeting=_meeting(certified.meeting, names) if certified.meeting else None,
        seal=_seal(certified.act),
        qr=segno.make(receipt_url, error="m").svg_data_uri(scale=3, border=1),
        receipt_url=receipt_url,
        issued=datetime.now(VIETNAM_TZ),
    )
    pdf: bytes = HTML(string=html, base_url=current_app.root_path).write_pdf()
    return pdf


def certificate_download(initiative_id: UUID, version: int) -> Response:
    """The certificate of one sealed event of an initiative, as a PDF download (who may have
    its receipt may have its certificate; 404 unknown, 409 not yet provable or not proven)."""
    from web.api import ledger_store, receipt_allowed, service  # the API's (no import cycle)
    from web.api.ledger import trusted_keys

    receipt_allowed(initiative_id, version)  # the receipt's gates: read policy, proven
    keys = trusted_keys()
    if keys is None:
        raise NotYetProvableError("this deployment has no checkpoint key yet")
    reads = current_app.extensions["ledger.reads"]
    history = service().get_history(initiative_id, None)
    try:
        certified = certify(
            service(), ledger_store(reads.db), keys, initiative_id, version, history
        )
    except VerificationError as error:
        raise ActError(initiative_id, version, f"does not verify: {error}") from error
    names = queries.directory_names(reads.db)
    pdf = certificate_pdf(certified, names, receipt_link(initiative_id, version))
    filename = f"certificate-{initiative_id}-v{version}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def receipt_link(initiative_id: UUID, version: int) -> str:
    """Where the act's receipt is downloaded (the QR code's link)."""
    return url_for("pages.receipt", initiative_id=initiative_id, version=version, _external=True)


def _named(value: Any, names: dict[str, str]) -> str:
    """A person's or organisation's name from the directory, marked (not proven here)."""
    if not value:
        return "—"
    name = names.get(str(value))
    return f"{name}*" if name else str(value)


def _act(receipt: VerifiedReceipt, names: dict[str, str]) -> dict[str, Any]:
    """The act: its kind, who, under which position held when, and its content as rows."""
    content = receipt.content
    actor = content.get("actor") or {}
    authority = receipt.authority
    act = {
        "kind": labels.event_label(receipt.event_type),
        "version": receipt.record.version,
        "recorded_at": moment(content.get("timestamp")),
        "actor": actor.get("name", "—"),
        "position": labels.choice_label(actor.get("role")),
        "organisation": "—",
        "held": "—",
        "rows": _rows(content, names),
    }
    if authority is not None:
        held = authority.position
        act["position"] = held.get("title") or held.get("role")
        act["organisation"] = authority.organisation_name
        ends = day(held["valid_to"]) if held.get("valid_to") else "…"
        act["held"] = f"{day(held.get('valid_from'))} - {ends}"
    return act


def _rows(
    content: dict[str, Any], names: dict[str, str], prefix: str = ""
) -> list[tuple[str, str]]:
    """Each field of the content with its label and its value as a reader reads it."""
    rows: list[tuple[str, str]] = []
    for key, value in content.items():
        if key in ENVELOPE or value in (None, "", [], {}):
            continue
        label = str(labels.field_label(key))
        if isinstance(value, dict):
            rows += _rows(value, names, f"{prefix}{label} — ")
        else:
            rows.append((prefix + label, _shown(key, value, names)))
    return rows


def _shown(key: str, value: Any, names: dict[str, str]) -> str:
    """A value of the content as a reader reads it."""
    if isinstance(value, list):
        return "; ".join(_shown(key, v, names) for v in value)
    shown: Any = value
    if isinstance(value, bool):
        shown = _("Có") if value else _("Không")
    elif key in IDS or (isinstance(value, str) and key.endswith("_id")):
        shown = _named(value, names)
    elif isinstance(value, str) and is_date_field(key):
        shown = _day_or_text(value)
    elif isinstance(value, str):
        shown = labels.choice_label(value)
    return str(shown)


def _day_or_text(value: str) -> str:
    try:
        return day(date.fromisoformat(value))
    except ValueError:
        return value


def _meeting(receipt: VerifiedReceipt, names: dict[str, str]) -> dict[str, Any]:
    """The leadership meeting's vote: each member present and how they voted."""
    content = receipt.content
    votes = {str(v["person_id"]): v["vote"] for v in content.get("votes", [])}
    tally = {
        kind: sum(1 for v in votes.values() if v == kind) for kind in ("for", "against", "abstain")
    }
    return {
        "date": day(content.get("meeting_date")),
        "minutes": content.get("minutes_ref", "—"),
        "version": receipt.record.version,
        "members": [
            (
                _named(person, names),
                labels.choice_label(votes.get(str(person))) if str(person) in votes else "—",
            )
            for person in content.get("attendee_ids", [])
        ],
        "tally": tally,
    }


def _seal(receipt: VerifiedReceipt) -> dict[str, Any]:
    """Where the act is sealed: its leaf, the checkpoint, its witnesses."""
    return {
        "index": receipt.index,
        "origin": receipt.checkpoint.origin,
        "size": receipt.checkpoint.size,
        "root": receipt.checkpoint.root.hex(),
        "witnesses": [
            (name, moment(datetime.fromtimestamp(stamp, tz=VIETNAM_TZ).isoformat()))
            for name, stamp in sorted(receipt.cosignatures.items())
        ],
    }
