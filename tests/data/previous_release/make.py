"""Make the databases of the previous release kept beside this file (README.md says how).

Run with the previous release's code first on the path, e.g. from an export of its commit:

    git archive <commit> | tar -x -C /tmp/prev && cd /tmp/prev
    PYTHONPATH=. python $REPO/tests/data/previous_release/make.py $REPO/tests/data/previous_release

It writes ledger.sqlite3 and postgres.sql.gz (a plain dump of the schema SCHEMA, gzipped) into
the folder given, with the test-only keys act-key and ledger-key there (made when missing).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(sys.argv[1]).resolve()
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
SCHEMA = "ledger_previous_release"  # a name the tests replace in the dump
ORIGIN = "ledger.example/test"

if not (OUT / "ledger-key").exists():
    from web.key_files import write_new_key

    write_new_key(OUT / "act-key", f"{ORIGIN}/acts")
    write_new_key(OUT / "ledger-key", ORIGIN)
os.environ["ACT_KEY_FILE"] = str(OUT / "act-key")

from projections.db import Database  # noqa: E402
from projections.ledger import verifications  # noqa: E402
from projections.ledger.check import verify_log  # noqa: E402
from projections.ledger.note import Signer  # noqa: E402
from projections.ledger.store import Checkpointer  # noqa: E402
from projections.storage import Storage  # noqa: E402
from projections.worker import Worker  # noqa: E402
from tests.factories import Clock, Scenario, stored_application, ward_directory  # noqa: E402
from web.service import migrate  # noqa: E402


def fill(storage: Storage) -> None:
    """Migrate a new store and record a directory and one submitted initiative, sealed,
    checkpointed and verified."""
    storage.drop_all()
    migrate(storage)
    clock = Clock()
    app = stored_application(storage, clock)
    db = Database(storage)
    try:
        app.import_directory(ward_directory(), "test")
        scenario = Scenario(app, clock)
        scenario.draft()
        scenario.submit()
        Worker(app, db).catch_up()
        signer = Signer.parse((OUT / "ledger-key").read_text("ascii"))
        assert Checkpointer(db, signer, ORIGIN, 0).issue() is not None
        report = verify_log(app, db, signer.verifier)
        assert report.ok, report.problems
        verifications.record(db, report, at=clock())
    finally:
        db.close()
        app.close()


folder = Path(tempfile.mkdtemp())
sqlite = Storage.from_url(f"sqlite:///{folder / 'ledger.sqlite3'}")
fill(sqlite)
shutil.copyfile(folder / "ledger.sqlite3", OUT / "ledger.sqlite3")
assert not Path(f"{folder / 'ledger.sqlite3'}-wal").exists(), "the WAL was not checkpointed"

postgres = Storage.from_url(PG_URL, schema=SCHEMA)
fill(postgres)
try:
    subprocess.run(
        [
            "pg_dump",
            "--host",
            postgres.host,
            "--port",
            str(postgres.port),
            "--username",
            postgres.user,
            "--schema",
            SCHEMA,
            "--no-owner",
            "--no-privileges",
            "--inserts",
            "--file",
            str(OUT / "postgres.sql"),  # gzipped below
            postgres.dbname,
        ],
        check=True,
    )
finally:
    postgres.drop_all()
dump = OUT / "postgres.sql"
with (OUT / "postgres.sql.gz").open("wb") as out, gzip.GzipFile(dump.name, "wb", 9, out, 0) as z:
    z.write(dump.read_bytes())  # mtime 0: the same dump gives the same bytes
dump.unlink()
print(f"made {OUT / 'ledger.sqlite3'} and {OUT / 'postgres.sql.gz'}")
