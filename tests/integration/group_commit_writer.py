"""Saves through the event store's recorder, some of them refused, each one's outcome noted
(for the group-commit tests: threads of the test's process, and processes of their own).

Usage: python group_commit_writer.py DATABASE_URL SCHEMA SEED THREADS SAVES OUTPUT_FILE
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, StoredEvent

from domain.application import LedgerApplication
from projections.storage import Storage

TOPIC = "tests.integration.group_commit_writer:Written"
REFUSED_EVERY = 5  # every fifth save also claims a version already recorded: refused whole


def saves(recorder: ApplicationRecorder, seed: int, count: int) -> list[dict[str, Any]]:
    """`count` saves of one to three events of a new originator, at random moments; every
    fifth repeats a version this writer recorded before. What each was told: its ids, or
    that it was refused."""
    rng = random.Random(seed)
    recorded: list[tuple[str, int]] = []
    outcomes: list[dict[str, Any]] = []
    for n in range(count):
        time.sleep(rng.random() * 0.003)  # callers arrive at random moments
        originator = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        events = [(originator, version) for version in range(1, rng.randint(1, 3) + 1)]
        if recorded and n % REFUSED_EVERY == REFUSED_EVERY - 1:
            events.insert(rng.randrange(len(events) + 1), rng.choice(recorded))
        stored = [StoredEvent(uuid.UUID(o), v, TOPIC, f"{o}/{v}".encode() * 8) for o, v in events]
        try:
            ids = list(recorder.insert_events(stored) or [])
        except IntegrityError:
            outcomes.append({"events": events, "ids": None})
            continue
        recorded.extend(events)
        outcomes.append({"events": events, "ids": ids})
    return outcomes


def in_threads(recorder: ApplicationRecorder, seed: int, threads: int, count: int) -> list[Any]:
    """`saves` in `threads` threads at once (seeds seed, seed + 1, …); every outcome."""
    results: list[list[dict[str, Any]]] = [[] for _ in range(threads)]

    def run(n: int) -> None:
        results[n] = saves(recorder, seed + n, count)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [outcome for result in results for outcome in result]


def main() -> None:
    url, schema, seed, threads, count, output = sys.argv[1:7]
    app = LedgerApplication(env=Storage.from_url(url, schema).eventsourcing_env())
    try:
        outcomes = in_threads(app.recorder, int(seed), int(threads), int(count))
    finally:
        app.close()
    Path(output).write_text(json.dumps(outcomes))


if __name__ == "__main__":
    main()
