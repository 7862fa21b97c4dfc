"""Offline verification of receipts and dossiers: the standard library, `cryptography` and
this package.

A receipt (JSON) bundles a C2SP tlog-proof (index, inclusion hashes, signed checkpoint) with
the event's stored record, `leaf_input` (the exact bytes hashed as its leaf) and, for an act,
the proof of its actor's authority. Verifying it needs only the log's keys (and the witnesses'
keys a verifier chooses): no server, no database, no trust in the operator. Every fact the
verifier reports is read from bytes it has checked (docs/ledger.md §4).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from projections.ledger import index, leaf, merkle
from projections.ledger.acts import ActError, ActKeys
from projections.ledger.authority import (
    AuthorityError,
    Directory,
    act_day,
    directory_of,
    held_position,
    positions_of,
)
from projections.ledger.bilingual import describe as describe  # re-exported
from projections.ledger.cosignature import WitnessKey, cosigned_by
from projections.ledger.documents import VerificationError as VerificationError
from projections.ledger.documents import VerifiedDocument, verify_documents
from projections.ledger.note import Checkpoint, NoteError, Verifier, parse_proof, verify_checkpoint
from projections.ledger.story import history_entry, render_story, to_json

RECEIPT_FORMAT = "initiative-ledger/receipt/v2"
DOSSIER_FORMAT = "initiative-ledger/dossier/v2"
# A dossier's members but its manifest and receipts; story.pdf (optional) is a rendering of
# story.html the verifier does not check, and says so.
MEMBERS = frozenset(
    {
        "README.md",
        "checkpoint.txt",
        "consistency.json",
        "first-checkpoint.txt",
        "history.json",
        "index.json",
        "story.html",
        "story.pdf",
    }
)


ACTS_SUFFIX = "/acts"


@dataclass(frozen=True)
class TrustedKeys:
    """The keys a verifier trusts, one C2SP verifier key per line (as served at
    `GET /api/v1/ledger/key` and published out of band). By name: the key named as a log's
    origin signs its checkpoints; keys whose name ends in `/acts` (`<origin>/acts` when made by
    `ledger keys generate --acts`) sign acts — every act key, current and retired."""

    verifiers: tuple[Verifier, ...]
    witnesses: tuple[WitnessKey, ...] = ()
    quorum: int = 0

    def with_witnesses(self, witnesses: Sequence[WitnessKey], quorum: int) -> TrustedKeys:
        """These keys, requiring `quorum` cosignatures of `witnesses` on every checkpoint."""
        if not 0 <= quorum <= len(witnesses):
            raise VerificationError(
                f"a quorum of {quorum} needs at least as many witness keys ({len(witnesses)})"
            )
        return TrustedKeys(self.verifiers, tuple(witnesses), quorum)

    def cosigned(self, note: str) -> dict[str, int]:
        """Witness → time of its valid cosignature; VerificationError below the quorum."""
        try:
            found = cosigned_by(note, self.witnesses)
        except NoteError as error:
            raise VerificationError(f"a cosignature: {error}") from error
        if len(found) < self.quorum:
            raise VerificationError(
                f"the checkpoint is cosigned by {len(found)} of the trusted witnesses"
                f" ({', '.join(sorted(found)) or 'none'}); the quorum is {self.quorum}"
            )
        return found

    @classmethod
    def parse(cls, *texts: str) -> TrustedKeys:
        """Read verifier keys (each text may hold several lines)."""
        found = [
            Verifier.parse(line) for text in texts for line in text.splitlines() if line.strip()
        ]
        if not found:
            raise NoteError("no verifier key given")
        return cls(tuple(found))

    @classmethod
    def of(cls, log_key: Verifier, acts: ActKeys) -> TrustedKeys:
        """The checkpoint key and the act keys of one deployment."""
        return cls((log_key, *acts.verifiers))

    def log_key(self, origin: str) -> Verifier:
        """The key that signs the checkpoints of `origin`."""
        for verifier in self.verifiers:
            if verifier.name == origin:
                return verifier
        raise VerificationError(f"no trusted key is named {origin!r} (the log's origin)")

    def acts(self, origin: str) -> ActKeys:
        """The keys that sign the acts of `origin`'s log."""
        named = [v for v in self.verifiers if v.name.endswith(ACTS_SUFFIX) and v.name != origin]
        if not named:
            raise VerificationError(
                f"no trusted act key (a key named '…{ACTS_SUFFIX}') for the log {origin!r}:"
                " the act signatures cannot be checked"
            )
        return ActKeys.of(None, named)

    def encode(self) -> str:
        """One verifier key per line."""
        return "".join(v.encode() + "\n" for v in self.verifiers)


def _origin_of(signed: str) -> str:
    return signed.split("\n", 1)[0]


@dataclass(frozen=True)
class VerifiedAuthority:
    """What an authority proof showed: the position the actor held on the act's day."""

    organisation_id: UUID
    position: dict[str, Any]
    day: date
    versions: int
    after: str
    directory: Directory  # the organisation's name and positions, as proven before the act

    @property
    def organisation_name(self) -> str:
        """The organisation's name as its proven events gave it before the act ("" if none)."""
        return self.directory.name


@dataclass(frozen=True)
class VerifiedReceipt:
    """What a valid receipt proves."""

    index: int
    checkpoint: Checkpoint
    signed_checkpoint: str
    record: leaf.StoredRecord
    body: bytes
    content: dict[str, Any]
    authority: VerifiedAuthority | None
    act_key: Verifier
    cosignatures: dict[str, int]

    @property
    def event_type(self) -> str:
        """The event's class name."""
        return leaf.event_type(self.record.topic)


def _b64(value: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except ValueError as error:  # binascii.Error, or a character outside ASCII
        raise VerificationError(f"{what} is not base64") from error


def _object(value: Any, what: str) -> dict[str, Any]:
    """`value` if it is a JSON object; otherwise the dossier or receipt is malformed."""
    if not isinstance(value, dict):
        raise VerificationError(f"{what} is not a JSON object")
    return value


def _field(document: dict[str, Any], key: str, kind: type, what: str) -> Any:
    """The value of `key` in `document`, of type `kind` (an integer is never a boolean)."""
    value = document.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise VerificationError(f"{what}: '{key}' is missing or not a {kind.__name__}")
    return value


def _json(files: dict[str, bytes], name: str) -> Any:
    """The JSON document `name` of a dossier."""
    if name not in files:
        raise VerificationError(f"the dossier has no {name}")
    try:
        return json.loads(files[name])
    except ValueError as error:
        raise VerificationError(f"{name} is not JSON: {error}") from error


def _record(value: Any) -> leaf.StoredRecord:
    record = _object(value, "the receipt's record")
    try:
        version = index.unsigned(record.get("version"))
    except ValueError as error:
        raise VerificationError(f"record: 'version': {error}") from error
    return leaf.StoredRecord(
        UUID(_field(record, "aggregate_id", str, "record")),
        version,
        _field(record, "topic", str, "record"),
        _b64(_field(record, "state_base64", str, "record"), "state"),
    )


def index_root(checkpoint: Checkpoint) -> bytes:
    """The verifiable index's root, from the checkpoint's extension line."""
    for line in checkpoint.extensions:
        if line.startswith(index.EXTENSION):
            root = _b64(line[len(index.EXTENSION) :], "the index root")
            if len(root) == 32:
                return root
    raise VerificationError("the checkpoint carries no index root (an older checkpoint?)")


def verify_receipt(receipt: dict[str, Any], keys: TrustedKeys) -> VerifiedReceipt:
    """Check the checkpoint's signature and cosignatures, the inclusion proof, the record's
    bytes, the act signature and the actor's authority; VerificationError on any mismatch."""
    if _object(receipt, "the receipt").get("format") != RECEIPT_FORMAT:
        raise VerificationError(f"not an {RECEIPT_FORMAT} receipt")
    try:
        index_, hashes, signed, _ = parse_proof(str(receipt["tlog_proof"]))
        origin = _origin_of(signed)
        checkpoint = verify_checkpoint(signed, keys.log_key(origin))
        claimed = _record(receipt["record"])
    except (NoteError, KeyError, TypeError, ValueError) as error:
        raise VerificationError(f"the receipt is malformed or unsigned: {error}") from error
    cosignatures = keys.cosigned(signed)
    leaf_input = _b64(_field(receipt, "leaf_input", str, "the receipt"), "leaf_input")
    if leaf.encode(claimed) != leaf_input:
        raise VerificationError("the bundled record does not encode to the leaf input")
    act_key, body = _proven(claimed, index_, hashes, checkpoint, keys.acts(checkpoint.origin))
    try:
        content = leaf.plain_state(body)
    except ValueError as error:
        raise VerificationError("the recorded state is not JSON") from error
    authority = None
    actor = content.get("actor")
    if isinstance(actor, dict) and actor.get("organisation_id"):
        if not receipt.get("authority"):
            raise VerificationError(
                "the receipt does not prove the actor's authority (no authority section)"
            )
        authority = _verify_authority(
            receipt["authority"], actor, str(content.get("timestamp")), index_, checkpoint, keys
        )
    return VerifiedReceipt(
        index_,
        checkpoint,
        signed,
        claimed,
        body,
        content,
        authority,
        act_key,
        cosignatures,
    )


_ProvenItem = tuple[leaf.StoredRecord, int, list[bytes]]


def _proven_item(item: Any) -> _ProvenItem:
    """A record of an authority proof: the record, its leaf index (an integer: neither a
    boolean nor a number with a point — 6.0, 1e400, Infinity), its inclusion hashes."""
    entry = _object(item, "an event of the authority proof")
    index = _field(entry, "index", int, "an event of the authority proof")
    return _record(entry["record"]), index, [_b64(h, "a hash") for h in entry["hashes"]]


def _proven(
    record: leaf.StoredRecord,
    at: int,
    hashes: list[bytes],
    checkpoint: Checkpoint,
    acts: ActKeys,
) -> tuple[Verifier, bytes]:
    """The act key and body of a record proven at leaf `at` under the checkpoint."""
    try:
        merkle.verify_inclusion(
            at, checkpoint.size, merkle.leaf_hash(leaf.encode(record)), hashes, checkpoint.root
        )
    except merkle.ProofError as error:
        raise VerificationError(f"inclusion of version {record.version}: {error}") from error
    try:
        return acts.verify(record)
    except ActError as error:
        raise VerificationError(f"the act: {error}") from error


def _verify_authority(
    proof: dict[str, Any],
    actor: dict[str, Any],
    recorded_at: str,
    act_index: int,
    checkpoint: Checkpoint,
    keys: TrustedKeys,
) -> VerifiedAuthority:
    """The organisation's events 1…v before the act (contiguous, each proven), what follows
    v (the next event, after the act, or nothing at all per the index), and the position."""
    acts = keys.acts(checkpoint.origin)
    organisation, events, following, latest_proof = _authority_parts(proof)
    if str(organisation) != str(actor["organisation_id"]):
        raise VerificationError("the authority proof is of another organisation")
    folded, last_index = _events_before_act(organisation, events, act_index, checkpoint, acts)
    versions = len(folded)
    try:
        latest = index.verify(index_root(checkpoint), index.key_of(organisation), latest_proof)
    except index.IndexProofError as error:
        raise VerificationError(f"the index: {error}") from error
    if latest is None or latest.version < versions:
        raise VerificationError("the index contradicts the organisation's events")
    if latest.version == versions:
        if latest.index != last_index:
            raise VerificationError("the index names another leaf for the last event")
        after = "the latest version at the checkpoint"
    else:
        after = _next_version_after_act(
            organisation, versions, following, act_index, checkpoint, acts
        )
    day = act_day(recorded_at)
    try:
        position = held_position(positions_of(folded), actor, day)
    except AuthorityError as error:
        raise VerificationError(f"the authority: {error}") from error
    directory = directory_of(organisation, folded)
    return VerifiedAuthority(organisation, position, day, versions, after, directory)


def _authority_parts(
    proof: dict[str, Any],
) -> tuple[UUID, list[_ProvenItem], _ProvenItem | None, Any]:
    """The authority proof's organisation, its events, the next event and the index proof."""
    try:
        organisation = UUID(str(proof["organisation_id"]))
        events = [_proven_item(item) for item in proof["events"]]
        following = _proven_item(proof["next"]) if proof.get("next") else None
        latest_proof = proof["latest"]
    except (KeyError, TypeError, ValueError) as error:  # not of the receipt's format
        raise VerificationError(f"the authority proof is malformed: {error}") from error
    return organisation, events, following, latest_proof


def _events_before_act(
    organisation: UUID,
    events: list[_ProvenItem],
    act_index: int,
    checkpoint: Checkpoint,
    acts: ActKeys,
) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """The organisation's versions 1…v, each proven before the act: (type, state) of each,
    and the leaf index of the last (-1 for none)."""
    folded: list[tuple[str, dict[str, Any]]] = []
    last_index = -1
    for number, (record, at, hashes) in enumerate(events, start=1):
        if (record.aggregate_id, record.version) != (organisation, number):
            raise VerificationError(
                "the organisation's events in the authority proof are not its versions"
                f" 1 to {len(events)} in order"
            )
        if at >= act_index:
            raise VerificationError("the authority proof holds an event after the act")
        _, body = _proven(record, at, hashes, checkpoint, acts)
        folded.append((leaf.event_type(record.topic), leaf.plain_state(body)))
        last_index = at
    return folded, last_index


def _next_version_after_act(
    organisation: UUID,
    versions: int,
    following: _ProvenItem | None,
    act_index: int,
    checkpoint: Checkpoint,
    acts: ActKeys,
) -> str:
    """The organisation's version v + 1, proven recorded after the act; what follows v."""
    if following is None:
        raise VerificationError(
            f"the organisation has version {versions + 1} but the proof leaves it out"
        )
    record, at, hashes = following
    if (record.aggregate_id, record.version) != (organisation, versions + 1):
        raise VerificationError("the next event is not the organisation's next version")
    if at <= act_index:
        raise VerificationError(
            f"version {versions + 1} of the organisation was recorded before the act"
            " and is hidden from the authority proof"
        )
    _proven(record, at, hashes, checkpoint, acts)
    return f"version {versions + 1}, recorded after the act"


@dataclass(frozen=True)
class VerifiedDossier:
    """What a valid dossier proves."""

    initiative_id: UUID
    receipts: list[VerifiedReceipt]
    checkpoint: Checkpoint
    first_checkpoint: Checkpoint
    documents: list[VerifiedDocument]
    printed: bool = False  # story.pdf is there: its digest checked, its content not


def verify_dossier(data: bytes, keys: TrustedKeys) -> VerifiedDossier:
    """Check a dossier ZIP completely; VerificationError names the first problem."""
    files, manifest = _dossier_files(data)
    claims = _dossier_claims(files, manifest, keys)
    keys.cosigned(claims.latest_note)
    _verify_checkpoints(manifest, claims)
    receipts = _verify_receipts(files, claims, keys)
    _verify_complete(claims, receipts)
    _verify_renderings(files, claims.initiative_id, receipts)
    documents = verify_documents(files, [(r.record.version, r.content) for r in receipts])
    return VerifiedDossier(
        claims.initiative_id,
        receipts,
        claims.latest,
        claims.first,
        documents,
        "story.pdf" in files,
    )


def _dossier_files(data: bytes) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The files of the ZIP but its manifest, each unchanged since the manifest listed it;
    and the manifest."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        files = {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, ValueError) as error:
        raise VerificationError(f"not a dossier: {error}") from error
    # Two members of one name would be read here as the last of them, and shown by an unzip
    # tool as either: a dossier has each name once, and names that stay inside its folder.
    twice = sorted(name for name, count in Counter(names).items() if count > 1)
    if twice:
        raise VerificationError(f"the dossier holds {twice[0]} twice")
    outside = sorted(n for n in names if n.startswith(("/", "\\")) or ".." in n.split("/"))
    if outside:
        raise VerificationError(f"the dossier names a file outside it: {outside[0]}")
    manifest = _object(_json(files, "manifest.json"), "manifest.json")
    del files["manifest.json"]
    if manifest.get("format") != DOSSIER_FORMAT:
        raise VerificationError(f"not an {DOSSIER_FORMAT}")
    unknown = sorted(  # documents/: each checked against the events (verify_documents)
        n for n in files if n not in MEMBERS and not n.startswith(("receipts/", "documents/"))
    )
    if unknown:
        raise VerificationError(f"the dossier holds a file a dossier does not: {unknown[0]}")
    listed = _field(manifest, "files", dict, "manifest.json")
    if set(listed) != set(files):
        raise VerificationError("the files differ from the manifest's list")
    for name, digest in listed.items():
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise VerificationError(f"{name} was changed after the dossier was made")
    return files, manifest


@dataclass(frozen=True)
class _DossierClaims:
    """What a dossier's manifest, checkpoints, consistency proof and index entry say."""

    initiative_id: UUID
    versions: int
    latest_note: str
    latest: Checkpoint
    first: Checkpoint
    consistency: Any
    latest_entry: Any


def _dossier_claims(
    files: dict[str, bytes], manifest: dict[str, Any], keys: TrustedKeys
) -> _DossierClaims:
    """Read the claims; both checkpoints' signatures verified."""
    versions = _field(manifest, "versions", int, "manifest.json")
    consistency = _object(_json(files, "consistency.json"), "consistency.json")
    for key in ("from", "to"):
        _field(consistency, key, int, "consistency.json")
    hashes = _field(consistency, "hashes", list, "consistency.json")
    if not all(isinstance(digest, str) for digest in hashes):
        raise VerificationError("consistency.json: 'hashes' are not all text")
    latest_entry = _json(files, "index.json")
    try:
        initiative_id = UUID(_field(manifest, "initiative_id", str, "manifest.json"))
        latest_note = files["checkpoint.txt"].decode()
        verifier = keys.log_key(_origin_of(latest_note))
        latest = verify_checkpoint(latest_note, verifier)
        first = verify_checkpoint(
            files["first-checkpoint.txt"].decode(), verifier, origin=latest.origin
        )
    except (NoteError, KeyError, ValueError) as error:
        raise VerificationError(f"checkpoints, index or manifest: {error}") from error
    return _DossierClaims(
        initiative_id, versions, latest_note, latest, first, consistency, latest_entry
    )


def _verify_checkpoints(manifest: dict[str, Any], claims: _DossierClaims) -> None:
    """The manifest names the latest checkpoint, which is consistent with the first."""
    first, latest, consistency = claims.first, claims.latest, claims.consistency
    if _field(manifest, "checkpoint_size", int, "manifest.json") != latest.size:
        raise VerificationError("the manifest names another checkpoint")
    if (consistency["from"], consistency["to"]) != (first.size, latest.size):
        raise VerificationError("the consistency proof is not between the two checkpoints")
    try:
        merkle.verify_consistency(
            first.size,
            latest.size,
            [bytes.fromhex(h) for h in consistency["hashes"]],
            first.root,
            latest.root,
        )
    except (merkle.ProofError, ValueError) as error:
        raise VerificationError(f"consistency: {error}") from error


def _verify_receipts(
    files: dict[str, bytes], claims: _DossierClaims, keys: TrustedKeys
) -> list[VerifiedReceipt]:
    """A receipt of each version 1…v of the initiative under the latest checkpoint, and no
    other receipt."""
    receipts = []
    for version in range(1, claims.versions + 1):
        name = f"receipts/event-{version:05d}.json"
        if name not in files:
            raise VerificationError(f"no receipt for version {version}")
        verified = verify_receipt(_json(files, name), keys)
        if verified.signed_checkpoint != claims.latest_note:
            raise VerificationError(f"{name} is proven under another checkpoint")
        if (verified.record.aggregate_id, verified.record.version) != (
            claims.initiative_id,
            version,
        ):
            raise VerificationError(f"{name} proves another event")
        receipts.append(verified)
    extra = sorted(n for n in files if n.startswith("receipts/")) != [
        f"receipts/event-{v:05d}.json" for v in range(1, claims.versions + 1)
    ]
    if not receipts or extra:
        raise VerificationError("the receipts are not exactly versions 1 to the last")
    return receipts


def _verify_complete(claims: _DossierClaims, receipts: list[VerifiedReceipt]) -> None:
    """The checkpoint's index says version v is the initiative's last; the first checkpoint
    covers the first event."""
    versions = claims.versions
    try:
        found = index.verify(
            index_root(claims.latest), index.key_of(claims.initiative_id), claims.latest_entry
        )
    except index.IndexProofError as error:
        raise VerificationError(f"the index: {error}") from error
    if found is None or found.version != versions or found.index != receipts[-1].index:
        shown = found.version if found else 0
        raise VerificationError(
            f"the dossier is incomplete: it proves versions 1 to {versions}, and the"
            f" checkpoint's index says the initiative has {shown}"
        )
    if claims.first.size <= receipts[0].index:
        raise VerificationError("the first checkpoint does not cover the first event")


def _verify_renderings(
    files: dict[str, bytes], initiative_id: UUID, receipts: list[VerifiedReceipt]
) -> None:
    """history.json and story.html are exactly what the receipts prove."""
    history = [history_entry(r.record, r.body) for r in receipts]
    if files.get("history.json") != to_json(history):
        raise VerificationError("history.json is not the history the receipts prove")
    directories = {r.record.version: r.authority.directory for r in receipts if r.authority}
    if files.get("story.html") != render_story(initiative_id, history, directories).encode():
        raise VerificationError("story.html is not the story the receipts prove")
