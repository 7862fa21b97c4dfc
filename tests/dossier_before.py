"""The dossier as it was built before it was streamed (kept verbatim, in memory): the
reference the streamed build (projections/ledger/dossier.py) is compared with, member by
member, in tests/integration/test_dossier_stream.py, and timed beside it by
`python -m bench.dossier`.

The inspection dossier: one self-contained ZIP that can be checked years later offline.

Contents: every event's receipt (each with its actor's authority proof), the checkpoint they
are proven under, the index proof that no later event exists at that checkpoint, the first
checkpoint that covered the initiative and a consistency proof between the two, the history
(JSON) and a printable story (HTML, Vietnamese with English) generated from the proven
records, a README, and a manifest of SHA-256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.ledger.acts import unwrap
from projections.ledger.leaf import StoredRecord
from projections.ledger.receipts import NotYetProvableError, build_receipt
from projections.ledger.store import LedgerStore
from projections.ledger.story import LABELS, ROLES, VIETNAM, history_entry, to_json
from projections.ledger.verify import DOSSIER_FORMAT


def build_dossier(app: Application[UUID], store: LedgerStore, initiative_id: UUID) -> bytes:
    """The dossier ZIP of one initiative: every event up to the latest checkpoint, proven
    under it, with the index entry showing there is no later one; the readable history and
    story generated from the proven records (a verifier regenerates them)."""
    latest = store.latest()
    first_leaf = store.leaf(initiative_id, 1)
    first = store.covering(first_leaf["index"]) if first_leaf else None
    if latest is None or first is None:
        raise NotYetProvableError("the initiative is not covered by a checkpoint yet")
    covered = sorted(v for v, i in store.leaves_of(initiative_id).items() if i < latest.size)
    last = app.recorder.select_events(initiative_id, desc=True, limit=1)
    if last and last[0].originator_version > len(covered):
        raise NotYetProvableError(
            f"versions {len(covered) + 1} to {last[0].originator_version} of the initiative are"
            " not covered by a checkpoint yet; the dossier holds every event"
        )
    receipts = {v: build_receipt(app, store, initiative_id, v, latest) for v in covered}
    history = [history_entry(*_proven(receipt)) for receipt in receipts.values()]
    proof = store.consistency(first.size, latest.size) if first.size < latest.size else []
    files: dict[str, bytes] = {
        "README.md": _readme(initiative_id).encode(),
        "history.json": to_json(history),
        "story.html": render_story(initiative_id, history).encode(),
        "checkpoint.txt": latest.note.encode(),
        "first-checkpoint.txt": first.note.encode(),
        "consistency.json": _json(
            {
                "from": first.size,
                "to": latest.size,
                "hashes": [h.hex() for h in proof],
            }
        ),
        "index.json": _json(store.index_proof(initiative_id, latest.size)),
    }
    for version, receipt in receipts.items():
        files[f"receipts/event-{version:05d}.json"] = _json(receipt)
    manifest = {
        "format": DOSSIER_FORMAT,
        "initiative_id": str(initiative_id),
        "versions": len(covered),
        "checkpoint_size": latest.size,
        "created_at": datetime.now(tz=UTC).isoformat(),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def _proven(receipt: dict[str, Any]) -> tuple[StoredRecord, bytes]:
    """A receipt's record and its act's body (the record was checked against its leaf)."""
    record = receipt["record"]
    state = base64.b64decode(record["state_base64"])
    unwrapped = unwrap(state)
    if unwrapped is None:
        raise ValueError(f"version {record['version']} is not an act")
    stored = StoredRecord(UUID(record["aggregate_id"]), record["version"], record["topic"], state)
    return stored, unwrapped[2]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()


def _readme(initiative_id: UUID) -> str:
    return f"""# Hồ sơ kiểm tra / Inspection dossier — {initiative_id}

VI: Hồ sơ này chứa toàn bộ lịch sử của sáng kiến, biên nhận (receipt) có thể kiểm chứng của
từng sự kiện, căn cứ thẩm quyền của người thực hiện, điểm kiểm (checkpoint) đã ký và bằng
chứng nhất quán giữa điểm kiểm đầu tiên và cuối cùng. Kiểm tra ngoại tuyến, chỉ cần khóa
kiểm chứng (verifier key) của cơ quan vận hành:

    ledger verify dossier <tệp.zip> --key <khóa kiểm chứng>

EN: This dossier holds the initiative's complete history, a verifiable receipt of every event
(with the receipt of the directory event that gave its actor the position they acted under),
the signed checkpoint, and a consistency proof from the first to the last checkpoint. Check it
offline with only the operator's verifier key, using the command above, or by hand following
docs/ledger.md of the initiative-ledger project:

1. manifest.json lists the SHA-256 of every other file: recompute them.
2. Each receipts/*.json is a C2SP tlog-proof bundled with the stored record: check the
   checkpoint signature, rebuild the leaf input from the record, check the inclusion proof.
3. consistency.json is an RFC 9162 consistency proof from first-checkpoint.txt to
   checkpoint.txt (hashes in hex).
4. index.json proves, against the index root in checkpoint.txt, that the last receipt is the
   initiative's latest version at that checkpoint: nothing was cut off.
5. history.json and story.html are generated from the proven records; a verifier generates
   them again and compares them byte for byte.
"""


def render_story(initiative_id: UUID, history: list[dict[str, Any]]) -> str:
    """The printable story as projections/ledger/story.py rendered it before it was cut into
    rows to be streamed (verbatim)."""
    rows = []
    for entry in history:
        vi, en = LABELS.get(entry["type"], (entry["type"], entry["type"]))
        when = datetime.fromisoformat(str(entry["recorded_at"])).astimezone(VIETNAM)
        actor = entry.get("actor") or {}
        role = actor.get("role", "")
        details = "; ".join(
            f"{k}: {v}" for k, v in entry["data"].items() if not isinstance(v, dict | list)
        )
        rows.append(
            "<tr>"
            f"<td>{entry['version']}</td><td>{when:%d/%m/%Y %H:%M}</td>"
            f"<td><b>{html.escape(vi)}</b><br><i>{html.escape(en)}</i></td>"
            f"<td>{html.escape(actor.get('name', ''))}<br>"
            f"{html.escape(ROLES.get(role, role))} / {html.escape(role)}</td>"
            f"<td>{html.escape(details)}</td></tr>"
        )
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Hồ sơ sáng kiến {initiative_id}</title>
<style>body{{font-family:serif;margin:2cm}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #444;padding:4px;vertical-align:top;font-size:11pt}}
@media print{{tr{{page-break-inside:avoid}}}}</style></head><body>
<h1>Hồ sơ sáng kiến / Initiative dossier</h1>
<p>Mã / Id: {initiative_id}. Thời gian theo giờ Việt Nam (UTC+7) / times in Vietnam time.</p>
<table><thead><tr><th>#</th><th>Ngày giờ / When</th><th>Sự kiện / Event</th>
<th>Người thực hiện / Actor</th><th>Nội dung / Details</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></body></html>
"""
