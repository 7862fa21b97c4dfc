"""The documents' bytes in an S3-compatible object store (ATTACHMENT_S3_*), when one is
configured: each under `sha256/<hex digest>` in one bucket, put before the database row that
describes it is written (so a row never names an object that was never put).

The store's operator is not trusted with the record: whoever reads an object back
(`AttachmentStore.content`, projections/attachments.py) checks that its bytes hash to the
digest it is kept under, and serves nothing else. `ObjectStoreError` is the store not answering
as it should (unreachable, refusing the credentials, no such bucket): the service answers 503
and records nothing.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # minio and urllib3 are imported when a store is configured (~0.1 s)
    from minio import Minio

log = logging.getLogger(__name__)

PREFIX = "sha256/"


class ObjectStoreError(RuntimeError):
    """The object store did not do what was asked (unreachable, refused, no such bucket)."""


def key(sha256: str) -> str:
    """The object's name in the bucket."""
    return PREFIX + sha256


@dataclass(frozen=True)
class ObjectStore:
    """One bucket of an S3-compatible store."""

    client: Minio
    bucket: str
    endpoint: str  # scheme://host[:port], for messages

    def put(self, sha256: str, content: bytes, media_type: str) -> None:
        """Keep `content` under `sha256` (one request; the same bytes again overwrite
        themselves)."""
        import urllib3
        from minio.error import InvalidResponseError, S3Error, ServerError
        from minio.helpers import MIN_PART_SIZE

        try:
            self.client.put_object(
                self.bucket,
                key(sha256),
                io.BytesIO(content),
                len(content),
                content_type=media_type,
                part_size=max(MIN_PART_SIZE, len(content)),  # one PUT, never multipart
            )
        except (S3Error, ServerError, InvalidResponseError, urllib3.exceptions.HTTPError) as e:
            raise self._failed("put", sha256, e) from e

    def get(self, sha256: str) -> bytes | None:
        """The object's bytes as the store gives them (unchecked), or None when it has none
        under `sha256`."""
        import urllib3
        from minio.error import InvalidResponseError, S3Error, ServerError

        try:
            answer = self.client.get_object(self.bucket, key(sha256))
            try:
                return bytes(answer.read())
            finally:
                answer.close()
                answer.release_conn()
        except S3Error as error:
            if error.code == "NoSuchKey":
                return None
            raise self._failed("get", sha256, error) from error
        except (ServerError, InvalidResponseError, urllib3.exceptions.HTTPError) as error:
            raise self._failed("get", sha256, error) from error

    def _failed(self, what: str, sha256: str, error: Exception) -> ObjectStoreError:
        log.error(
            "object store %s: %s %s%s failed: %s", self.endpoint, what, self.bucket, sha256, error
        )
        return ObjectStoreError(f"the object store {self.endpoint} failed: {error}")


SETTINGS = (
    "ATTACHMENT_S3_ENDPOINT",
    "ATTACHMENT_S3_BUCKET",
    "ATTACHMENT_S3_ACCESS_KEY",
    "ATTACHMENT_S3_SECRET_KEY",
)
REGION = "ATTACHMENT_S3_REGION"
SECRET_KEY_FILE = "ATTACHMENT_S3_SECRET_KEY_FILE"
# The names of every setting of the store.
S3_NAMES = (*SETTINGS, SECRET_KEY_FILE, REGION)


def object_store(settings: Mapping[str, str], production: bool) -> ObjectStore | None:
    """The store the ATTACHMENT_S3_* `settings` describe (by name, "" for one unset), or None
    when none is set (the database keeps the bytes). ValueError, one line naming the setting,
    when they are partial or unusable: the endpoint must be https://host[:port] (http:// only
    outside `production`), the secret given once (ATTACHMENT_S3_SECRET_KEY or _FILE)."""
    secret, secret_file = settings["ATTACHMENT_S3_SECRET_KEY"], settings[SECRET_KEY_FILE]
    if secret and secret_file:
        raise ValueError("set ATTACHMENT_S3_SECRET_KEY or ATTACHMENT_S3_SECRET_KEY_FILE, not both")
    if secret_file:
        try:
            secret = Path(secret_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise ValueError(
                f"ATTACHMENT_S3_SECRET_KEY_FILE {secret_file} cannot be read: {reason}"
            ) from None
    values = {**settings, "ATTACHMENT_S3_SECRET_KEY": secret}
    missing = [name for name in SETTINGS if not values.get(name)]
    if len(missing) == len(SETTINGS) and not values[REGION]:
        return None
    if missing:
        raise ValueError(
            "an object store for the documents needs ATTACHMENT_S3_ENDPOINT,"
            " ATTACHMENT_S3_BUCKET, ATTACHMENT_S3_ACCESS_KEY and ATTACHMENT_S3_SECRET_KEY (or"
            f" _FILE) together; missing {', '.join(missing)}"
        )
    endpoint = values["ATTACHMENT_S3_ENDPOINT"]
    parts = urlsplit(endpoint)
    if parts.path.strip("/") or parts.query or parts.fragment or not parts.hostname:
        raise ValueError(
            f"ATTACHMENT_S3_ENDPOINT must be the store's address, scheme://host[:port] without"
            f" a path (the bucket is ATTACHMENT_S3_BUCKET), not {endpoint!r}"
        )
    if production and parts.scheme != "https":
        raise ValueError(
            f"ATTACHMENT_S3_ENDPOINT must be an https:// address in production, not {endpoint!r}"
        )
    import certifi
    import urllib3
    from minio import Minio
    from minio.helpers import check_bucket_name

    # A store that does not answer is given up on quickly: the upload is refused (503), not held.
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5, read=60),
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
    )
    try:
        client = Minio(
            parts.netloc,
            access_key=values["ATTACHMENT_S3_ACCESS_KEY"],
            secret_key=secret,
            secure=parts.scheme == "https",
            region=values[REGION] or None,
            http_client=http,
        )
    except ValueError as error:  # the bucket's or the host's name
        raise ValueError(f"ATTACHMENT_S3_ENDPOINT {endpoint!r}: {error}") from None
    bucket = values["ATTACHMENT_S3_BUCKET"]
    try:
        check_bucket_name(bucket, strict=True)
    except ValueError:
        raise ValueError(
            "ATTACHMENT_S3_BUCKET must be a bucket's name (3 to 63 lowercase letters, digits,"
            f" dots and hyphens), not {bucket!r}"
        ) from None
    return ObjectStore(client, bucket, f"{parts.scheme}://{parts.netloc}")
