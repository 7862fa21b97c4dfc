"""The closed vocabularies of the domain: every value an event stores from a fixed list,
with what it means and its legal basis. Pages and documents label each value from the
message catalogue (`web/pages/labels.py`); a new value starts here."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where an initiative stands in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CLARIFICATION_REQUESTED = "clarification_requested"
    URGENT_REPORTED = "urgent_reported"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    COMPLETED = "completed"
    UNDER_EVALUATION = "under_evaluation"
    EVALUATED = "evaluated"
    ARCHIVED = "archived"


class Regime(StrEnum):
    """Ordinary procedure or the urgent path."""

    REGULAR = "regular"
    URGENT = "urgent"


class Phase(StrEnum):
    """The two moments at which the same-level party committee gives its opinion."""

    APPROVAL = "approval"
    EVALUATION = "evaluation"


class Role(StrEnum):
    """What a position lets its holder do (domain.md §2)."""

    HEAD = "head"
    DEPUTY = "deputy"
    STAFF = "staff"
    PARTY_COMMITTEE = "party_committee"
    INSPECTOR = "inspector"
    PERSONNEL = "personnel"
    COMMENDATION = "commendation"
    CLERK = "clerk"
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    """The kind of an organisation in the political system."""

    PARTY_COMMITTEE = "party_committee"
    PARTY_BOARD = "party_board"
    PEOPLES_COUNCIL = "peoples_council"
    PEOPLES_COMMITTEE = "peoples_committee"
    STATE_AGENCY = "state_agency"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    STATE_ENTERPRISE = "state_enterprise"
    INSPECTION_COMMISSION = "inspection_commission"
    INSPECTORATE = "inspectorate"
    MASS_ORGANISATION = "mass_organisation"


class Level(StrEnum):
    """Administrative level; `district` survives only in records before 1 Jul 2025."""

    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class SuccessionKind(StrEnum):
    """How an organisation's history continues in another one."""

    MERGED_INTO = "merged_into"
    SPLIT_FROM = "split_from"
    RENAMED_FROM = "renamed_from"


class HandoverRole(StrEnum):
    """What a merged, split or renamed organisation was to an initiative it handed over to its
    successor (domain.md §5.15): its employing agency, the addressee of its proposal, the
    authority that decides it."""

    EMPLOYER = "employer"
    ADDRESSEE = "addressee"
    AUTHORITY = "authority"


class Bottleneck(StrEnum):
    """Why the existing rules block the innovation (Art. 7)."""

    NOT_REGULATED = "not_regulated"
    REGULATED_BUT_UNSUITABLE = "regulated_but_unsuitable"
    CONFLICTING = "conflicting"


class Vote(StrEnum):
    """One member's vote in a leadership meeting."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class ApprovalBasis(StrEnum):
    """On what footing the head approves (Art. 8)."""

    MAJORITY = "majority"
    TIE_HEAD_SIDE = "tie_head_side"
    HEAD_OVERRIDE = "head_override"


class Outcome(StrEnum):
    """The evaluation of a part of the work, or of the whole (Art. 11)."""

    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    NOT_COMPLETED = "not_completed"


class Measure(StrEnum):
    """What the employing agency determines on protection (Art. 11)."""

    NO_LIABILITY = "no_liability"
    LIABILITY_EXCLUDED = "liability_excluded"
    CONSIDER_EXCLUSION_EXEMPTION_MITIGATION = "consider_exclusion_exemption_mitigation"
    NOT_ELIGIBLE = "not_eligible"


class SupervisionKind(StrEnum):
    """What kind of oversight a note records."""

    INSPECTION = "inspection"
    SUPERVISION = "supervision"
    MONITORING = "monitoring"


class ProtectionTrigger(StrEnum):
    """What prompted a protection request."""

    INSPECTION = "inspection"
    DISCIPLINE = "discipline"
    AUDIT = "audit"
    CRIMINAL = "criminal"


class CommendationForm(StrEnum):
    """Praise is possible any time after approval; the others are rewards (Art. 10)."""

    PRAISE = "praise"
    CERTIFICATE_OF_MERIT = "certificate_of_merit"
    EMULATION_TITLE = "emulation_title"
    ORDER_OR_MEDAL = "order_or_medal"


class Indicator(StrEnum):
    """What a unit's plan sets a target for and its reviews count (domain.md "Beyond single
    initiatives"): initiatives proposed, approved, completed, replicated, institutionalised,
    protected in the period, and the deadlines missed in it (a ceiling, not a goal)."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    COMPLETED = "completed"
    REPLICATED = "replicated"
    INSTITUTIONALISED = "institutionalised"
    PROTECTED = "protected"
    MISSED_DEADLINES = "missed_deadlines"


class ReviewKind(StrEnum):
    """A unit's review of a period: interim (sơ kết) or final (tổng kết)."""

    INTERIM = "interim"
    FINAL = "final"
