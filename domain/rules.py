"""Checks and vocabularies of the pilot and its aftermath (domain.md §4 to §6)."""

from __future__ import annotations

from collections.abc import Mapping

from domain.errors import InvalidError
from domain.initiative_payloads import ApprovedTerms, EvaluationBody, UrgentReport
from domain.messages import Listed, msg
from domain.proposal import OPTIONS_TEXTS, check_grounds, check_options, check_period
from domain.protection import FINDINGS
from domain.vocabulary import Outcome

# The approved terms an adjustment may change.
TERMS = ("scope", "start", "end", "resources")


def require_items(items: list[str], field: str, refusal: str = "") -> list[str]:
    """At least one non-blank item (else `refusal`, or a refusal naming `field`)."""
    if not items or any(not item.strip() for item in items):
        raise InvalidError(refusal or "{field} needs at least one non-empty item", field=field)
    return items


def _text(data: Mapping[str, object], name: str) -> str:
    value = str(data.get(name) or "")
    if not value.strip():
        raise InvalidError("{field} must not be empty", field=name)
    return value


def validate_urgent_report(report: UrgentReport) -> None:
    """Situation, at least two options, the choice and why, worst case, remedies, and the
    declaration of grounds (domain.md §5.13; the day the cadre acted, if they did, is the
    aggregate's to check: `STATED_DATES`)."""
    for name in ("situation", *OPTIONS_TEXTS):
        _text(report, name)
    check_options(report, msg("an urgent report"))
    check_grounds(report)


def checked_terms(terms: ApprovedTerms) -> ApprovedTerms:
    """The terms of an urgent decision (authorization or ratification): a scope, an ordered
    period, assignees, and the competent level's specific directions (HCMC plan 124-KH/TU)."""
    _text(terms, "scope")
    check_period(terms["start"], terms["end"], "end")
    if not terms.get("assignee_ids"):
        raise InvalidError("name at least one assignee", field="assignee_ids")
    _text(terms, "directions")
    return terms


def check_damage(caused: bool, description: str, amount_vnd: int) -> None:
    """Damage is described when caused, and never negative."""
    if amount_vnd < 0:
        raise InvalidError("the damage amount cannot be negative", "damage_amount_vnd")
    if caused and not description.strip():
        raise InvalidError("describe the damage caused", "damage_description")
    if not caused and amount_vnd:
        raise InvalidError("an amount is given but no damage is declared", "damage_amount_vnd")


def checked_evaluation(evaluation: EvaluationBody) -> EvaluationBody:
    """Outcomes per part and overall, damage, causes and the four findings (Art. 11)."""
    parts = evaluation["parts"]
    if not parts:
        raise InvalidError("evaluate at least one part of the work", "parts")
    for part in parts:
        Outcome(part["outcome"])
    Outcome(evaluation["outcome"])
    check_damage(
        evaluation["damage_caused"],
        evaluation["damage_description"],
        evaluation["damage_amount_vnd"],
    )
    missing = [f for f in FINDINGS if not isinstance(evaluation["findings"].get(f), bool)]
    if missing or set(evaluation["findings"]) - set(FINDINGS):
        raise InvalidError(
            "the findings are exactly {fields}", "findings", fields=Listed(FINDINGS)
        )
    _text(evaluation, "document_ref")
    return evaluation
