"""The readable parts of a dossier — `history.json` and `story.html` — as pure functions of
the proven records (the events' acts, and the directories their authority proofs prove), so
that a verifier regenerates them from the receipts and compares them byte for byte (a dossier
whose text was changed fails, even with its manifest recomputed). Standard library only.

The story is Vietnamese, in the pages' terms (projections/terms.py): a one-page summary
(story_summary.py), then every event with all it carries (story_values.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from uuid import UUID

from projections import terms
from projections.ledger.authority import Directory
from projections.ledger.leaf import StoredRecord, event_type, plain_state
from projections.ledger.story_summary import Summary, render_summary
from projections.ledger.story_values import Context, Names, context, esc, label

# Fields of an act's body that a history entry shows apart from its data.
ENVELOPE = ("timestamp", "actor", "request_id", "originator_topic")


def history_entry(record: StoredRecord, body: bytes) -> dict[str, Any]:
    """One event as a history entry, from its proven record and its act's body."""
    data = plain_state(body)
    return {
        "version": record.version,
        "type": event_type(record.topic),
        "recorded_at": data.get("timestamp"),
        "actor": data.get("actor"),
        "request_id": data.get("request_id"),
        "data": {k: v for k, v in data.items() if k not in ENVELOPE},
    }


def to_json(value: Any) -> bytes:
    """The dossier's JSON encoding (indented, Vietnamese readable)."""
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


class Story:
    """The story of one initiative, made in two steps: every history entry and every act's
    directory noted (the names, the summary), then the page written — head and summary, a row
    per entry (given again, in order), tail."""

    def __init__(self, initiative_id: UUID) -> None:
        self.initiative_id = initiative_id
        self.names = Names()
        self.summary = Summary()
        self.directories: dict[int, Directory] = {}  # version → its actor's, as proven
        self._actors: dict[tuple[object, ...], str] = {}  # an actor's cell, once per day

    def note(self, entry: dict[str, Any]) -> None:
        """A history entry, in order."""
        self.names.note_actor(entry.get("actor"))
        self.summary.note(entry)

    def note_directory(self, version: int, directory: Directory) -> None:
        """What the authority proof of version `version` proved of its actor's organisation
        (in the order of versions)."""
        self.directories[version] = directory
        self.names.note_directory(directory)

    def context(self, entry: dict[str, Any]) -> Context:
        return context(self.names, self.directories.get(entry["version"]), entry["recorded_at"])

    def head(self) -> str:
        """The page up to its first row: the title, the summary, the table's head."""
        return story_head(self.initiative_id) + render_summary(self.summary, self.context) + ROWS

    def row(self, entry: dict[str, Any]) -> str:
        """One history entry as a row of the events' table."""
        kind = entry["type"]
        shown = self.context(entry)
        details = shown.fields(entry["data"]) if entry["data"] else "—"
        when = shown.scalar("recorded_at", str(entry["recorded_at"]))
        return (
            f'<tr id="v{entry["version"]}"><td>{entry["version"]}</td><td>{when}</td>'
            f"<td><b>{esc(terms.EVENTS.get(kind, kind))}</b></td>"
            f"<td>{self._actor(entry, shown)}</td><td>{details}</td></tr>\n"
        )

    def _actor(self, entry: dict[str, Any], shown: Context) -> str:
        """The actor's cell (the same for every act of one actor, directory and day)."""
        actor = entry.get("actor")
        if not isinstance(actor, dict):
            return shown.actor(actor)
        key = (*sorted(actor.items()), id(shown.directory), shown.day)
        cell = self._actors.get(key)
        if cell is None:
            cell = self._actors[key] = shown.actor(actor)
        return cell


def render_story(
    initiative_id: UUID,
    history: list[dict[str, Any]],
    directories: Mapping[int, Directory],
) -> str:
    """The story of an initiative from its proven history and the directories its receipts'
    authority proofs prove (version → directory)."""
    return "".join(story_parts(initiative_id, history, directories))


def story_parts(
    initiative_id: UUID, history: Iterable[dict[str, Any]], directories: Mapping[int, Directory]
) -> Iterator[str]:
    story = Story(initiative_id)
    entries = list(history)
    for entry in entries:
        story.note(entry)
    for version in sorted(directories):
        story.note_directory(version, directories[version])
    yield story.head()
    yield from map(story.row, entries)
    yield STORY_TAIL


STYLE = """body{font-family:"DejaVu Serif",serif;margin:2cm;font-size:11pt;line-height:1.3}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:4px;
vertical-align:top;text-align:left}table.fields th{width:30%;font-weight:normal;
background:#f2f2f2}table.fields,table.list{margin:0}ul{margin:0;padding-left:1.2em}
.id{font-family:"DejaVu Sans Mono",monospace;font-size:8pt;word-break:break-all}
section.summary{page-break-after:always}
@media print{tr{page-break-inside:avoid}}
@media (max-width:700px){body{margin:8px;font-size:10pt}table.events thead{display:none}
table.events>tbody>tr>td{display:block;border:0;border-top:1px solid #ccc}
table.events>tbody>tr{display:block;border:1px solid #444;margin-bottom:8px}}"""


def story_head(initiative_id: UUID) -> str:
    """The story up to its summary."""
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hồ sơ đề xuất {initiative_id} (mã đề xuất)</title>
<style>{STYLE}</style></head><body>
<h1>Hồ sơ đề xuất đổi mới, sáng tạo</h1>
<p>{esc(label("aggregate_id"))}: <span class="id">{initiative_id} (mã đề xuất)</span>.
Thời gian theo giờ Việt Nam (UTC+7). Nội dung lập từ các biên nhận đã kiểm chứng trong hồ sơ;
tên người, cơ quan chỉ lấy từ hồ sơ; mã chưa xác định được tên được ghi kèm
"(chưa xác định từ hồ sơ)".</p>
"""


ROWS = """<h2>Toàn bộ sự kiện</h2>
<table class="events"><thead><tr><th>#</th><th>Thời điểm ghi</th><th>Sự kiện</th>
<th>Người thực hiện</th><th>Nội dung</th></tr></thead>
<tbody>
"""
STORY_TAIL = "</tbody></table></body></html>\n"
