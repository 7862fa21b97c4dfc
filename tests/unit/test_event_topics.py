"""The topics stored with an initiative's events never change, wherever the code moves.

Every stored event names its class by a topic (`domain.initiative:Initiative.Approved`); the
event store, the ledger's leaves and the receipts already issued carry these strings, and
replaying an initiative resolves them back to classes. The event classes are defined in
`domain/initiative_events.py` and redefined by eventsourcing's metaclass in the body of
`Initiative` (`domain/initiative.py`), which is what gives them these topics. A new event adds
its topic below; an existing topic is never changed or removed (a renamed or moved event class
needs `eventsourcing.utils.register_topic` for its old topic first).
"""

from __future__ import annotations

from eventsourcing.utils import get_topic, resolve_topic

from domain import initiative_events
from domain.application import LedgerApplication
from domain.initiative import Initiative
from domain.unit_plan import UnitPlan, UnitReviews
from tests.factories import Scenario

STORED_TOPICS = [
    "domain.initiative:Initiative.AdjustmentApproved",
    "domain.initiative:Initiative.AdjustmentRejected",
    "domain.initiative:Initiative.AdjustmentRequested",
    "domain.initiative:Initiative.Amended",
    "domain.initiative:Initiative.Approved",
    "domain.initiative:Initiative.Archived",
    "domain.initiative:Initiative.CadreEvaluationInputRecorded",
    "domain.initiative:Initiative.ClarificationRequested",
    "domain.initiative:Initiative.Commended",
    "domain.initiative:Initiative.Completed",
    "domain.initiative:Initiative.Corrected",
    "domain.initiative:Initiative.CorrectionProposed",
    "domain.initiative:Initiative.Created",
    "domain.initiative:Initiative.Drafted",
    "domain.initiative:Initiative.EarlySalaryStepConsidered",
    "domain.initiative:Initiative.Escalated",
    "domain.initiative:Initiative.Evaluated",
    "domain.initiative:Initiative.Event",
    "domain.initiative:Initiative.FinalReviewHeld",
    "domain.initiative:Initiative.HandedOver",
    "domain.initiative:Initiative.ImplementationStarted",
    "domain.initiative:Initiative.InstitutionalisationRecommended",
    "domain.initiative:Initiative.InterimReviewHeld",
    "domain.initiative:Initiative.LeadershipMeetingHeld",
    "domain.initiative:Initiative.LiabilityOutcomeRecorded",
    "domain.initiative:Initiative.ObstacleRaised",
    "domain.initiative:Initiative.ObstacleResolved",
    "domain.initiative:Initiative.PartyOpinionGiven",
    "domain.initiative:Initiative.ProgressReported",
    "domain.initiative:Initiative.ProposersNamed",
    "domain.initiative:Initiative.ProtectionDetermined",
    "domain.initiative:Initiative.ProtectionRequested",
    "domain.initiative:Initiative.Received",
    "domain.initiative:Initiative.Rejected",
    "domain.initiative:Initiative.Replicated",
    "domain.initiative:Initiative.ReplicationApproved",
    "domain.initiative:Initiative.ReplicationProposed",
    "domain.initiative:Initiative.ResourcesAllocated",
    "domain.initiative:Initiative.ResultReported",
    "domain.initiative:Initiative.Resumed",
    "domain.initiative:Initiative.Submitted",
    "domain.initiative:Initiative.SupervisionNoteRecorded",
    "domain.initiative:Initiative.Suspended",
    "domain.initiative:Initiative.Terminated",
    "domain.initiative:Initiative.UrgentAuthorized",
    "domain.initiative:Initiative.UrgentRatified",
    "domain.initiative:Initiative.UrgentRefused",
    "domain.initiative:Initiative.UrgentReported",
    "domain.initiative:Initiative.Withdrawn",
]


def event_classes() -> dict[str, type[Initiative.Event]]:
    """The event classes of the aggregate, by their name on `Initiative`."""
    found = {}
    for name in dir(Initiative):
        value = getattr(Initiative, name)
        if isinstance(value, type) and issubclass(value, Initiative.Event):
            found[name] = value
    return found


def test_every_event_class_of_the_aggregate_keeps_its_stored_topic() -> None:
    assert sorted(get_topic(cls) for cls in event_classes().values()) == STORED_TOPICS


def test_each_topic_names_the_class_by_its_name_on_the_aggregate() -> None:
    for name, cls in event_classes().items():
        assert get_topic(cls) == f"domain.initiative:Initiative.{name}"


def test_each_stored_topic_resolves_to_the_class_the_aggregate_triggers() -> None:
    for topic in STORED_TOPICS:
        name = topic.removeprefix("domain.initiative:Initiative.")
        assert resolve_topic(topic) is getattr(Initiative, name), topic
        assert get_topic(resolve_topic(topic)) == topic


def test_the_aggregate_keeps_its_topic() -> None:
    assert get_topic(Initiative) == "domain.initiative:Initiative"
    assert resolve_topic("domain.initiative:Initiative") is Initiative


def test_every_defined_event_is_redefined_on_the_aggregate() -> None:
    """An event defined in `initiative_events` but not named in `Initiative`'s body would keep
    the topic `domain.initiative_events:…` if triggered: each one is redefined there."""
    defined = {
        name: value
        for name, value in vars(initiative_events).items()
        if isinstance(value, type)
        and value.__module__ == initiative_events.__name__
        and value not in initiative_events.KINDS
    }
    assert defined
    for name, definition in defined.items():
        redefined = getattr(Initiative, name)
        assert redefined is not definition
        assert issubclass(redefined, definition)
        assert issubclass(redefined, Initiative.Event)
        assert get_topic(redefined) in STORED_TOPICS


def test_the_stored_events_carry_these_topics(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.to_approval()
    stored = app.recorder.select_notifications(start=None, limit=10_000)
    topics = [n.topic for n in stored if n.originator_id == scenario.id]
    assert topics == [
        "domain.initiative:Initiative.Drafted",
        "domain.initiative:Initiative.Submitted",
        "domain.initiative:Initiative.Received",
        "domain.initiative:Initiative.PartyOpinionGiven",
        "domain.initiative:Initiative.LeadershipMeetingHeld",
        "domain.initiative:Initiative.Approved",
    ]
    assert all(resolve_topic(t) is getattr(Initiative, t.rsplit(".", 1)[1]) for t in topics)


# Units' plans and reviews (domain/unit_plan.py): their own aggregates, their topics stored too.
UNIT_TOPICS = {
    "domain.unit_plan:UnitPlan": UnitPlan,
    "domain.unit_plan:UnitPlan.Recorded": UnitPlan.Recorded,
    "domain.unit_plan:UnitPlan.Revised": UnitPlan.Revised,
    "domain.unit_plan:UnitReviews": UnitReviews,
    "domain.unit_plan:UnitReviews.Opened": UnitReviews.Opened,
    "domain.unit_plan:UnitReviews.ReviewRecorded": UnitReviews.ReviewRecorded,
}


def test_the_units_plans_and_reviews_keep_their_topics() -> None:
    for topic, cls in UNIT_TOPICS.items():
        assert get_topic(cls) == topic
        assert resolve_topic(topic) is cls
