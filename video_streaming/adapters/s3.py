"""S3 storage on boto3 (MinIO, AWS S3, ...). Uploads are multipart via TransferConfig, verified after
upload (size, S3 ETag recomputed locally, SHA-256 in the object's metadata), and every call runs in a
worker thread so the event loop never blocks."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import boto3
import botocore.exceptions
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from video_streaming.domain.errors import (
    InvalidInput,
    NotFound,
    ServerUnreachable,
    StorageFailed,
    Unauthorized,
    VerificationFailed,
    VidStreamError,
)
from video_streaming.ports import ProgressCallback, StorageService, StoredObject

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")
MiB = 1024 * 1024
MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # S3's own limit for SigV4 presigned URLs
SHA256_META = "sha256"
# A bare 403 is what a refused HEAD or ranged GET carries (no error body to name the reason).
_AUTH_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken", "403",
               "Forbidden"}  # fmt: skip


def is_loopback_endpoint(endpoint_url: str) -> bool:
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(MiB):
            sha.update(chunk)
    return sha.hexdigest()


class S3Storage(StorageService):
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
        max_concurrency: int = 4,
        allow_insecure_remote: bool = False,
    ) -> None:
        insecure = bool(endpoint_url) and str(endpoint_url).startswith("http://")
        if insecure and not allow_insecure_remote and not is_loopback_endpoint(str(endpoint_url)):
            raise InvalidInput(
                f"refusing to send recordings over plain http to {urlsplit(str(endpoint_url)).hostname}",
                "use an https:// endpoint, or allow insecure S3 explicitly in the settings",
            )
        if not bucket:
            raise InvalidInput("no S3 bucket is configured", "set the bucket name in the settings")
        self.endpoint_url = endpoint_url
        self.bucket = bucket
        self.part_size = part_size
        self.transfer = TransferConfig(
            multipart_threshold=part_size, multipart_chunksize=part_size, max_concurrency=max_concurrency
        )
        self._client: S3Client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
            config=Config(
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"max_attempts": max_attempts, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": "path"},
            ),
        )

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
                self._client.create_bucket(Bucket=self.bucket)

        await self._run("creating the bucket", create)

    async def upload_file(self, local_path: str, remote_path: str, progress: ProgressCallback | None = None) -> str:
        path = Path(local_path)

        def upload_and_verify() -> str:
            size = path.stat().st_size
            expected_etag, sha256 = file_digests(path, self.part_size, self.transfer.multipart_threshold)
            self._client.upload_file(
                str(path), self.bucket, remote_path,
                ExtraArgs={"Metadata": {SHA256_META: sha256}, "ContentType": "video/mp4"},
                Config=self.transfer, Callback=progress,
            )  # fmt: skip
            head = self._client.head_object(Bucket=self.bucket, Key=remote_path)
            etag = str(head.get("ETag", "")).strip('"')
            stored_sha = (head.get("Metadata") or {}).get(SHA256_META, "")
            if head.get("ContentLength") != size or stored_sha != sha256:
                raise VerificationFailed(f"{remote_path}: the archived copy differs from the local file")
            # MinIO/S3 compute the ETag from the bytes they received; a different one means corruption.
            if len(etag.split("-")[0]) == 32 and etag != expected_etag:
                raise VerificationFailed(f"{remote_path}: checksum mismatch after upload ({etag})")
            return f"s3://{self.bucket}/{remote_path}"

        return await self._run(f"uploading {path.name}", upload_and_verify)

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        if not 1 <= expires_in <= MAX_PRESIGN_SECONDS:
            raise InvalidInput(f"a link can last from 1 s to 7 days, not {expires_in} s")
        return await self._run(
            "creating a link",
            self._client.generate_presigned_url,
            "get_object",
            Params={"Bucket": self.bucket, "Key": remote_path},
            ExpiresIn=expires_in,
        )

    async def delete_file(self, remote_path: str) -> None:
        await self._run("deleting", self._client.delete_object, Bucket=self.bucket, Key=remote_path)

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
                if str(error.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}:
                    return None
                raise
            return StoredObject(
                key=remote_path, size=int(response.get("ContentLength", 0)),
                etag=str(response.get("ETag", "")).strip('"'), last_modified=response.get("LastModified"),
                metadata=dict(response.get("Metadata") or {}),
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
