"""The recommended protection measure, computed from the record exactly as domain.md §6 says."""

from __future__ import annotations

from collections.abc import Mapping

from domain.vocabulary import Measure, Outcome

# The four findings of an evaluation (Art. 11); all must be true for protection.
FINDINGS = ("followed_policy", "pure_motive", "common_interest", "within_scope_and_time")


def recommend(
    *,
    approved: bool,
    outcome: Outcome | None,
    damage_caused: bool,
    findings: Mapping[str, bool],
    self_interest_or_abuse: bool,
    acts_outside_approval: bool,
) -> tuple[Measure | None, list[str]]:
    """The measure the record supports, with the reasons; None before the evaluation."""
    reasons: list[str] = []
    if not approved:
        reasons.append("no approval or urgent authorization is recorded")
    false = [name for name in FINDINGS if findings.get(name) is False]
    if false:
        reasons.append("the evaluation found false: " + ", ".join(false))
    if self_interest_or_abuse:
        reasons.append("self-interest or abuse is recorded")
    if acts_outside_approval:
        reasons.append("acts outside the approved (and adjusted) scope or dates are recorded")
    if reasons:
        return Measure.NOT_ELIGIBLE, reasons
    if outcome is None:
        return None, ["the initiative has not been evaluated"]
    if outcome is Outcome.COMPLETED:
        return Measure.NO_LIABILITY, ["the evaluation found the initiative completed"]
    if not damage_caused:
        return Measure.LIABILITY_EXCLUDED, [
            "not (fully) completed, no damage caused, and every finding is true"
        ]
    return Measure.CONSIDER_EXCLUSION_EXEMPTION_MITIGATION, [
        "not (fully) completed with damage, and every finding is true"
    ]
