"""S3 storage on boto3 (MinIO, AWS S3, ...). Every call runs in a worker thread so the event loop never blocks.

An upload reads the segment once. A segment below the multipart threshold (every recorded segment at the
usual bitrates) is read into memory, hashed once with SHA-256 and sent in one PutObject carrying that hash
as its S3 checksum (`x-amz-checksum-sha256`): the store verifies the bytes it received and answers with the
checksum, ETag and version id, which make the upload's receipt. No SigV4 payload hash is computed where
the transport already protects the bytes (TLS, or loopback): the request is signed with UNSIGNED-PAYLOAD
and the checksum alone proves the content (botocore would otherwise hash every body over plain http).
Bigger files go through one reused boto3 transfer manager in parts, hashed (SHA-256 and the part MD5s
that make the multipart ETag) in one pass before, and checked with one HEAD after.

Where the bucket has S3 object lock, each upload can carry a retention date (the recording's retention
deadline), so the archive itself refuses to delete footage early; see `ObjectLockSetting`."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast, get_args
from urllib.parse import urlsplit

import boto3
import botocore.exceptions
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import S3Transfer, TransferConfig, create_transfer_manager
from botocore.config import Config

from video_streaming.adapters.s3_links import ScopedLinkSigner
from video_streaming.domain.camera import is_loopback_url
from video_streaming.domain.clock import require_aware, utc_now
from video_streaming.domain.errors import (
    InvalidInput,
    NotFound,
    RetentionLocked,
    ServerUnreachable,
    StorageFailed,
    Unauthorized,
    VerificationFailed,
    VidStreamError,
)
from video_streaming.ports import ArchiveStorage, ProgressCallback, StoredObject, UploadReceipt

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)

T = TypeVar("T")
MiB = 1024 * 1024
MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # S3's own limit for SigV4 presigned URLs
SHA256_META = "sha256"
# A bare 403 is what a refused HEAD or ranged GET carries (no error body to name the reason).
_AUTH_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken", "403",
               "Forbidden"}  # fmt: skip
# Errors that mean "these credentials are wrong", as opposed to "this call is not allowed or not supported".
_CREDENTIAL_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
# The store refused the bytes it received: they do not match the checksum or Content-MD5 sent with them.
_DIGEST_CODES = {"BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch", "XAmzContentSHA256Mismatch"}

ObjectLockSetting = Literal["auto", "off", "governance", "compliance"]
"""How uploads use S3 object lock. "auto": lock when the bucket has object lock enabled, in the mode of the
bucket's default retention rule if it has one, else GOVERNANCE (an administrator holding the bypass
permission can still remove footage, e.g. on a court order). "governance"/"compliance": always lock in that
mode; an archive whose bucket cannot lock is then an error rather than silently unprotected footage (in
COMPLIANCE mode nobody, not even the root account, can delete an object before its date). "off": never send
lock settings (a bucket default rule still applies)."""
OBJECT_LOCK_SETTINGS: tuple[str, ...] = get_args(ObjectLockSetting)
# S3 refuses a retain-until date that is not in the future; one this close is past by the time the upload
# completes, and the footage is due for deletion anyway, so it goes up unlocked.
MIN_LOCK_AHEAD = timedelta(seconds=5)


def object_lock_setting(value: str) -> ObjectLockSetting:
    """A setting read from the configuration file, checked."""
    if value not in OBJECT_LOCK_SETTINGS:
        raise InvalidInput(f"unknown object lock setting {value!r}", f"use one of {', '.join(OBJECT_LOCK_SETTINGS)}")
    return cast(ObjectLockSetting, value)


@dataclass(frozen=True)
class BucketLock:
    """What the bucket says about object lock (read once per S3Storage)."""

    enabled: bool  # the bucket has object lock, hence versioning: a delete must name the versions it removes
    default_mode: str | None = None  # mode of the bucket's default retention rule, if it has one


def is_loopback_endpoint(endpoint_url: str) -> bool:
    return is_loopback_url(endpoint_url)


def file_digests(path: Path, part_size: int, multipart_threshold: int) -> tuple[str, str]:
    """(expected S3 ETag, SHA-256 hex) of a local file, as S3 computes the ETag for our part size."""
    sha = hashlib.sha256()
    part_md5s: list[bytes] = []
    whole_md5 = hashlib.md5(usedforsecurity=False)
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(part_size):
            sha.update(chunk)
            whole_md5.update(chunk)
            part_md5s.append(hashlib.md5(chunk, usedforsecurity=False).digest())
            size += len(chunk)
    if size < multipart_threshold:
        return whole_md5.hexdigest(), sha.hexdigest()
    combined = hashlib.md5(b"".join(part_md5s), usedforsecurity=False).hexdigest()
    return f"{combined}-{len(part_md5s)}", sha.hexdigest()


def read_and_hash(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their SHA-256 (hex), in one read. hashlib releases the GIL on buffers this size."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(MiB):
            sha.update(chunk)
    return sha.hexdigest()


class S3Storage(ArchiveStorage):
    def __init__(
        self,
        endpoint_url: str | None,
        bucket: str,
        access_key: str,
        secret_key: str,
        *,
        region: str = "us-east-1",
        connect_timeout: float = 3.0,
        read_timeout: float = 30.0,
        max_attempts: int = 3,
        part_size: int = 8 * MiB,
        multipart_threshold: int = 64 * MiB,
        max_concurrency: int = 4,
        allow_insecure_remote: bool = False,
        object_lock: ObjectLockSetting = "auto",
        scoped_links: bool = False,
        public_endpoint_url: str | None = None,
    ) -> None:
        """`scoped_links`: sign share links with read-only STS credentials (the storage must offer STS, as
        MinIO does), not with this client's key. Files from `multipart_threshold` bytes on go up in parts of
        `part_size`; smaller ones in one request from memory."""
        insecure = bool(endpoint_url) and urlsplit(str(endpoint_url)).scheme.lower() == "http"  # HTTP:// too
        if insecure and not allow_insecure_remote and not is_loopback_endpoint(str(endpoint_url)):
            raise InvalidInput(
                f"refusing to send recordings over plain http to {urlsplit(str(endpoint_url)).hostname}",
                "use an https:// endpoint, or allow insecure S3 explicitly in the settings",
            )
        if not bucket:
            raise InvalidInput("no S3 bucket is configured", "set the bucket name in the settings")
        self.object_lock = object_lock_setting(object_lock)
        self._bucket_lock_state: BucketLock | None = None
        self._bucket_lock_guard = threading.Lock()
        self.endpoint_url = endpoint_url
        self.bucket = bucket
        self.part_size = part_size
        self.transfer = TransferConfig(
            multipart_threshold=max(multipart_threshold, part_size), multipart_chunksize=part_size,
            max_concurrency=max_concurrency,
            preferred_transfer_client="classic",  # the CRT client would ignore the timeouts configured below
        )  # fmt: skip
        # TLS protects the bytes on the wire, and loopback never leaves the machine: there the SHA-256
        # checksum each upload carries proves the content, and hashing every body once more for the SigV4
        # signature (botocore's default over plain http) buys nothing. A plain-http remote archive (allowed
        # explicitly) keeps the signed payload: there the signature is the only guard against tampering.
        protected = not insecure or is_loopback_endpoint(str(endpoint_url))
        config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            # A loopback archive is never reached through HTTP(S)_PROXY: its signed requests stay here
            # (botocore reads the environment's proxies only when `proxies` is None).
            proxies={} if endpoint_url and is_loopback_endpoint(str(endpoint_url)) else None,
        )
        uploads = Config(
            s3={"addressing_style": "path", "payload_signing_enabled": not protected},
            # Checksums are chosen here (SHA-256 on uploads, checked on downloads against the metadata), so
            # botocore computes no CRC32 of its own on top of them.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self._links = (ScopedLinkSigner(str(endpoint_url), bucket, access_key, secret_key, region, config,
                                        link_endpoint_url=public_endpoint_url or None)
                       if scoped_links and endpoint_url else None)  # fmt: skip
        self._client: S3Client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
            config=config.merge(uploads),
        )

        # Links are signed offline; one for a public endpoint names that host (the signature covers it).
        self.public_endpoint_url = public_endpoint_url or None
        self._link_client: S3Client = self._client
        if self.public_endpoint_url:
            self._link_client = boto3.client(
                "s3", endpoint_url=self.public_endpoint_url, aws_access_key_id=access_key,
                aws_secret_access_key=secret_key, region_name=region,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
            )  # fmt: skip
        # One transfer manager (and its thread pool) for every multipart upload, not one per upload.
        self._transfers = S3Transfer(manager=create_transfer_manager(self._client, self.transfer))

    @property
    def client(self) -> S3Client:
        return self._client

    def _translate(self, error: Exception, what: str) -> VidStreamError:
        if isinstance(error, VidStreamError):
            return error
        if isinstance(error, S3UploadFailedError):
            # boto3's managed upload wraps the real error; the operator needs the real reason.
            inner = error.__cause__ or error.__context__
            if isinstance(inner, Exception) and not isinstance(inner, S3UploadFailedError):
                return self._translate(inner, what)
            text = str(error)
            for code in (*_AUTH_CODES, "NoSuchBucket"):
                if f"({code})" in text:
                    fake = botocore.exceptions.ClientError({"Error": {"Code": code, "Message": text}}, "PutObject")
                    return self._translate(fake, what)
        if isinstance(error, botocore.exceptions.ClientError):
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in _AUTH_CODES:
                return Unauthorized(f"the archive refused the credentials ({code})", "check the S3 access key")
            if code in {"NoSuchBucket"}:
                return NotFound(f"the bucket {self.bucket!r} does not exist", "create it or fix the name")
            if code in _DIGEST_CODES:
                return VerificationFailed(f"{what}: the archive received other bytes than were sent ({code})",
                                          "the upload is retried; the local copy is kept")  # fmt: skip
            if code in {"NoSuchKey", "404", "NotFound"}:
                return NotFound(f"{what}: no such object in the archive")
            return StorageFailed(f"{what} failed: {code or error}")
        if isinstance(error, (botocore.exceptions.EndpointConnectionError,
                              botocore.exceptions.ConnectTimeoutError,
                              botocore.exceptions.ReadTimeoutError,
                              botocore.exceptions.ConnectionClosedError)):  # fmt: skip
            return ServerUnreachable(
                f"cannot reach the archive at {self.endpoint_url or 'AWS S3'}",
                "check the network; recordings stay on disk and upload when it is back",
            )
        if isinstance(error, OSError):
            return StorageFailed(f"{what} failed: {error.strerror or error}")
        return StorageFailed(f"{what} failed: {type(error).__name__}: {error}")

    async def _run(self, what: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except Exception as error:
            raise self._translate(error, what) from None

    async def ensure_bucket(self) -> None:
        def create() -> None:
            try:
                self._client.head_bucket(Bucket=self.bucket)
            except botocore.exceptions.ClientError as error:
                if str(error.response.get("Error", {}).get("Code")) not in {
                    "404",
                    "NoSuchBucket",
                    "NotFound",
                }:
                    raise
                # Object lock can only be chosen when a bucket is created (on MinIO), so a bucket made for an
                # explicit lock mode gets it; "auto" keeps creating plain buckets as before.
                if self.object_lock in {"governance", "compliance"}:
                    self._client.create_bucket(Bucket=self.bucket, ObjectLockEnabledForBucket=True)
                else:
                    self._client.create_bucket(Bucket=self.bucket)
                with self._bucket_lock_guard:
                    self._bucket_lock_state = None

        await self._run("creating the bucket", create)

    def _bucket_lock(self) -> BucketLock:
        """The bucket's object lock configuration, asked once. A bucket without one, or a server that does
        not implement the call, means no locking; wrong credentials, a missing bucket or an unreachable
        server raise (and are asked again next time)."""
        with self._bucket_lock_guard:
            if self._bucket_lock_state is not None:
                return self._bucket_lock_state
            try:
                configuration = self._client.get_object_lock_configuration(Bucket=self.bucket)
            except botocore.exceptions.ClientError as error:
                code = str(error.response.get("Error", {}).get("Code", ""))
                if code in _CREDENTIAL_CODES or code == "NoSuchBucket":
                    raise
                # ObjectLockConfigurationNotFoundError (a plain bucket), NotImplemented, MethodNotAllowed, or
                # AccessDenied for credentials without s3:GetBucketObjectLockConfiguration: all mean we
                # cannot lock, and none should stop recordings from being archived.
                if code not in {"ObjectLockConfigurationNotFoundError", "NotImplemented", "XNotImplemented"}:
                    log.warning("cannot read the object lock setting of bucket %s (%s): uploads are not locked",
                                self.bucket, code or error)  # fmt: skip
                self._bucket_lock_state = BucketLock(enabled=False)
                return self._bucket_lock_state
            settings = configuration.get("ObjectLockConfiguration", {})
            retention = settings.get("Rule", {}).get("DefaultRetention", {})
            self._bucket_lock_state = BucketLock(
                enabled=settings.get("ObjectLockEnabled") == "Enabled", default_mode=retention.get("Mode")
            )
            return self._bucket_lock_state

    def _lock_mode(self) -> str | None:
        """The ObjectLockMode uploads carry, or None when they carry none."""
        if self.object_lock == "off":
            return None
        bucket = self._bucket_lock()
        if not bucket.enabled:
            if self.object_lock == "auto":
                return None
            raise StorageFailed(
                f"object lock is set to {self.object_lock!r} but the bucket {self.bucket!r} has no object lock",
                'use a bucket created with object lock enabled, or set object_lock to "auto" or "off"',
            )
        if self.object_lock == "auto":
            return bucket.default_mode or "GOVERNANCE"
        return self.object_lock.upper()

    async def object_lock_mode(self) -> str | None:
        """The mode uploads are locked in (GOVERNANCE or COMPLIANCE), None when they are not locked."""
        return await self._run("reading the bucket's object lock setting", self._lock_mode)

    def _lock_args(self, retain_until: datetime | None) -> dict[str, Any]:
        mode = self._lock_mode()
        if mode is None or retain_until is None:
            return {}
        # Whole seconds: S3 keeps no more, and the stored date then equals the one we asked for.
        until = require_aware(retain_until, "retain-until date").replace(microsecond=0)
        if until <= utc_now() + MIN_LOCK_AHEAD:
            return {}
        return {"ObjectLockMode": mode, "ObjectLockRetainUntilDate": until}

    async def prepare(self) -> None:
        await self.ensure_bucket()

    async def upload(
        self, local_path: str, remote_path: str, *, progress: ProgressCallback | None = None,
        retain_until: datetime | None = None,
    ) -> UploadReceipt:  # fmt: skip
        """Upload and verify. With object lock on, the object is locked until `retain_until` (the recording's
        retention deadline); without a date, or with a date already (nearly) past, it is not locked."""
        path = Path(local_path)

        def upload_and_verify() -> UploadReceipt:
            lock = self._lock_args(retain_until)
            if path.stat().st_size >= self.transfer.multipart_threshold:
                return self._put_in_parts(path, remote_path, lock, progress)
            data, sha256 = read_and_hash(path)
            receipt = self._put_verified(remote_path, data, sha256, lock)
            if progress is not None:  # one request: all of it is sent at once
                progress(receipt.size)
            return receipt

        return await self._run(f"uploading {path.name}", upload_and_verify)

    def _put_verified(self, key: str, data: bytes, sha256: str, lock: dict[str, Any]) -> UploadReceipt:
        """One PutObject whose SHA-256 checksum the store verifies (it refuses other bytes with BadDigest);
        its answer is the receipt. The checksum, named with its algorithm, is also the integrity check S3
        requires on a PUT that sets object lock; botocore computes none of its own when one is given."""
        digest = bytes.fromhex(sha256)
        response = self._client.put_object(
            Bucket=self.bucket, Key=key, Body=data, ChecksumAlgorithm="SHA256",
            ChecksumSHA256=base64.b64encode(digest).decode("ascii"), Metadata={SHA256_META: sha256},
            ContentType="video/mp4", **lock,
        )  # fmt: skip
        etag = str(response.get("ETag", "")).strip('"')
        confirmed = response.get("ChecksumSHA256")
        if confirmed is not None:
            if _b64_digest(confirmed) != digest:
                raise VerificationFailed(f"{key}: the archive reports another checksum than was sent")
        # A store that ignores S3 checksums: its ETag is the MD5 of what it received (for a plain PUT
        # without server-side encryption by KMS); the bytes are still in memory, so no second read.
        elif len(etag) == 32 and etag != hashlib.md5(data, usedforsecurity=False).hexdigest():
            raise VerificationFailed(f"{key}: checksum mismatch after upload ({etag})")
        return UploadReceipt(uri=f"s3://{self.bucket}/{key}", key=key, size=len(data), sha256=sha256, etag=etag,
                             version_id=response.get("VersionId"))  # fmt: skip

    def _put_in_parts(
        self, path: Path, key: str, lock: dict[str, Any], progress: ProgressCallback | None
    ) -> UploadReceipt:
        """A file too big to hold in memory: hashed in one pass, sent in parts by the shared transfer
        manager, checked by one HEAD (size, the multipart ETag the parts' MD5s make, the SHA-256 metadata)."""
        expected_etag, sha256 = file_digests(path, self.part_size, self.transfer.multipart_threshold)
        size = path.stat().st_size
        # S3 wants an integrity checksum on every part of an upload that sets object lock.
        checksum = {"ChecksumAlgorithm": "CRC32"} if lock else {}
        self._transfers.upload_file(
            str(path), self.bucket, key, callback=progress,
            extra_args={"Metadata": {SHA256_META: sha256}, "ContentType": "video/mp4", **lock, **checksum},
        )  # fmt: skip
        head = self._client.head_object(Bucket=self.bucket, Key=key)
        etag = str(head.get("ETag", "")).strip('"')
        if head.get("ContentLength") != size or (head.get("Metadata") or {}).get(SHA256_META, "") != sha256:
            raise VerificationFailed(f"{key}: the archived copy differs from the local file")
        # MinIO/S3 compute the ETag from the bytes they received; a different one means corruption.
        if len(etag.split("-")[0]) == 32 and etag != expected_etag:
            raise VerificationFailed(f"{key}: checksum mismatch after upload ({etag})")
        return UploadReceipt(uri=f"s3://{self.bucket}/{key}", key=key, size=size, sha256=sha256, etag=etag,
                             version_id=head.get("VersionId"))  # fmt: skip

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        if not 1 <= expires_in <= MAX_PRESIGN_SECONDS:
            raise InvalidInput(f"a link can last from 1 s to 7 days, not {expires_in} s")
        if self._links is not None:
            return await self._run("creating a link", self._links.presign, remote_path, expires_in)
        return await self._run(
            "creating a link",
            self._link_client.generate_presigned_url,
            "get_object",
            Params={"Bucket": self.bucket, "Key": remote_path},
            ExpiresIn=expires_in,
        )

    async def delete_file(self, remote_path: str) -> None:
        """Delete the object. In a bucket with object lock (always versioned) a plain delete would only add a
        delete marker and leave the footage stored, so every version of the key is deleted by id; a version
        still under lock raises RetentionLocked and stays readable (no marker hides it)."""

        def delete() -> None:
            if not self._bucket_lock().enabled:
                self._client.delete_object(Bucket=self.bucket, Key=remote_path)
                return
            versions, markers = self._versions_of(remote_path)
            refused: list[tuple[str, botocore.exceptions.ClientError]] = []
            for version_id in versions:
                try:
                    self._client.delete_object(Bucket=self.bucket, Key=remote_path, VersionId=version_id)
                except botocore.exceptions.ClientError as error:
                    refused.append((version_id, error))
            if refused:
                first_id, first_error = refused[0]
                raise self._lock_refusal(remote_path, first_id) or first_error
            for version_id in markers:  # only once the footage itself is gone
                self._client.delete_object(Bucket=self.bucket, Key=remote_path, VersionId=version_id)

        await self._run("deleting", delete)

    def _versions_of(self, key: str) -> tuple[list[str], list[str]]:
        """(version ids holding data, version ids of delete markers) of exactly `key`."""
        versions: list[str] = []
        markers: list[str] = []
        paginator = self._client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=key):
            versions += [v["VersionId"] for v in page.get("Versions", []) if v.get("Key") == key]
            markers += [m["VersionId"] for m in page.get("DeleteMarkers", []) if m.get("Key") == key]
        return versions, markers

    def _lock_refusal(self, key: str, version_id: str) -> RetentionLocked | None:
        """RetentionLocked when the version's lock explains a refused delete; None when something else did
        (e.g. missing delete permission: that error is then raised as it is)."""
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=key, VersionId=version_id)
        except botocore.exceptions.ClientError:
            return None
        until = head.get("ObjectLockRetainUntilDate")
        if head.get("ObjectLockLegalHoldStatus") == "ON":
            return RetentionLocked(f"{key} is under a legal hold in the archive", "it is kept until the hold is lifted")
        if until is None:
            return None
        return RetentionLocked(
            f"{key} is under object lock in the archive until {until.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
            "the archive refuses to delete it before that date",
        )

    async def locked_until(self, remote_path: str) -> datetime | None:
        """The retain-until date of the object's current version, None when it has none (or is missing).
        Costs no request in a bucket without object lock."""

        def head() -> datetime | None:
            if not self._bucket_lock().enabled:
                return None
            try:
                response = self._client.head_object(Bucket=self.bucket, Key=remote_path)
            except botocore.exceptions.ClientError as error:
                if str(error.response.get("Error", {}).get("Code")) in _MISSING_CODES:
                    return None
                raise
            until = response.get("ObjectLockRetainUntilDate")
            return until.astimezone(UTC) if until is not None else None

        return await self._run("reading the object lock", head)

    async def set_legal_hold(self, remote_path: str, on: bool) -> bool:
        """Put (or lift) a legal hold on the object's current version; False in a bucket without object lock,
        where nothing can be held. A hold keeps the version whatever its retention date (S3 object lock)."""

        def put() -> bool:
            if not self._bucket_lock().enabled:
                return False
            self._client.put_object_legal_hold(
                Bucket=self.bucket, Key=remote_path, LegalHold={"Status": "ON" if on else "OFF"}
            )
            return True

        return await self._run("putting a legal hold" if on else "lifting a legal hold", put)

    async def list_everywhere(self) -> tuple[list[StoredObject], dict[str, VidStreamError]]:
        return await self.list_files(""), {}

    async def list_files(self, prefix: str = "") -> list[StoredObject]:
        def list_all() -> list[StoredObject]:
            found: list[StoredObject] = []
            paginator = self._client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    found.append(
                        StoredObject(
                            key=item["Key"],
                            size=int(item.get("Size", 0)),
                            etag=str(item.get("ETag", "")).strip('"'),
                            last_modified=item.get("LastModified"),
                        )
                    )
            return found

        return await self._run("listing the archive", list_all)

    async def stat_file(self, remote_path: str) -> StoredObject | None:
        def head() -> StoredObject | None:
            try:
                response = self._client.head_object(Bucket=self.bucket, Key=remote_path)
            except botocore.exceptions.ClientError as error:
                if str(error.response.get("Error", {}).get("Code")) in _MISSING_CODES:
                    return None
                raise
            metadata = dict(response.get("Metadata") or {})
            return StoredObject(
                key=remote_path, size=int(response.get("ContentLength", 0)),
                etag=str(response.get("ETag", "")).strip('"'), last_modified=response.get("LastModified"),
                metadata=metadata, sha256=metadata.get(SHA256_META, ""),
            )  # fmt: skip

        return await self._run("reading object details", head)

    async def download_file(self, remote_path: str, local_path: str, progress: ProgressCallback | None = None) -> None:
        """Download to `local_path`, resuming a previous partial download (`.part` file), then check the
        SHA-256 recorded at upload. The final file appears only once complete and verified."""
        target = Path(local_path)
        partial = target.with_name(target.name + ".part")

        def download() -> None:
            head = self._client.head_object(Bucket=self.bucket, Key=remote_path)
            size = int(head.get("ContentLength", 0))
            expected_sha = (head.get("Metadata") or {}).get(SHA256_META, "")
            have = partial.stat().st_size if partial.exists() else 0
            if have > size:
                partial.unlink()
                have = 0
            if have and progress:
                progress(have)
            with open(partial, "ab") as out:
                while have < size:
                    end = min(have + self.part_size, size) - 1
                    body = self._client.get_object(Bucket=self.bucket, Key=remote_path, Range=f"bytes={have}-{end}")
                    chunk = body["Body"].read()
                    out.write(chunk)
                    out.flush()
                    have += len(chunk)
                    if progress:
                        progress(len(chunk))
                os.fsync(out.fileno())
            if expected_sha and sha256_of(partial) != expected_sha:
                partial.unlink()
                raise VerificationFailed(f"{remote_path}: downloaded copy does not match the archive's checksum")
            partial.replace(target)

        await self._run(f"downloading {Path(remote_path).name}", download)


def _b64_digest(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""
