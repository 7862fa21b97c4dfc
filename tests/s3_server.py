"""A real S3-compatible server for the tests of documents kept in an object store: moto's
`moto_server` (the S3 HTTP API: buckets, PUT/GET of objects, signature V4 requests), as its own
process on a free port, stopped afterwards. `S3Server.client()` is a minio client of it, for a
test to look into the bucket (or to change an object behind the service's back).
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from minio import Minio

from tests.server_process import ServerProcess

ACCESS_KEY, SECRET_KEY, REGION = "ledger-test", "ledger-test-secret", "us-east-1"


class S3Server(ServerProcess):
    """moto_server on 127.0.0.1:`port`, its output in `log`."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        super().__init__("moto_server", command, log, within=60)

    def answers(self) -> bool:
        """Whether the server answers HTTP yet (its moto API's reset endpoint is cheap)."""
        try:
            with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2) as answer:
                return int(answer.status) == 200
        except (OSError, urllib.error.HTTPError):
            return False

    def client(self) -> Minio:
        return Minio(
            f"127.0.0.1:{self.port}",
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            secure=False,
            region=REGION,
        )

    def new_bucket(self) -> str:
        """A bucket of its own for one test."""
        name = f"documents-{uuid.uuid4().hex[:12]}"
        self.client().make_bucket(name)
        return name

    def settings(self, bucket: str) -> dict[str, str]:
        """The service's ATTACHMENT_S3_* settings for `bucket` of this server."""
        return {
            "ATTACHMENT_S3_ENDPOINT": self.url,
            "ATTACHMENT_S3_BUCKET": bucket,
            "ATTACHMENT_S3_ACCESS_KEY": ACCESS_KEY,
            "ATTACHMENT_S3_SECRET_KEY": SECRET_KEY,
            "ATTACHMENT_S3_REGION": REGION,
        }


def running_s3(port: int, log: Path) -> Iterator[S3Server]:
    """The body of a fixture: the server, stopped afterwards."""
    with S3Server(port, log) as server:
        yield server
