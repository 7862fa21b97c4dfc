"""Receipts in bulk: the events of an aggregate under one checkpoint, a page at a time — how a
dossier proves thousands of events (projections/ledger/dossier.py).

`build_receipt` proves one event with about eighty queries, most of them for its actor's
authority proof (every directory event of the organisation, each with its inclusion proof, and
the organisation's index entry). Here a page of events costs a query of their leaves, one of
their stored events and a few of the subtree hashes all their inclusion proofs need; an
authority proof is built once for each (organisation, last directory event before the act) and
its encoded JSON reused by every act that shares it. The receipts are those `build_receipt`
makes, byte for byte once encoded (tests/integration/test_dossier_stream.py).
"""

from __future__ import annotations

import base64
import bisect
import json
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from domain.queries import describe_event
from projections.ledger import jsontext, leaf, merkle
from projections.ledger.act_mapper import ActMapper, keys_of
from projections.ledger.acts import unwrap
from projections.ledger.authority import Directory, directory_of
from projections.ledger.deferred import DeferredChecks
from projections.ledger.integrity import RecordIntegrityError
from projections.ledger.note import proof_text
from projections.ledger.receipts import NotYetProvableError, record_json
from projections.ledger.store import LedgerStore, StoredCheckpoint
from projections.ledger.verify import RECEIPT_FORMAT
from projections.ledger.zipstream import Deflated
from projections.view import dumps

PAGE = 500  # events read, checked and proven together: memory stays bounded by a page
AUTHORITIES = 64  # encoded authority proofs kept (acts of one organisation reuse the last)
Piece = bytes | Deflated  # a part of an encoded receipt


@dataclass(frozen=True)
class Proven:
    """A stored event found equal to its sealed leaf, under the checkpoint."""

    record: leaf.StoredRecord
    index: int
    stored: Any  # the event store's StoredEvent
    deferred: bool = False  # its act signature is checked behind (Prover.settle)


def encode(value: Any, depth: int = 0) -> bytes:
    """A dossier's JSON member (indented, Vietnamese readable), `depth` levels deep."""
    return jsontext.dumps(value, depth).encode()


class Prover:
    """Receipts and proven records under one checkpoint."""

    def __init__(
        self,
        app: Application[UUID],
        store: LedgerStore,
        checkpoint: StoredCheckpoint,
        shared: Callable[[bytes], Piece] = bytes,
    ) -> None:
        """`shared` makes the piece that stands for an encoded authority proof in every
        receipt that holds it (the dossier's: deflated once)."""
        self.app = app
        self.store = store
        self.checkpoint = checkpoint
        self.shared = shared
        self._indexes: dict[UUID, list[int]] = {}  # organisation → leaf index of each version
        self._authorities: OrderedDict[tuple[UUID, int], tuple[Piece, Directory]] = OrderedDict()
        self._checks: DeferredChecks | None = None  # started when a long aggregate is read

    def records(self, aggregate_id: UUID, last: int) -> Iterator[list[Proven]]:
        """Versions 1 to `last` of an aggregate, a page at a time, each checked against its
        leaf (NotYetProvableError, RecordIntegrityError as `build_receipt` raises them).

        Beyond one page, the next page is read while the caller works on this one, and each
        page's acts are checked behind it (`deferred`): their bodies are given at once, the
        verdicts by `settle()`, which the caller calls before its result counts."""
        for page, _ in self._pages(aggregate_id, last, proofs=False):
            yield page

    def _pages(
        self, aggregate_id: UUID, last: int, proofs: bool
    ) -> Iterator[tuple[list[Proven], list[list[bytes]]]]:
        """`records`' pages; with `proofs`, each with its events' inclusion proofs under the
        checkpoint, found while the caller works on the page before it (they are most of a
        long dossier's reads)."""
        firsts = range(1, last + 1, PAGE)
        keys = keys_of(self.app.mapper)

        def page_of(first: int, deferred: bool) -> tuple[list[Proven], list[list[bytes]]]:
            page = self._page(aggregate_id, first, min(last, first + PAGE - 1), True, deferred)
            size = self.checkpoint.size
            return page, self.store.inclusions([p.index for p in page], size) if proofs else []

        if len(firsts) < 2 or keys is None:
            for first in firsts:
                yield page_of(first, False)
            return
        if self._checks is None:
            self._checks = DeferredChecks(keys)
        with ThreadPoolExecutor(1, thread_name_prefix="dossier-reader") as reader:
            ahead = reader.submit(page_of, 1, True)
            for first in firsts:
                page, hashes = ahead.result()
                if first + PAGE <= last:
                    ahead = reader.submit(page_of, first + PAGE, True)
                self._checks.add([p.record for p in page])
                yield page, hashes

    def settle(self) -> None:
        """The verdicts on the acts `records` gave unchecked: ActError for the first that
        is not an authenticated act."""
        if self._checks is not None:
            self._checks.settle()

    def close(self) -> None:
        """End what checks acts behind the pages (the Prover can still be used)."""
        checks, self._checks = self._checks, None
        if checks is not None:
            checks.close()

    def receipts(
        self, aggregate_id: UUID, last: int
    ) -> Iterator[tuple[Proven, list[Piece], Directory | None]]:
        """The encoded receipt of each of versions 1 to `last`, in order, in pieces; with what
        its authority proof proves of the actor's organisation (None without one)."""
        for page, proofs in self._pages(aggregate_id, last, proofs=True):
            for proven, hashes in zip(page, proofs, strict=True):
                yield proven, *self._receipt(proven, hashes)

    def _receipt(
        self, proven: Proven, hashes: list[bytes]
    ) -> tuple[list[Piece], Directory | None]:
        """`encode(build_receipt(…))` in pieces: the receipt without its authority encoded,
        then the authority proof's shared piece (its encoding, indented one level deeper, made
        once for every act that shares it), then the end; and the proof's directory."""
        event = cast(Aggregate.Event, self._decode(proven))
        receipt: dict[str, Any] = {
            "format": RECEIPT_FORMAT,
            "tlog_proof": proof_text(proven.index, hashes, self.checkpoint.note),
            "record": record_json(proven.record),
            "leaf_input": base64.b64encode(leaf.encode(proven.record)).decode(),
            "event": json.loads(dumps(describe_event(event))),
        }
        # "authority" is the last key: the encoding ends "\n}" before it is added.
        head = encode(receipt)[:-2] + b',\n  "authority": '
        actor = getattr(event, "actor", None)
        if not (isinstance(actor, dict) and actor.get("organisation_id")):
            return [head + b"null\n}"], None
        organisation = UUID(str(actor["organisation_id"]))
        piece, directory = self._authority(organisation, proven.index)
        return [head, piece, b"\n}"], directory

    def _decode(self, proven: Proven) -> Any:
        """The domain event of a proven act, decoded from its verified body; through the
        application's mapper when it signs nothing."""
        mapper = self.app.mapper
        if isinstance(mapper, ActMapper):
            return mapper.to_sealed_domain_event(proven.stored, self.body(proven))
        return mapper.to_domain_event(proven.stored)

    def _authority(self, organisation: UUID, act_index: int) -> tuple[Piece, Directory]:
        """The shared piece of the authority proof of an act at leaf `act_index`
        (receipts._authority), encoded as it stands in a receipt; and what its events prove
        of the organisation (authority.directory_of, as the verifier reads them)."""
        indexes = self._indexes.get(organisation)
        if indexes is None:
            leaves = self.store.leaves_of(organisation)
            indexes = self._indexes[organisation] = [leaves[v] for v in sorted(leaves)]
        # Versions are sealed in order, so their leaf indexes increase: the versions sealed
        # before the act are the first `last`.
        last = bisect.bisect_left(indexes, act_index)
        key = (organisation, last)
        cached = self._authorities.get(key)
        if cached is not None:
            self._authorities.move_to_end(key)
            return cached
        following = indexes[last] if last < len(indexes) else None
        covered = following is not None and following < self.checkpoint.size
        proven, folded = self._directory(organisation, last + 1 if covered else last)
        authority = {
            "organisation_id": str(organisation),
            "events": proven[:last],
            "next": proven[last] if covered else None,
            "latest": self.store.index_proof(organisation, self.checkpoint.size),
        }
        made = self._authorities[key] = (
            self.shared(encode(authority, depth=1)),
            directory_of(organisation, folded[:last]),
        )
        if len(self._authorities) > AUTHORITIES:
            self._authorities.popitem(last=False)
        return made

    def _directory(
        self, organisation: UUID, last: int
    ) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
        """Versions 1 to `last` of a directory aggregate with their inclusion proofs
        (receipts._proven); and each one's (type, plain data)."""
        entries: list[dict[str, Any]] = []
        folded: list[tuple[str, dict[str, Any]]] = []
        for first in range(1, last + 1, PAGE):
            page = self._page(organisation, first, min(last, first + PAGE - 1), covered=False)
            proofs = self.store.inclusions([p.index for p in page], self.checkpoint.size)
            entries += [
                {
                    "index": p.index,
                    "hashes": [base64.b64encode(h).decode() for h in hashes],
                    "record": record_json(p.record),
                }
                for p, hashes in zip(page, proofs, strict=True)
            ]
            folded += [
                (leaf.event_type(p.record.topic), leaf.plain_state(self.body(p))) for p in page
            ]
        return entries, folded

    def _page(
        self, aggregate_id: UUID, first: int, last: int, covered: bool, deferred: bool = False
    ) -> list[Proven]:
        """Versions `first` to `last`, each stored event checked against its leaf; `covered`:
        an event of the dossier's own aggregate, which must be under the checkpoint;
        `deferred`: their acts are checked behind (`records`)."""
        leaves = {r["version"]: r for r in self.store.leaf_page(aggregate_id, first, last)}
        stored = {
            e.originator_version: e
            for e in self.app.recorder.select_events(aggregate_id, gt=first - 1, lte=last)
        }
        page = []
        for version in range(first, last + 1):
            found = leaves.get(version)
            if found is None:
                raise NotYetProvableError(
                    "the event is not sealed into the ledger yet"
                    if covered
                    else f"directory event {aggregate_id} v{version} is not sealed"
                )
            if covered and self.checkpoint.size <= found["index"]:
                raise NotYetProvableError("the event is sealed but no checkpoint covers it yet")
            event = stored.get(version)
            if event is None:
                raise RecordIntegrityError(
                    aggregate_id, version, "was removed from the event store"
                )
            record = leaf.StoredRecord(aggregate_id, version, event.topic, event.state)
            if merkle.leaf_hash(leaf.encode(record)) != found["leaf_hash"]:
                raise RecordIntegrityError(
                    aggregate_id, version, f"no longer matches its leaf {found['index']}"
                )
            page.append(Proven(record, found["index"], event, deferred))
        return page

    def body(self, proven: Proven) -> bytes:
        """The act's body: its state without the signature (ActError when signed by a key not
        trusted here, or, for one `deferred`, by `settle`; ValueError when it is not an
        act)."""
        keys = keys_of(self.app.mapper)
        unwrapped = unwrap(proven.record.state)
        if keys is not None and (unwrapped is None or not proven.deferred):
            return keys.open(proven.record)  # verified (once per process: ActKeys.verify)
        if unwrapped is None:
            raise ValueError(f"version {proven.record.version} is not an act")
        return unwrapped[2]
