"""Offline verification of receipts: the standard library, `cryptography` and this package.

A receipt (JSON) bundles a C2SP tlog-proof (index, inclusion hashes, signed checkpoint) with
the event's stored record and `leaf_input`, the exact bytes hashed as its leaf. Verifying
it needs only the log's verifier key: no server, no database, no trust in the operator.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from projections.ledger import leaf, merkle
from projections.ledger.acts import ActError, ActKeys
from projections.ledger.cosignature import WitnessKey, cosigned_by
from projections.ledger.note import Checkpoint, NoteError, Verifier, parse_proof, verify_checkpoint

RECEIPT_FORMAT = "initiative-ledger/receipt/v1"


class VerificationError(ValueError):
    """The receipt does not prove what it claims."""


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
class VerifiedReceipt:
    """What a valid receipt proves."""

    index: int
    checkpoint: Checkpoint
    signed_checkpoint: str
    record: leaf.StoredRecord
    content: dict[str, Any]
    authority: VerifiedReceipt | None
    act_key: Verifier
    cosignatures: dict[str, int]

    @property
    def event_type(self) -> str:
        """The event's class name."""
        return leaf.event_type(self.record.topic)


def _b64(value: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except binascii.Error as error:
        raise VerificationError(f"{what} is not base64") from error


def verify_receipt(receipt: dict[str, Any], keys: TrustedKeys) -> VerifiedReceipt:
    """Check the checkpoint's signature, the inclusion proof, the record's bytes and the act
    signature; VerificationError on any mismatch."""
    if receipt.get("format") != RECEIPT_FORMAT:
        raise VerificationError(f"not an {RECEIPT_FORMAT} receipt")
    try:
        index, hashes, signed, _ = parse_proof(str(receipt["tlog_proof"]))
        origin = _origin_of(signed)
        checkpoint = verify_checkpoint(signed, keys.log_key(origin))
        record = receipt["record"]
        claimed = leaf.StoredRecord(
            UUID(str(record["aggregate_id"])),
            int(record["version"]),
            str(record["topic"]),
            _b64(record["state_base64"], "state"),
        )
    except (NoteError, KeyError, TypeError, ValueError) as error:
        raise VerificationError(f"the receipt is malformed or unsigned: {error}") from error
    cosignatures = keys.cosigned(signed)
    leaf_input = _b64(receipt.get("leaf_input"), "leaf_input")
    if leaf.encode(claimed) != leaf_input:
        raise VerificationError("the bundled record does not encode to the leaf input")
    try:
        merkle.verify_inclusion(
            index, checkpoint.size, merkle.leaf_hash(leaf_input), hashes, checkpoint.root
        )
    except merkle.ProofError as error:
        raise VerificationError(f"inclusion: {error}") from error
    acts = keys.acts(checkpoint.origin)
    try:
        act_key, body = acts.verify(claimed)
    except ActError as error:
        raise VerificationError(f"the act: {error}") from error
    authority = None
    if receipt.get("authority"):
        authority = verify_receipt(receipt["authority"], keys)
        if authority.signed_checkpoint != signed:
            raise VerificationError("the authority's receipt is under another checkpoint")
        if authority.index >= index:
            raise VerificationError("the authority was recorded after the act it authorises")
    try:
        content = leaf.plain_state(body)
    except ValueError as error:
        raise VerificationError("the recorded state is not JSON") from error
    return VerifiedReceipt(
        index, checkpoint, signed, claimed, content, authority, act_key, cosignatures
    )


LABELS = {
    "Drafted": ("Lập dự thảo đề xuất", "Drafted"),
    "Submitted": ("Gửi đề xuất", "Submitted"),
    "Received": ("Tiếp nhận đề xuất", "Received"),
    "ClarificationRequested": ("Yêu cầu giải trình", "Clarification requested"),
    "Amended": ("Bổ sung, sửa đổi đề xuất", "Amended"),
    "PartyOpinionGiven": ("Ý kiến của cấp ủy cùng cấp", "Party committee opinion"),
    "LeadershipMeetingHeld": ("Họp tập thể lãnh đạo", "Leadership meeting"),
    "Approved": ("Phê duyệt chủ trương", "Approved in principle"),
    "Rejected": ("Không phê duyệt", "Rejected"),
    "Escalated": ("Chuyển cấp trên", "Escalated"),
    "Withdrawn": ("Rút đề xuất", "Withdrawn"),
    "UrgentReported": ("Báo cáo tình huống cấp bách", "Urgent situation reported"),
    "UrgentAuthorized": ("Cho phép thực hiện cấp bách", "Urgent action authorized"),
    "UrgentRatified": ("Chấp thuận việc đã làm khi cấp bách", "Urgent action ratified"),
    "UrgentRefused": ("Không chấp thuận việc cấp bách", "Urgent action refused"),
    "ResourcesAllocated": ("Bố trí nguồn lực", "Resources allocated"),
    "ImplementationStarted": ("Bắt đầu triển khai", "Implementation started"),
    "ProgressReported": ("Báo cáo tiến độ", "Progress reported"),
    "SupervisionNoteRecorded": ("Kiểm tra, giám sát", "Supervision note"),
    "ObstacleRaised": ("Nêu vướng mắc", "Obstacle raised"),
    "ObstacleResolved": ("Tháo gỡ vướng mắc", "Obstacle resolved"),
    "AdjustmentRequested": ("Đề nghị điều chỉnh", "Adjustment requested"),
    "AdjustmentApproved": ("Chấp thuận điều chỉnh", "Adjustment approved"),
    "AdjustmentRejected": ("Không chấp thuận điều chỉnh", "Adjustment rejected"),
    "Suspended": ("Tạm dừng", "Suspended"),
    "Resumed": ("Tiếp tục", "Resumed"),
    "Terminated": ("Dừng thực hiện", "Terminated"),
    "Completed": ("Hoàn thành triển khai", "Completed"),
    "ResultReported": ("Báo cáo kết quả", "Result reported"),
    "Evaluated": ("Đánh giá kết quả", "Evaluated"),
    "ProtectionRequested": ("Đề nghị bảo vệ", "Protection requested"),
    "ProtectionDetermined": ("Xác định biện pháp bảo vệ", "Protection determined"),
    "LiabilityOutcomeRecorded": ("Ghi nhận kết luận trách nhiệm", "Liability outcome recorded"),
    "Commended": ("Biểu dương, khen thưởng", "Commended"),
    "CadreEvaluationInputRecorded": ("Ghi nhận căn cứ đánh giá cán bộ", "Evaluation input"),
    "EarlySalaryStepConsidered": ("Xét nâng lương trước thời hạn", "Early salary step"),
    "InterimReviewHeld": ("Sơ kết", "Interim review"),
    "FinalReviewHeld": ("Tổng kết", "Final review"),
    "ReplicationProposed": ("Đề xuất nhân rộng", "Replication proposed"),
    "ReplicationApproved": ("Cho phép nhân rộng", "Replication approved"),
    "Replicated": ("Khởi tạo theo nhân rộng", "Created by replication"),
    "InstitutionalisationRecommended": ("Kiến nghị thể chế hóa", "Institutionalisation"),
    "Corrected": ("Đính chính", "Corrected"),
    "Archived": ("Lưu trữ", "Archived"),
    "Registered": ("Đăng ký vào danh mục", "Registered in the directory"),
    "DetailsChanged": ("Thay đổi thông tin danh mục", "Directory details changed"),
    "PositionAssigned": ("Bổ nhiệm chức vụ", "Position assigned"),
    "PositionChanged": ("Thay đổi chức vụ", "Position changed"),
}
ROLES = {
    "head": "người đứng đầu",
    "deputy": "cấp phó",
    "staff": "công chức",
    "party_committee": "cấp ủy viên",
    "inspector": "kiểm tra viên",
    "personnel": "cán bộ tổ chức",
    "commendation": "cán bộ thi đua",
    "clerk": "văn thư",
    "admin": "quản trị",
}
_SKIP = {"timestamp", "actor", "request_id", "originator_topic", "_act"}


def describe(verified: VerifiedReceipt) -> list[str]:
    """The proven fact in plain words, Vietnamese first, then English."""
    kind = verified.event_type
    vi, en = LABELS.get(kind, (kind, kind))
    content = verified.content
    lines = [
        f"Sự kiện / Event: {vi} / {en}",
        f"Đối tượng / Record: {verified.record.aggregate_id}, phiên bản / version"
        f" {verified.record.version}",
        f"Thời điểm ghi / Recorded at (UTC): {content.get('timestamp', '?')}",
    ]
    actor = content.get("actor")
    if actor:
        lines.append(
            f"Người thực hiện / Actor: {actor['name']} — {ROLES.get(actor['role'], actor['role'])}"
            f" / {actor['role']} — cơ quan / organisation {actor['organisation_id']}"
        )
    for key, value in content.items():
        if key not in _SKIP:
            lines.append(f"  {key}: {value}")
    lines.append(
        f"Vị trí trong sổ / Log index {verified.index} trong cây / in the tree of"
        f" {verified.checkpoint.size} ({verified.checkpoint.origin}); chữ ký hợp lệ / signature"
        " valid; bằng chứng đưa vào hợp lệ / inclusion proof valid"
    )
    lines.append(
        f"Chữ ký ghi nhận hành vi hợp lệ / Act signature valid: {verified.act_key.encode()}"
    )
    for name, stamp in sorted(verified.cosignatures.items()):
        when = datetime.fromtimestamp(stamp, tz=UTC).isoformat()
        lines.append(f"Nhân chứng đồng ký / Cosigned by witness {name} at {when}")
    if verified.authority is not None:
        lines.append("Căn cứ thẩm quyền / Authority, proven in the same checkpoint:")
        lines += ["  " + line for line in describe(verified.authority)]
    return lines


@dataclass(frozen=True)
class VerifiedDossier:
    """What a valid dossier proves."""

    initiative_id: UUID
    receipts: list[VerifiedReceipt]
    checkpoint: Checkpoint
    first_checkpoint: Checkpoint


def verify_dossier(data: bytes, keys: TrustedKeys) -> VerifiedDossier:
    """Check a dossier ZIP completely; VerificationError names the first problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        files = {name: archive.read(name) for name in archive.namelist()}
        manifest = json.loads(files.pop("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise VerificationError(f"not a dossier: {error}") from error
    if manifest.get("format") != "initiative-ledger/dossier/v1":
        raise VerificationError("not an initiative-ledger/dossier/v1")
    listed = manifest.get("files", {})
    if set(listed) != set(files):
        raise VerificationError("the files differ from the manifest's list")
    for name, digest in listed.items():
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise VerificationError(f"{name} was changed after the dossier was made")
    initiative_id = UUID(manifest["initiative_id"])
    try:
        latest_note = files["checkpoint.txt"].decode()
        verifier = keys.log_key(_origin_of(latest_note))
        latest = verify_checkpoint(latest_note, verifier)
        keys.cosigned(latest_note)
        first = verify_checkpoint(
            files["first-checkpoint.txt"].decode(), verifier, origin=latest.origin
        )
        consistency = json.loads(files["consistency.json"])
        history = json.loads(files["history.json"])
    except (NoteError, KeyError, ValueError) as error:
        raise VerificationError(f"checkpoints or history: {error}") from error
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
    receipts = []
    for entry in history:
        name = f"receipts/event-{entry['version']:05d}.json"
        if name not in files:
            raise VerificationError(f"no receipt for version {entry['version']}")
        verified = verify_receipt(json.loads(files[name]), keys)
        if verified.signed_checkpoint != latest_note:
            raise VerificationError(f"{name} is proven under another checkpoint")
        if (verified.record.aggregate_id, verified.record.version) != (
            initiative_id,
            entry["version"],
        ):
            raise VerificationError(f"{name} proves another event")
        if verified.event_type != entry["type"]:
            raise VerificationError(f"history.json misnames version {entry['version']}")
        receipts.append(verified)
    if [r.record.version for r in receipts] != list(range(1, len(receipts) + 1)):
        raise VerificationError("the history is not complete from version 1")
    if not receipts or first.size <= receipts[0].index:
        raise VerificationError("the first checkpoint does not cover the first event")
    return VerifiedDossier(initiative_id, receipts, latest, first)
