"""The facts of a certificate of an act: only what verified receipts prove.

A certificate (web/certificate.py renders it) shows one sealed act of an initiative — above all
an approval in principle or an evaluation — to a reader without a program: the initiative as
drafted, the act with the acting person's position and organisation as held that day, its
content, and for a decision the leadership meeting's vote. Each of those facts is read from a
receipt built for it and verified here with the deployment's trusted keys, exactly as an
offline verifier would (`verify_receipt`); a certificate is never made of an act the ledger
does not prove (NotYetProvableError, VerificationError). Names of other people (proposers,
voters, assignees) are not in those receipts: the renderer marks them as read from the
directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.ledger.receipts import build_receipt
from projections.ledger.store import LedgerStore
from projections.ledger.verify import TrustedKeys, VerifiedReceipt, verify_receipt

# Acts decided after a leadership meeting: their certificate shows the meeting's vote.
DECIDED_AFTER_A_MEETING = frozenset({"Approved", "Rejected", "Evaluated"})


@dataclass(frozen=True)
class CertifiedAct:
    """The verified receipts a certificate is drawn from."""

    act: VerifiedReceipt
    drafted: VerifiedReceipt  # version 1: the title, the employing agency, the proposers
    meeting: VerifiedReceipt | None  # the last leadership meeting before a decision

    @property
    def initiative(self) -> dict[str, Any]:
        """The initiative as drafted (proven)."""
        return self.drafted.content


def certify(
    app: Application[UUID],
    store: LedgerStore,
    keys: TrustedKeys,
    initiative_id: UUID,
    version: int,
    history: list[dict[str, Any]],
) -> CertifiedAct:
    """Verify the receipts of the act, of the draft and (for a decision) of the meeting
    before it; `history` names each version's type (which version was the meeting)."""
    checkpoint = store.latest()

    def verified(number: int) -> VerifiedReceipt:
        return verify_receipt(build_receipt(app, store, initiative_id, number, checkpoint), keys)

    act = verified(version)
    meeting = None
    if act.event_type in DECIDED_AFTER_A_MEETING:
        meetings = [
            h["version"]
            for h in history
            if h["type"] == "LeadershipMeetingHeld" and h["version"] < version
        ]
        meeting = verified(meetings[-1]) if meetings else None
    return CertifiedAct(act, act if version == 1 else verified(1), meeting)
