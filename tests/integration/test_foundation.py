"""Smoke tests proving each real part works here: MediaMTX, MinIO, ffmpeg."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.fixtures.servers import S3Target, ffprobe_json
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera


def test_mediamtx_api_needs_the_generated_credentials(mediamtx: MediaMTXServer) -> None:
    endpoints = mediamtx.endpoints
    url = f"{endpoints.api_url}/v3/paths/list"
    # MediaMTX pauses ~2 s before answering a failed login (brute-force brake): allow for it.
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, auth=(endpoints.api_user, "wrong"), timeout=10).status_code == 401
    response = httpx.get(url, auth=(endpoints.api_user, endpoints.api_password), timeout=3)
    assert response.status_code == 200
    assert response.json()["itemCount"] == 0


def test_camera_is_served_over_rtsp(mediamtx: MediaMTXServer, camera: SyntheticCamera) -> None:
    probe = ffprobe_json(mediamtx.endpoints.rtsp_url("cam1"), "-rtsp_transport", "tcp")
    streams = {s["codec_type"]: s for s in probe["streams"]}  # type: ignore[attr-defined]
    assert streams["video"]["codec_name"] == "h264"
    assert (streams["video"]["width"], streams["video"]["height"]) == (640, 360)
    assert streams["audio"]["codec_name"] == "aac"


def test_camera_is_served_over_hls_with_segments(mediamtx: MediaMTXServer, camera: SyntheticCamera) -> None:
    url = mediamtx.endpoints.hls_url("cam1")
    deadline = time.monotonic() + 20
    media_playlist = ""
    # MediaMTX answers the first request with a cookie-check redirect: a client with cookies follows it.
    client = httpx.Client(follow_redirects=True, timeout=5)
    while time.monotonic() < deadline:
        response = client.get(url)
        if response.status_code == 200 and "#EXTM3U" in response.text:
            variant = next(line for line in response.text.splitlines() if line and not line.startswith("#"))
            media = client.get(url.rsplit("/", 1)[0] + "/" + variant)
            if media.status_code == 200 and "#EXTINF" in media.text:
                media_playlist = media.text
                break
        time.sleep(0.5)
    assert "#EXTINF" in media_playlist, "the HLS playlist never listed a segment"
    segments = [line for line in media_playlist.splitlines() if not line.startswith("#") and ".mp4" in line]
    assert segments


def test_minio_put_and_get(minio: S3Target) -> None:
    client = minio.client()
    client.put_object(Bucket=minio.bucket, Key="hello/world.txt", Body=b"vidstream")  # type: ignore[attr-defined]
    body = client.get_object(Bucket=minio.bucket, Key="hello/world.txt")["Body"].read()  # type: ignore[attr-defined]
    assert body == b"vidstream"


def test_minio_refuses_wrong_credentials(minio: S3Target) -> None:
    import botocore.exceptions

    intruder = S3Target(minio.endpoint_url, minio.access_key, "not-the-secret", minio.bucket, minio.server)
    with pytest.raises(botocore.exceptions.ClientError):
        intruder.client().list_objects_v2(Bucket=minio.bucket)  # type: ignore[attr-defined]


def test_ffmpeg_records_three_playable_seconds(
    mediamtx: MediaMTXServer, camera: SyntheticCamera, tmp_path: Path
) -> None:
    output = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-rtsp_transport",
            "tcp",
            "-i",
            mediamtx.endpoints.rtsp_url("cam1"),
            "-t",
            "3",
            "-c",
            "copy",
            str(output),
        ],
        check=True,
        timeout=30,
    )
    duration = float(ffprobe_json(output)["format"]["duration"])  # type: ignore[index]
    assert 2.5 <= duration <= 3.5
