"""The inspection dossier: one self-contained ZIP that can be checked years later offline.

Contents: every event's receipt (each with its actor's authority proof), the checkpoint they
are proven under, the index proof that no later event exists at that checkpoint, the first
checkpoint that covered the initiative and a consistency proof between the two, the history
(JSON) and a printable story (HTML, Vietnamese with English) generated from the proven
records, each document the events refer to (`documents/<sha256>.<ext>`: the decision, the
minutes… whose digests the proven events record), a README, and a manifest of SHA-256 hashes.

Streamed: the ZIP is written as it is read, a page of events at a time (proving.PAGE), so
memory stays bounded whatever the initiative's length, and the first bytes leave at once.
Everything that can refuse the dossier (not covered by a checkpoint yet) is decided before the
first byte; a failure found later (a stored event that no longer matches its leaf, an act
whose signature a process of its own found invalid: proving.Prover.settle) ends the stream
without the ZIP's central directory, so what was sent is never a valid dossier. The
members are in sorted order but for the manifest: it lists every other member's SHA-256, so it
is written last (the verifier reads members by name).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.ledger import jsontext
from projections.ledger.documents import referred
from projections.ledger.integrity import RecordIntegrityError
from projections.ledger.proving import Piece, Prover, encode
from projections.ledger.receipts import NotYetProvableError
from projections.ledger.store import LedgerStore, StoredCheckpoint
from projections.ledger.story import STORY_TAIL, Story, history_entry
from projections.ledger.verify import DOSSIER_FORMAT
from projections.ledger.zipstream import ZipStream

CHUNK = 64 * 1024  # bytes gathered before they are handed on (fewer, larger HTTP chunks)
# zlib's default level, as zipfile deflated before: with each authority proof deflated once
# (zipstream.Deflated), deflating is a tenth of a dossier's time, and level 1 would save a
# few per cent of it for 3 % more bytes.
LEVEL = zlib.Z_DEFAULT_COMPRESSION
# The events story.pdf prints after its summary (all of them are in story.html): WeasyPrint
# takes about 0.5 s for the summary and 0.1 s an event, so a print of every event of a long
# initiative would take minutes.
PRINTED = 20


@dataclass(frozen=True)
class _Plan:
    """What is known before the first byte: the checkpoint, how many versions, the small
    members."""

    initiative_id: UUID
    checkpoint: StoredCheckpoint
    versions: int
    head: dict[str, bytes]  # README, both checkpoints, consistency proof
    index: bytes  # index.json


def stream_dossier(
    app: Application[UUID],
    store: LedgerStore,
    initiative_id: UUID,
    pdf: Callable[[str], bytes] | None = None,
    documents: Fetch | None = None,
) -> Iterator[bytes]:
    """The dossier ZIP of one initiative as it is written: every event up to the latest
    checkpoint, proven under it, with the index entry showing there is no later one; the
    readable history and story generated from the proven records (a verifier regenerates
    them); each document the events refer to, as `documents/<sha256>.<ext>`, read with
    `documents` (its bytes by digest); with `pdf` (HTML → PDF), story.pdf, a print of the
    story's summary and first events. NotYetProvableError is raised here, before the first
    byte."""
    plan = _plan(app, store, initiative_id)
    archive = ZipStream(LEVEL)
    prover = Prover(app, store, plan.checkpoint, archive.deflated)
    return _closing(prover, _stream(prover, plan, archive, pdf, documents or _none))


def _closing(prover: Prover, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks`, what checks the prover's acts ended once they end, fail or are dropped."""
    try:
        yield from chunks
    finally:
        prover.close()


# A document's bytes by its SHA-256 (None when it is not stored).
Fetch = Callable[[str], bytes | None]


def _none(sha256: str) -> bytes | None:
    return None


def _document(
    fetch: Fetch, name: str, entry: dict[str, Any], initiative_id: UUID
) -> Iterator[bytes]:
    """The document's bytes, a chunk at a time, once they are checked to be the ones the
    events record (else the dossier ends here, not a valid ZIP)."""
    content = fetch(entry["sha256"])
    if content is None or hashlib.sha256(content).hexdigest() != entry["sha256"]:
        raise RecordIntegrityError(
            initiative_id, entry["versions"][0], f"refers to {name}, which is not stored intact"
        )
    for start in range(0, len(content), CHUNK):
        yield content[start : start + CHUNK]


def _plan(app: Application[UUID], store: LedgerStore, initiative_id: UUID) -> _Plan:
    """The checks that can refuse a dossier, and its small members."""
    latest = store.latest()
    first_leaf = store.leaf(initiative_id, 1)
    first = store.covering(first_leaf["index"]) if first_leaf else None
    if latest is None or first is None:
        raise NotYetProvableError("the initiative is not covered by a checkpoint yet")
    versions = store.covered_versions(initiative_id, latest.size)
    last = app.recorder.select_events(initiative_id, desc=True, limit=1)
    if last and last[0].originator_version > versions:
        raise NotYetProvableError(
            f"versions {versions + 1} to {last[0].originator_version} of the initiative are"
            " not covered by a checkpoint yet; the dossier holds every event"
        )
    proof = store.consistency(first.size, latest.size) if first.size < latest.size else []
    consistency = {"from": first.size, "to": latest.size, "hashes": [h.hex() for h in proof]}
    head = {
        "README.md": _readme(initiative_id).encode(),
        "checkpoint.txt": latest.note.encode(),
        "consistency.json": encode(consistency),
        "first-checkpoint.txt": first.note.encode(),
    }
    index = encode(store.index_proof(initiative_id, latest.size))
    return _Plan(initiative_id, latest, versions, head, index)


class _Spool:
    """Text kept deflated in memory until its member is written: the history's entries, one
    JSON line each, read again to write the story's rows once the receipts have given every
    name (deflated, an entry takes a few dozen bytes; the alternative was reading every event
    a third time)."""

    def __init__(self) -> None:
        self._deflate = zlib.compressobj(1)
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        if part := self._deflate.compress(data):
            self._parts.append(part)

    def read(self) -> Iterator[bytes]:
        """The text, a part at a time (once)."""
        self._parts.append(self._deflate.flush())
        inflate = zlib.decompressobj()
        while self._parts:
            yield inflate.decompress(self._parts.pop(0))
        yield inflate.flush()

    def lines(self) -> Iterator[bytes]:
        """The text, a line at a time (once)."""
        rest = b""
        for part in self.read():
            *whole, rest = (rest + part).split(b"\n")
            yield from whole
        if rest:
            yield rest


def _stream(
    prover: Prover,
    plan: _Plan,
    archive: ZipStream,
    pdf: Callable[[str], bytes] | None,
    fetch: Fetch,
) -> Iterator[bytes]:
    """The ZIP's bytes: the members in sorted order, then the manifest of their hashes. (On
    an exception the archive is left without its central directory: not a valid ZIP.)"""
    digests: dict[str, str] = {}
    entries = _Spool()
    story = Story(plan.initiative_id)
    referring: list[tuple[int, dict[str, Any]]] = []  # the events that refer to documents

    def member(name: str, pieces: Iterable[Piece]) -> Iterator[bytes]:
        entry = archive.open(name)
        for piece in pieces:
            entry.write(piece)
            if archive.pending >= CHUNK:
                yield archive.drain()
        digests[name] = entry.close()

    for name in ("README.md", "checkpoint.txt", "consistency.json", "first-checkpoint.txt"):
        yield from member(name, [plan.head[name]])
    yield archive.drain()  # the first bytes leave now, not once 64 KiB have gathered
    yield from member("history.json", _history(prover, plan, entries, story, referring))
    yield from member("index.json", [plan.index])
    for proven, receipt, directory in prover.receipts(plan.initiative_id, plan.versions):
        yield from member(f"receipts/event-{proven.record.version:05d}.json", receipt)
        if directory is not None:
            story.note_directory(proven.record.version, directory)
    for name, entry in sorted(referred(referring).items()):
        yield from member(name, _document(fetch, name, entry, plan.initiative_id))
    prover.settle()  # every act authenticated, or the dossier ends here (not a valid ZIP)
    printed = _Printed(plan.versions)
    yield from member("story.html", printed.keep(_story(story, entries)))
    if pdf is not None:
        yield from member("story.pdf", [pdf(printed.html())])
    manifest = {
        "format": DOSSIER_FORMAT,
        "initiative_id": str(plan.initiative_id),
        "versions": plan.versions,
        "checkpoint_size": plan.checkpoint.size,
        "created_at": datetime.now(tz=UTC).isoformat(),
        "files": dict(sorted(digests.items())),
    }
    yield from member("manifest.json", [encode(manifest)])
    archive.close()
    yield archive.drain()


def _history(
    prover: Prover,
    plan: _Plan,
    entries: _Spool,
    story: Story,
    referring: list[tuple[int, dict[str, Any]]],
) -> Iterator[bytes]:
    """history.json a page of events at a time — `to_json` of the whole history, an entry
    nested one level deep in its array — each entry noted by the story and spooled for its
    row; the entries that refer to documents are added to `referring`."""
    opening = "[\n  "
    for page in prover.records(plan.initiative_id, plan.versions):
        pieces: list[str] = []
        lines: list[str] = []
        for proven in page:
            entry = history_entry(proven.record, prover.body(proven))
            if entry["data"].get("attachments"):
                referring.append((entry["version"], entry["data"]))
            pieces += (opening, jsontext.dumps(entry, depth=1))
            opening = ",\n  "
            story.note(entry)
            lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
        entries.write("".join(lines).encode())
        yield "".join(pieces).encode()
    yield b"[]" if opening == "[\n  " else b"\n]"


def _story(story: Story, entries: _Spool) -> Iterator[str]:
    """story.html (story.story_parts), its rows from the spooled entries."""
    yield story.head()
    for line in entries.lines():
        yield story.row(json.loads(line))
    yield STORY_TAIL


class _Printed:
    """What story.pdf prints of story.html: its summary and its first PRINTED rows (a PDF of
    thousands of events would take WeasyPrint minutes), and a line saying how many it
    leaves out."""

    def __init__(self, versions: int) -> None:
        self.versions = versions
        self._parts: list[str] = []

    def keep(self, parts: Iterator[str]) -> Iterator[bytes]:
        """story.html's parts (its head, a part per row, its tail) as bytes, the head and
        the first PRINTED rows kept for the PDF."""
        for part in parts:
            if len(self._parts) < 1 + PRINTED:
                self._parts.append(part)
            yield part.encode()

    def html(self) -> str:
        """The page printed: the summary and the first PRINTED rows."""
        shown = "".join(self._parts[: 1 + min(self.versions, PRINTED)])
        if self.versions <= PRINTED:
            return shown + STORY_TAIL
        omitted = (
            f'<tr><td colspan="5"><b>Bản in này dừng ở sự kiện thứ {PRINTED} trong tổng số'
            f" {self.versions}: toàn bộ sự kiện có trong story.html và history.json của hồ"
            " sơ.</b></td></tr>\n"
        )
        return shown + omitted + STORY_TAIL


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
   them again and compares them byte for byte. story.pdf, when there is one, prints the
   story's summary and first events: it is not checked (read story.html).
"""
