"""The first page of the dossier's story: what the initiative is, what was approved, by whom
and when, what happened next, how it was evaluated, the protection recommended and
determined, the commendations. Gathered while the history is read (bounded: the events it
lists are capped), rendered once every name is known. Standard library only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from projections import terms
from projections.ledger.story_values import NONE, Context, esc, label, moment_text

APPROVALS = ("Approved", "UrgentAuthorized", "UrgentRatified")
ORIGINS = ("Drafted", "Replicated")
# What happened after the decision, listed in the summary in order (the first SHOWN)
HAPPENINGS = frozenset(
    {
        "Rejected",
        "Withdrawn",
        "Escalated",
        "UrgentRefused",
        "ResourcesAllocated",
        "ImplementationStarted",
        "AdjustmentApproved",
        "AdjustmentRejected",
        "Suspended",
        "Resumed",
        "Terminated",
        "Completed",
        "ResultReported",
        "LiabilityOutcomeRecorded",
        "InterimReviewHeld",
        "FinalReviewHeld",
        "ReplicationApproved",
        "HandedOver",
        "InstitutionalisationRecommended",
        "Archived",
    }
)
SHOWN = 12
# What a happening's line shows besides its day and name
GIST = (
    "reason",
    "decision_document",
    "actual_start",
    "completion_date",
    "document_ref",
    "reasons",
)
APPROVED_TERMS = ("scope", "start", "end", "resources", "assignee_ids", "directions")
EVALUATION = (
    "outcome",
    "parts",
    "findings",
    "self_interest_or_abuse",
    "damage_caused",
    "damage_description",
    "damage_amount_vnd",
    "objective_causes",
    "subjective_causes",
    "document_ref",
)


@dataclass
class Summary:
    """What the first page shows, gathered from the history entries in order."""

    events: int = 0
    origin: dict[str, Any] | None = None
    proposers: dict[str, Any] | None = None  # the last act naming the proposers
    approval: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
    requested: dict[str, Any] | None = None
    determined: dict[str, Any] | None = None
    commendations: list[dict[str, Any]] = field(default_factory=list)
    happenings: list[dict[str, Any]] = field(default_factory=list)
    more: int = 0  # happenings beyond the first SHOWN

    def note(self, entry: dict[str, Any]) -> None:
        self.events += 1
        kind = entry["type"]
        if kind in ORIGINS:
            self.origin = self.proposers = entry
        elif kind == "ProposersNamed":
            self.proposers = entry
        elif kind in APPROVALS:
            self.approval = entry
        elif kind == "Evaluated":
            self.evaluation = entry
        elif kind == "ProtectionRequested":
            self.requested = entry
        elif kind == "ProtectionDetermined":
            self.determined = entry
        elif kind == "Commended" and len(self.commendations) < SHOWN:
            self.commendations.append(entry)
        elif kind in HAPPENINGS:
            if len(self.happenings) < SHOWN:
                self.happenings.append(entry)
            else:
                self.more += 1


Of = Callable[[dict[str, Any]], Context]  # an entry's context


def render_summary(summary: Summary, of: Of) -> str:
    """The summary as HTML (`of` gives each entry's context: its names and directory)."""
    rows = [*_identity(summary, of), *_decision(summary, of)]
    rows.append(("Diễn biến sau khi chấp thuận", _happenings(summary, of)))
    rows += _outcome(summary, of)
    rows.append((terms.FIELDS["total"] + " sự kiện", str(summary.events)))
    body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        '<section class="summary"><h2>Tóm tắt hồ sơ</h2>'
        f'<table class="fields">{body}</table></section>\n'
    )


def _identity(summary: Summary, of: Of) -> list[tuple[str, str]]:
    if summary.origin is None:
        return []
    data, context = summary.origin["data"], of(summary.origin)
    proposers = summary.proposers or summary.origin
    return [
        (label("title"), context.show("title", data.get("title"))),
        (
            label("employing_organisation_id"),
            context.show("employing_organisation_id", data.get("employing_organisation_id")),
        ),
        (
            terms.CHOICES["proposer"],
            of(proposers).show("proposer_ids", proposers["data"].get("proposer_ids")),
        ),
        (label("regime"), context.show("regime", data.get("regime"))),
    ]


def _decision(summary: Summary, of: Of) -> list[tuple[str, str]]:
    """What was approved, by whom and when (or that nothing was)."""
    entry = summary.approval
    if entry is None:
        return [(terms.EVENTS["Approved"], "Chưa có quyết định chấp thuận chủ trương")]
    context, data = of(entry), entry["data"]
    terms_ = data.get("approval") or {}
    shown = {k: terms_.get(k) for k in APPROVED_TERMS if k in terms_}
    return [
        (terms.EVENTS[entry["type"]], context.fields(shown)),
        (
            label("decision_document"),
            context.show("decision_document", data.get("decision_document")),
        ),
        ("Người quyết định", context.actor(entry.get("actor"))),
        ("Ngày quyết định", moment_text(str(entry["recorded_at"]))),
    ]


def _happenings(summary: Summary, of: Of) -> str:
    if not summary.happenings:
        return NONE
    lines = []
    for entry in summary.happenings:
        context = of(entry)
        gist = [
            f"{esc(label(k))}: {context.show(k, entry['data'][k])}"
            for k in GIST
            if entry["data"].get(k)
        ]
        lines.append(
            f"<li>{moment_text(str(entry['recorded_at']))[:10]} — "
            f"<b>{esc(terms.EVENTS.get(entry['type'], entry['type']))}</b>"
            + (f" ({'; '.join(gist)})" if gist else "")
            + "</li>"
        )
    if summary.more:
        lines.append(f"<li>… và {summary.more} sự kiện khác (xem chi tiết bên dưới)</li>")
    return "<ul>" + "".join(lines) + "</ul>"


def _outcome(summary: Summary, of: Of) -> list[tuple[str, str]]:
    """The evaluation, protection and commendations."""
    rows: list[tuple[str, str]] = []
    if summary.evaluation is not None:
        entry, context = summary.evaluation, of(summary.evaluation)
        shown = {k: entry["data"][k] for k in EVALUATION if k in entry["data"]}
        by = f"{context.actor(entry.get('actor'))}<br>{moment_text(str(entry['recorded_at']))}"
        rows.append((terms.EVENTS["Evaluated"], context.fields(shown) + by))
    else:
        rows.append((terms.EVENTS["Evaluated"], "Chưa đánh giá"))
    determined = summary.determined
    recommended = determined["data"].get("recommended") if determined else None
    if determined is None and summary.requested is None:
        rows.append((terms.EVENTS["ProtectionDetermined"], "Không có đề nghị bảo vệ"))
    else:
        context = of(determined or summary.requested or {})
        rows.append((label("recommended_measure"), context.show("measure", recommended)))
        measure = determined["data"].get("measure") if determined else None
        rows.append((label("determined_measure"), context.show("measure", measure)))
    commended = [
        f"<li>{of(e).show('form', e['data'].get('form'))}: "
        f"{of(e).show('person_ids', e['data'].get('person_ids'))}"
        f" ({esc(e['data'].get('decision_document', ''))})</li>"
        for e in summary.commendations
    ]
    rows.append(
        (terms.EVENTS["Commended"], f"<ul>{''.join(commended)}</ul>" if commended else NONE)
    )
    return rows
