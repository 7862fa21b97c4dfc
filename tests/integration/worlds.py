"""The scripted histories the views' tests build (through the real aggregates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.application import LedgerApplication
from tests.factories import (
    Clock,
    Life,
    commendation,
    oid,
    oversight_directory,
    pid,
    position,
    ward_committee,
)


def a_world(app: LedgerApplication, clock: Clock) -> dict[str, Any]:
    """A handful of initiatives in different states, with a merged ward, a unit's plan and
    its interim review (tests/integration/test_views.py, test_history.py)."""
    app.import_directory(oversight_directory(), "test")
    app.import_directory(
        {
            "organisations": [
                ward_committee(
                    "pham-ngu-lao-ubnd",
                    "UBND phường Phạm Ngũ Lão (cũ)",
                    succession=[
                        {
                            "relation": "merged_into",
                            "organisation": "ben-thanh-ubnd",
                            "date": date(2025, 7, 1),
                        }
                    ],
                )
            ],
            "positions": [position("can-bo", "pham-ngu-lao-ubnd", "staff")],
        },
        "test",
    )
    done = Life(app, clock)
    done.to_evaluated()
    app.commend(done.as_("thi-dua"), done.id, None, **commendation(decision_document="QĐ 5"))
    clock.now = clock.now.replace(year=2026, month=3, day=2)
    waiting = Life(app, clock)
    waiting.to_review()
    pilot = Life(app, clock)
    pilot.to_approval()
    pilot.start()
    # Two obstacles, two clocks of one name: the first resolved, the second still open.
    resolved = pilot.cmd("raise_obstacle", "can-bo", obstacle="Thiếu chữ ký số")
    pilot.cmd("raise_obstacle", "can-bo", obstacle="Thiếu máy quét")
    pilot.cmd("resolve_obstacle", "chu-tich", obstacle_version=resolved, measure="Cấp chữ ký số")
    clock.now = clock.now.replace(year=2026, month=5, day=4)
    # A unit's plan, revised, and an interim review (its figures as the caller counted them).
    ward, content = (
        oid("ben-thanh-ubnd"),
        {
            "targets": [{"indicator": "proposed", "target": 4}],
            "responsible_person_ids": [pid("pho-1")],
            "summary": "Kế hoạch năm",
        },
    )
    app.record_plan(done.as_("chu-tich"), ward, "2026", **content)
    app.revise_plan(done.as_("pho-1"), ward, "2026", **content, reason="Giữ nguyên")
    figures = dict.fromkeys(
        ("proposed", "approved", "completed", "replicated", "institutionalised", "protected"), 1
    ) | {"missed_deadlines": 0}
    app.record_review(
        done.as_("chu-tich"),
        ward,
        "2026",
        "interim",
        "Bài học",
        [pilot.id],
        [],
        lambda: (figures, 7),
    )
    return {"done": done.id, "waiting": waiting.id, "pilot": pilot.id}
