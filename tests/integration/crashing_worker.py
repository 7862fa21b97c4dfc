"""A worker process that stops dead inside its second batch's transaction (for crash tests).

Usage: python crashing_worker.py DATABASE_URL SCHEMA MARKER_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from projections.db import Database
from projections.storage import Storage
from projections.worker import Worker
from tests.factories import stored_application


def main() -> None:
    url, schema, marker = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    storage = Storage.from_url(url, schema)
    worker = Worker(stored_application(storage), Database(storage), batch_size=10)
    batches = {"n": 0}

    def hang() -> None:
        batches["n"] += 1
        if batches["n"] == 2:
            marker.write_text("inside the second batch")
            time.sleep(120)  # the test SIGKILLs us here, before COMMIT

    worker.before_commit = hang
    worker.catch_up()


if __name__ == "__main__":
    main()
