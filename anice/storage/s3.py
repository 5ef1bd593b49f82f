"""Evidence objects in an S3-compatible bucket, uploaded in parts so memory stays bounded."""

from __future__ import annotations

import functools
import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError, IncompleteReadError
from botocore.exceptions import ConnectionError as BotoConnectionError

from .interface import StorageUnavailable, validate_key, validate_prefix

log = logging.getLogger(__name__)

MiB = 1024 * 1024
DEFAULT_PART_SIZE = 8 * MiB
MIN_PART_SIZE = 5 * MiB  # S3 refuses smaller parts, except the last one
MAX_PART_SIZE = 5 * 1024 * MiB
MAX_PARTS = 10_000
READ_BUFFER = 256 * 1024

_MISSING = {"404", "NoSuchKey", "NotFound"}
# 412: the key appeared since writer(); 409: another upload to it is completing right now.
_TAKEN = {"PreconditionFailed", "ConditionalRequestConflict"}


_session_lock = threading.Lock()


@functools.cache
def _session() -> boto3.session.Session:
    return boto3.session.Session()


def _client(**options):
    """A new client from one shared session: it loads the S3 model once, not per client.
    Sessions are not thread-safe, so clients are made one at a time."""
    with _session_lock:
        return _session().client("s3", **options)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


# Throttling and server errors that outlasted botocore's retries.
_BUSY = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "503", "500"}


@contextmanager
def _reachable():
    """A store that is down, too slow or overloaded becomes StorageUnavailable (after the
    client's own retries); other errors pass through."""
    try:
        yield
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if status >= 500 or _code(exc) in _BUSY:
            raise StorageUnavailable(f"the object store is not answering ({_code(exc)})") from exc
        raise
    except (BotoConnectionError, HTTPClientError, IncompleteReadError) as exc:
        raise StorageUnavailable("the object store cannot be reached or did not answer in "
                                 f"time ({type(exc).__name__})") from exc


class S3Writer:
    """Buffers at most one part; the first full part starts a multipart upload."""

    def __init__(self, storage: S3Storage, key: str):
        self._client = storage.client
        self._target = {"Bucket": storage.bucket, "Key": storage.object_name(key)}
        self._part_size = storage.part_size
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict] = []
        self._size = 0
        self._open = True
        self._failed = False

    def write(self, data: bytes) -> None:
        self._check_writable()
        view = memoryview(data).cast("B")
        self._size += view.nbytes
        while view:
            room = self._part_size - len(self._buffer)
            self._buffer += view[:room]
            view = view[room:]
            if len(self._buffer) == self._part_size:
                self._upload_part()

    def commit(self) -> int:
        self._check_writable()
        self._open = False
        try:
            with _reachable():
                if self._upload_id is None:
                    self._client.put_object(**self._target, Body=bytes(self._buffer),
                                            IfNoneMatch="*")
                else:
                    if self._buffer:
                        self._upload_part()
                    self._client.complete_multipart_upload(
                        **self._target, UploadId=self._upload_id,
                        MultipartUpload={"Parts": self._parts}, IfNoneMatch="*")
                    self._upload_id = None
        except BaseException as exc:
            self._abort_upload_quietly()
            if isinstance(exc, ClientError) and _code(exc) in _TAKEN:
                raise FileExistsError(f"object {self._target['Key']!r} already exists") from exc
            raise
        finally:
            self._buffer = bytearray()
        return self._size

    def abort(self) -> None:
        if not self._open:
            return
        self._open = False
        self._buffer = bytearray()
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            try:
                with _reachable():
                    self._client.abort_multipart_upload(**self._target, UploadId=upload_id)
            except ClientError as exc:
                if _code(exc) != "NoSuchUpload":  # already swept: nothing is left
                    raise

    def _check_writable(self) -> None:
        if not self._open:
            raise ValueError("writer is already committed or aborted")
        if self._failed:
            raise ValueError("an earlier write failed; abort this writer")

    def _upload_part(self) -> None:
        if len(self._parts) >= MAX_PARTS:
            raise ValueError(f"object exceeds {MAX_PARTS} parts of {self._part_size} bytes")
        body, self._buffer = self._buffer, bytearray()
        # A lost part would commit a hole, so after any error only abort is allowed.
        self._failed = True
        with _reachable():
            if self._upload_id is None:
                self._upload_id = self._client.create_multipart_upload(
                    **self._target)["UploadId"]
            number = len(self._parts) + 1
            response = self._client.upload_part(**self._target, UploadId=self._upload_id,
                                                PartNumber=number, Body=body)
        self._parts.append({"ETag": response["ETag"], "PartNumber": number})
        self._failed = False

    def _abort_upload_quietly(self) -> None:
        if self._upload_id is None:
            return
        upload_id, self._upload_id = self._upload_id, None
        try:
            self._client.abort_multipart_upload(**self._target, UploadId=upload_id)
        except Exception:
            log.warning("could not abort multipart upload %s of %s", upload_id,
                        self._target["Key"], exc_info=True)


class _BodyStream(io.RawIOBase):
    """A get_object ``Body`` as a raw stream, so io.BufferedReader can wrap it."""

    def __init__(self, body):
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        with _reachable():
            data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class S3Storage:
    name = "s3"

    def __init__(self, bucket: str, endpoint_url: str | None = None,
                 region: str = "us-east-1", access_key: str | None = None,
                 secret_key: str | None = None, prefix: str = "", *,
                 part_size: int = DEFAULT_PART_SIZE, connect_timeout: float = 5,
                 read_timeout: float = 30, max_attempts: int = 3):
        if not bucket:
            raise ValueError("an S3 bucket is required")
        if not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE:
            raise ValueError(f"part size must be between {MIN_PART_SIZE} and {MAX_PART_SIZE}"
                             f" bytes, got {part_size}")
        self.bucket = bucket
        self.part_size = part_size
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        config = Config(
            signature_version="s3v4",
            # S3-compatible servers (MinIO, Ceph, moto) are usually reached by path.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            # A store that is down or hangs fails the upload within about
            # max_attempts x (connect or read timeout), and the user is told.
            retries={"mode": "standard", "max_attempts": max_attempts},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            # botocore's default CRC32 checksums on every request break several
            # S3-compatible servers; the crypto layer authenticates every byte anyway.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self.client = _client(
            endpoint_url=endpoint_url or None, region_name=region or "us-east-1",
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
            config=config)

    def object_name(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def writer(self, key: str) -> S3Writer:
        if self.exists(key):
            raise FileExistsError(f"object {key!r} already exists")
        return S3Writer(self, key)

    def open(self, key: str) -> BinaryIO:
        try:
            with _reachable():
                response = self.client.get_object(Bucket=self.bucket,
                                                  Key=self.object_name(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(f"no object {key!r}") from exc
            raise
        return io.BufferedReader(_BodyStream(response["Body"]), buffer_size=READ_BUFFER)

    def size(self, key: str) -> int:
        try:
            with _reachable():
                head = self.client.head_object(Bucket=self.bucket, Key=self.object_name(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(f"no object {key!r}") from exc
            raise
        return int(head["ContentLength"])

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except FileNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        with _reachable():
            self.client.delete_object(Bucket=self.bucket, Key=self.object_name(key))

    def sweep_unfinished(self, older_than: datetime) -> int:
        """Abort multipart uploads that a dead writer left open (no object, but parts)."""
        removed = 0
        with _reachable():
            pages = self.client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for upload in page.get("Uploads", ()):
                    if upload["Initiated"].astimezone(UTC) < older_than:
                        self.client.abort_multipart_upload(
                            Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                        removed += 1
        return removed

    def keys(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        validate_prefix(prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix)
        with _reachable():
            for page in pages:
                for item in page.get("Contents", ()):
                    key = item["Key"][len(self.prefix):]
                    try:
                        validate_key(key)
                    except ValueError:
                        continue  # not written by ANICE: never offer it for deletion
                    yield key, item["LastModified"].astimezone(UTC)
