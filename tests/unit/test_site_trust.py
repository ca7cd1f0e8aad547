"""A site is trusted with its own cameras only, and never over plain http unless allowed (#15)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from video_streaming.adapters.s3 import S3Storage
from video_streaming.bootstrap import build_site
from video_streaming.catalog import Catalog
from video_streaming.config import parse_settings
from video_streaming.domain.camera import Camera, SourceUrl, mask_url, segment_key
from video_streaming.domain.errors import InvalidInput
from video_streaming.ports import StoredObject
from video_streaming.secrets import SecretStore


def listing_for(camera_key: str, site: str = "") -> list[StoredObject]:
    recording = uuid.uuid4()
    start = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    key = segment_key(camera_key, recording, start, "20261101T120000Z-0.mp4")
    return [StoredObject(key=f"@{site}/{key}" if site else key, size=100, etag="x", last_modified=start)]


def test_a_hostile_site_cannot_file_recordings_under_a_local_camera(tmp_path) -> None:  # type: ignore[no-untyped-def]
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    local = Camera.create("Vault", "rtsp://10.0.0.5/stream")
    catalog.save_camera(local)
    merge = catalog.merge_archive_listing(listing_for(local.key, site="hostile"), 60)
    assert len(merge.recordings) == 1
    (row,) = catalog.recordings()
    assert row.camera_id != str(local.id), "the hostile site's footage was filed under the local camera"
    assert catalog.recordings(camera_id=str(local.id)) == []


def test_a_site_recording_files_under_that_sites_camera_and_a_local_one_under_ours(tmp_path) -> None:  # type: ignore[no-untyped-def]
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    local = Camera.create("Vault", "rtsp://10.0.0.5/stream")
    remote = Camera(name="Warehouse · Gate", source=SourceUrl("rtsp://site/x"), id=uuid.uuid4(), site="warehouse")
    catalog.save_camera(local)
    catalog.save_camera(remote)
    catalog.merge_archive_listing(listing_for(f"gate-{remote.id.hex[:8]}", site="warehouse"), 60)
    catalog.merge_archive_listing(listing_for(local.key), 60)
    assert len(catalog.recordings(camera_id=str(remote.id))) == 1
    assert len(catalog.recordings(camera_id=str(local.id))) == 1
    # The same camera key under the wrong origin matches neither.
    catalog.merge_archive_listing(listing_for(f"gate-{remote.id.hex[:8]}"), 60)
    catalog.merge_archive_listing(listing_for(local.key, site="warehouse"), 60)
    assert len(catalog.recordings(camera_id=str(remote.id))) == 1
    assert len(catalog.recordings(camera_id=str(local.id))) == 1


@pytest.mark.parametrize("scheme", ["http", "HTTP", "Http"])
def test_plain_http_to_a_remote_archive_is_refused_whatever_its_case(scheme: str) -> None:
    with pytest.raises(InvalidInput, match="plain http"):
        S3Storage(f"{scheme}://archive.example:9000", "footage", "key", "secret")
    S3Storage(f"{scheme}://archive.example:9000", "footage", "key", "secret", allow_insecure_remote=True)


@pytest.mark.parametrize("url", ["http://recorder-a.example:9997", "HTTP://recorder-a.example:9997"])
def test_a_sites_api_over_plain_http_is_refused_unless_allowed(url: str) -> None:
    site = f'[[sites]]\nname = "Warehouse"\napi_url = "{url}"\nbucket = "footage"\n'
    with pytest.raises(InvalidInput, match="plain http"):
        parse_settings(site)
    allowed = parse_settings(site + "allow_insecure = true\n")
    assert allowed.sites[0].allow_insecure
    assert parse_settings(site.replace(url, "http://127.0.0.1:9997")).sites[0].api_url.startswith("http://127")


def test_a_sites_streams_are_read_with_its_reader_login_from_the_secret_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = parse_settings('[[sites]]\nname = "Warehouse"\napi_url = "https://recorder-a.example:9997"\n'
                              'bucket = "footage"\naccess_key = "AK"\nstream_user = "viewer"\n')  # fmt: skip
    store = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    store.set("site:warehouse:s3-secret-key", "s3-secret")
    store.set("site:warehouse:mediamtx-reader", "Reader-Pa55")
    site = build_site(settings.sites[0], store)
    urls = site.urls.for_reader("cam")
    assert "viewer:Reader-Pa55@" in urls["rtsp"] and urls["srt"].endswith("read:cam:viewer:Reader-Pa55")
    assert "Reader-Pa55" not in site.urls.all("cam")["rtsp"], "the shown URLs carry no password"
    assert "Reader-Pa55" not in mask_url(urls["srt"])
