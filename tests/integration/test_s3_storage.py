"""The S3 adapter against real MinIO: verified uploads with a receipt, bytes corrupted on the way refused
by the store, no SigV4 payload hash on loopback, clear errors for wrong credentials, a missing bucket, an
unreachable server and insecure remote endpoints; presigned links bounded to 7 days."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.servers import S3Target
from video_streaming.adapters.s3 import S3Storage, file_digests
from video_streaming.domain.errors import InvalidInput, NotFound, ServerUnreachable, Unauthorized, VerificationFailed
from video_streaming.runtime.ports import free_tcp_port


def storage(target: S3Target, **overrides: object) -> S3Storage:
    options: dict[str, object] = {"endpoint_url": target.endpoint_url, "bucket": target.bucket,
                                  "access_key": target.access_key, "secret_key": target.secret_key}  # fmt: skip
    options.update(overrides)
    return S3Storage(**options, part_size=5 * 2**20)  # type: ignore[arg-type]


def flip_a_byte_of(operation: str, store: S3Storage) -> list[int]:
    """Corrupt the body of every `operation` request after it was signed, before it leaves (as a bad NIC,
    cable or proxy would): the signature (UNSIGNED-PAYLOAD) does not cover the body, the checksum must."""
    flipped: list[int] = []

    def corrupt(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else request.body.read()
        damaged = bytearray(body)
        damaged[len(damaged) // 2] ^= 0x01
        request.body = bytes(damaged)
        flipped.append(len(damaged))

    store.client.meta.events.register(f"before-send.s3.{operation}", corrupt)
    return flipped


async def test_an_upload_returns_the_stores_receipt_in_one_request(minio: S3Target, tmp_path: Path) -> None:
    source = tmp_path / "segment.mp4"
    source.write_bytes(bytes(range(256)) * 4096 * 3)  # 3 MiB, like a 60 s segment at 400 kbit/s
    store = storage(minio)
    requests: list[tuple[str, dict[str, Any]]] = []
    store.client.meta.events.register("before-send.s3", lambda request, **_: requests.append(
        (request.method, {k.lower(): v for k, v in request.headers.items()})))  # fmt: skip
    await store.upload(str(source), "cam/r/first.mp4")  # asks once whether the bucket locks objects
    requests.clear()
    sent: list[int] = []
    receipt = await store.upload(str(source), "cam/r/seg.mp4", progress=sent.append)
    data = source.read_bytes()
    assert receipt.uri == f"s3://{minio.bucket}/cam/r/seg.mp4" and receipt.key == "cam/r/seg.mp4"
    assert receipt.size == len(data) == sum(sent)
    assert receipt.sha256 == hashlib.sha256(data).hexdigest()
    assert receipt.etag == hashlib.md5(data).hexdigest(), "MinIO's ETag of a plain PUT is the MD5 it received"
    assert receipt.version_id is None  # the bucket is not versioned
    # One PutObject, no HEAD, its body unhashed for the signature (loopback): the SHA-256 checksum proves it.
    assert [method for method, _ in requests] == ["PUT"]
    headers = requests[0][1]
    assert headers["x-amz-content-sha256"] in {"UNSIGNED-PAYLOAD", b"UNSIGNED-PAYLOAD"}
    # The upload's own SHA-256 is the only checksum: botocore adds no CRC32 (nor any other) of its own.
    assert [h for h in headers if h.startswith("x-amz-checksum-")] == ["x-amz-checksum-sha256"]
    stored = await store.stat_file("cam/r/seg.mp4")
    assert stored is not None and stored.size == len(data) and stored.sha256 == receipt.sha256


async def test_bytes_corrupted_on_the_way_are_refused_by_the_store(minio: S3Target, tmp_path: Path) -> None:
    source = tmp_path / "segment.mp4"
    source.write_bytes(bytes(range(256)) * 4096)
    store = storage(minio)
    flipped = flip_a_byte_of("PutObject", store)
    with pytest.raises(VerificationFailed, match="other bytes than were sent"):
        await store.upload(str(source), "cam/r/corrupt.mp4")
    assert flipped, "the corruption did not happen"
    assert await store.stat_file("cam/r/corrupt.mp4") is None, "the store kept the corrupted object"


async def test_a_part_corrupted_on_the_way_fails_the_multipart_verification(minio: S3Target, tmp_path: Path) -> None:
    source = tmp_path / "segment.mp4"
    source.write_bytes(bytes(range(256)) * (12 * 4096 + 7))  # ~12 MiB: three 5 MiB parts
    store = storage(minio, multipart_threshold=5 * 2**20)
    flipped = flip_a_byte_of("UploadPart", store)
    with pytest.raises(VerificationFailed, match="checksum mismatch"):
        await store.upload(str(source), "cam/r/corrupt-parts.mp4")
    assert len(flipped) == 3


def test_plain_http_to_a_remote_archive_keeps_the_signed_payload() -> None:
    """Where nothing else guards the bytes (plain http off this machine), the SigV4 payload hash stays."""
    remote = S3Storage("http://archive.example.com:9000", "b", "k", "s", allow_insecure_remote=True)
    assert remote.client.meta.config.s3["payload_signing_enabled"] is True  # type: ignore[index]
    for protected in ("https://archive.example.com", "http://127.0.0.1:9000"):
        assert S3Storage(protected, "b", "k", "s").client.meta.config.s3["payload_signing_enabled"] is False  # type: ignore[index]


async def test_multipart_upload_is_verified_and_downloads_byte_for_byte(minio: S3Target, tmp_path: Path) -> None:
    source = tmp_path / "segment.mp4"
    source.write_bytes(bytes(range(256)) * (12 * 4096 + 7))  # ~12 MiB: three 5 MiB parts
    store = storage(minio, multipart_threshold=5 * 2**20)
    sent: list[int] = []
    uri = (await store.upload(str(source), "cam/2026/01/01/rec/seg.mp4", progress=sent.append)).uri
    assert uri == f"s3://{minio.bucket}/cam/2026/01/01/rec/seg.mp4"
    assert sum(sent) == source.stat().st_size
    stored = await store.stat_file("cam/2026/01/01/rec/seg.mp4")
    expected_etag, sha256 = file_digests(source, 5 * 2**20, 5 * 2**20)
    assert stored is not None and stored.etag == expected_etag and expected_etag.endswith("-3")
    assert (stored.metadata or {}).get("sha256") == sha256
    target = tmp_path / "copy.mp4"
    await store.download_file("cam/2026/01/01/rec/seg.mp4", str(target))
    assert target.read_bytes() == source.read_bytes()
    assert [o.key for o in await store.list_files("cam/2026/")] == ["cam/2026/01/01/rec/seg.mp4"]


async def test_an_object_corrupted_in_the_archive_is_refused_on_download(minio: S3Target, tmp_path: Path) -> None:
    """Bit rot or tampering in the archive: the object keeps its size and its SHA-256 metadata, one byte
    differs. The download must refuse it and leave neither the file nor a partial copy behind."""
    source = tmp_path / "segment.mp4"
    source.write_bytes(bytes(range(256)) * 8192)
    store = storage(minio)
    key = "cam/2026/01/01/rec/tampered.mp4"
    await store.upload_file(str(source), key)
    stored = await store.stat_file(key)
    assert stored is not None and stored.metadata
    corrupted = bytearray(source.read_bytes())
    corrupted[len(corrupted) // 2] ^= 0xFF
    await asyncio.to_thread(store.client.put_object, Bucket=minio.bucket, Key=key, Body=bytes(corrupted),
                            Metadata=stored.metadata)  # fmt: skip
    target = tmp_path / "copy.mp4"
    with pytest.raises(VerificationFailed, match="checksum"):
        await store.download_file(key, str(target))
    assert not target.exists() and not target.with_name("copy.mp4.part").exists()


async def test_wrong_credentials_are_unauthorized(minio: S3Target, tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x")
    with pytest.raises(Unauthorized, match="credentials"):
        await storage(minio, secret_key="wrong-secret").upload_file(str(tmp_path / "a"), "a")


async def test_missing_bucket_is_reported_by_name(minio: S3Target, tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x")
    with pytest.raises(NotFound, match="no-such-bucket"):
        await storage(minio, bucket="no-such-bucket").upload_file(str(tmp_path / "a"), "a")


async def test_unreachable_archive_says_recordings_stay_on_disk(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x")
    store = S3Storage(f"http://127.0.0.1:{free_tcp_port()}", "b", "k", "s", connect_timeout=0.5, max_attempts=1)
    with pytest.raises(ServerUnreachable) as caught:
        await asyncio.wait_for(store.upload_file(str(tmp_path / "a"), "a"), timeout=20)
    assert "stay on disk" in caught.value.hint


def test_plain_http_to_a_remote_archive_is_refused_unless_allowed() -> None:
    with pytest.raises(InvalidInput, match="plain http"):
        S3Storage("http://archive.example.com:9000", "b", "k", "s")
    S3Storage("http://archive.example.com:9000", "b", "k", "s", allow_insecure_remote=True)
    S3Storage("https://archive.example.com", "b", "k", "s")
    S3Storage("http://[::1]:9000", "b", "k", "s")


async def test_links_are_signed_for_the_public_endpoint_when_one_is_set(minio: S3Target, tmp_path: Path) -> None:
    from urllib.parse import urlsplit

    public = S3Storage(minio.endpoint_url, minio.bucket, minio.access_key, minio.secret_key,
                       public_endpoint_url="https://archive.example.org")  # fmt: skip
    source = tmp_path / "clip.bin"
    source.write_bytes(b"footage" * 1000)
    await public.upload_file(str(source), "public/clip.bin")
    link = urlsplit(await public.get_file_url("public/clip.bin", expires_in=600))
    assert (link.scheme, link.hostname) == ("https", "archive.example.org")
    # Signed for that host: MinIO (reached here on loopback, as the public name would forward) accepts it
    # under that host name, and refuses the same link for another.
    local = f"{minio.endpoint_url}{link.path}?{link.query}"
    assert httpx.get(local, headers={"Host": "archive.example.org"}, timeout=5).content == source.read_bytes()
    assert httpx.get(local, headers={"Host": "elsewhere.example.org"}, timeout=5).status_code == 403


async def test_presigned_links_last_at_most_seven_days(minio: S3Target) -> None:
    store = storage(minio)
    with pytest.raises(InvalidInput):
        await store.get_file_url("a", expires_in=7 * 24 * 3600 + 1)
    url = await store.get_file_url("a", expires_in=600)
    assert "X-Amz-Expires=600" in url
