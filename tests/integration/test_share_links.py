"""Share links of the embedded archive are signed with a read-only key and survive a restart (#15)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import botocore.exceptions
import httpx
import pytest

from tests.fixtures.servers import S3Target
from video_streaming.adapters.s3 import S3Storage
from video_streaming.bootstrap import embedded_minio
from video_streaming.config import Settings
from video_streaming.secrets import SecretStore


async def test_links_are_signed_with_a_read_only_key_and_outlive_a_restart(private_minio: S3Target) -> None:
    storage = S3Storage(private_minio.endpoint_url, private_minio.bucket, private_minio.access_key,
                        private_minio.secret_key, scoped_links=True)  # fmt: skip
    private_minio.client().put_object(Bucket=private_minio.bucket, Key="cam/2026/01/01/seg.mp4",  # type: ignore[attr-defined]
                                      Body=b"FOOTAGE")  # fmt: skip
    link = await storage.get_file_url("cam/2026/01/01/seg.mp4", expires_in=600)
    signer = parse_qs(urlsplit(link).query)["X-Amz-Credential"][0].split("/")[0]
    assert signer != private_minio.access_key, "the link was signed with the archive's own key"
    async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
        assert (await client.get(link)).content == b"FOOTAGE"
        scoped = storage._links._client_for(600)  # type: ignore[union-attr]
        with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
            scoped.put_object(Bucket=private_minio.bucket, Key="cam/planted.mp4", Body=b"x")
        with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
            scoped.delete_object(Bucket=private_minio.bucket, Key="cam/2026/01/01/seg.mp4")
        private_minio.server.stop()
        private_minio.server.start()
        assert (await client.get(link)).content == b"FOOTAGE", "the link died with the restart"


def test_embedded_minio_keeps_its_port_across_starts(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"))
    store = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    first = embedded_minio(settings, store)
    assert embedded_minio(settings, store).port == first.port


async def test_read_only_links_name_the_public_endpoint_when_one_is_set(private_minio: S3Target) -> None:
    """The read-only key is asked of the archive's own address; the link names (and is signed for) the public
    one, as links of the archive's key are."""
    storage = S3Storage(private_minio.endpoint_url, private_minio.bucket, private_minio.access_key,
                        private_minio.secret_key, scoped_links=True,
                        public_endpoint_url="https://archive.example.org")  # fmt: skip
    private_minio.client().put_object(Bucket=private_minio.bucket, Key="cam/2026/01/01/seg.mp4",  # type: ignore[attr-defined]
                                      Body=b"FOOTAGE")  # fmt: skip
    link = urlsplit(await storage.get_file_url("cam/2026/01/01/seg.mp4", expires_in=600))
    assert (link.scheme, link.hostname) == ("https", "archive.example.org")
    assert parse_qs(link.query)["X-Amz-Credential"][0].split("/")[0] != private_minio.access_key
    local = f"{private_minio.endpoint_url}{link.path}?{link.query}"
    async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
        assert (await client.get(local, headers={"Host": "archive.example.org"})).content == b"FOOTAGE"
        assert (await client.get(local, headers={"Host": "elsewhere.example.org"})).status_code == 403
