"""Pure rules behind the field-camera work: how tracks are stored, what MediaMTX's log means, which
protocol carries which codec, and how a camera that is down is retried."""

from __future__ import annotations

import asyncio
from pathlib import Path

from video_streaming.adapters.ffmpeg import input_script, recorder_argv
from video_streaming.adapters.mediamtx_log import MediaMTXLog, describe_source_error
from video_streaming.adapters.recorder_codecs import (
    AudioMode,
    audio_mode_for,
    audio_not_storable,
    reads_over_rtmp,
    stream_args,
    video_tag_for,
)
from video_streaming.bootstrap import mediamtx_rtmp_route
from video_streaming.camera_supervisor import CameraState, CameraSupervisor, read_states, write_states
from video_streaming.domain.result import Result
from video_streaming.live_transports import carries, transports_carrying, video_codec
from video_streaming.service import PlaybackUrls


def test_audio_is_copied_only_when_aac_and_h265_is_tagged_hvc1() -> None:
    assert audio_mode_for(["H264", "MPEG-4 Audio"]) is AudioMode.COPY
    assert audio_mode_for(["H264"]) is AudioMode.COPY
    assert audio_mode_for(["H264", "G711"]) is AudioMode.AAC
    assert audio_mode_for(["H265", "Opus"]) is AudioMode.AAC
    assert video_tag_for(["H265", "G711"]) == "hvc1" and video_tag_for(["H264"]) is None
    assert AudioMode.COPY.fallback() is AudioMode.AAC and AudioMode.AAC.fallback() is AudioMode.NONE
    assert AudioMode.NONE.fallback() is None
    assert "-an" not in stream_args(AudioMode.NONE, None) and "0:a?" not in stream_args(AudioMode.NONE, None)
    assert stream_args(AudioMode.AAC, "hvc1")[-2:] == ["-tag:v", "hvc1"]


def test_only_h264_with_aac_is_recorded_over_rtmp() -> None:
    # Two tracks of which ffmpeg 5.1 reads both from RTMP: only then do sender reports matter and RTMP help.
    assert reads_over_rtmp(["H264", "MPEG-4 Audio"])
    assert not reads_over_rtmp(["H264"])  # one track: no sender report re-times it
    assert not reads_over_rtmp(["H264", "G711"]) and not reads_over_rtmp(["H264", "Opus"])
    assert not reads_over_rtmp(["H265", "MPEG-4 Audio"]) and not reads_over_rtmp(["M-JPEG", "MPEG-4 Audio"])
    assert not reads_over_rtmp([])


def test_the_rtmp_route_names_the_same_path_of_the_same_server_with_the_reader_login() -> None:
    urls = PlaybackUrls(rtsp_base="rtsp://127.0.0.1:8554", rtmp_base="rtmp://127.0.0.1:1935",
                        reader_user="reader", reader_password="p&ss word")  # fmt: skip
    route = mediamtx_rtmp_route(urls)
    assert route("rtsp://reader:x@127.0.0.1:8554/cam-1") == "rtmp://127.0.0.1:1935/cam-1?user=reader&pass=p%26ss%20word"
    assert route("rtsp://127.0.0.1:9554/cam-1") is None  # another server
    assert route("rtsp://camera.example:554/stream1") is None  # a camera itself, not a MediaMTX path
    assert route("rtsp://127.0.0.1:8554/cam-1?token=x") is None  # not a path URL the recorder is given


def test_an_rtmp_source_gets_rtmps_io_timeout_and_a_probe_that_finds_the_size() -> None:
    url = "rtmp://127.0.0.1:1935/cam-1?user=reader&pass=secret"
    script = input_script(url, ["-probesize", "5000000"], ["-rw_timeout", "5000000"]).decode()
    assert "option rw_timeout 5000000" in script and "rtsp_transport" not in script
    argv = recorder_argv("ffmpeg", url, Path("/tmp/out"), 2, 0, script_fd=5)
    assert "secret" not in " ".join(argv)  # the login reaches ffmpeg through the script only
    assert "rtmp" in argv[argv.index("-protocol_whitelist") + 1].split(",")
    plain = recorder_argv("ffmpeg", "rtmp://127.0.0.1:1935/cam-1", Path("/tmp/out"), 2, 0)
    assert plain[plain.index("-rw_timeout") + 1] == "5000000" and "-rtsp_transport" not in plain
    # Sizes come with the first key frame (FLV has no SDP), and waiting for frames to guess a rate is not needed.
    assert plain[plain.index("-fpsprobesize") + 1] == "0"


def test_ffmpegs_refusal_of_the_audio_track_is_recognised_and_named() -> None:
    refused = ("[mp4 @ 0x55] Could not find tag for codec pcm_alaw in stream #1, codec not currently supported in "
               "container\nCould not write header for output file #0\nError initializing output stream 0:1 --")
    assert "pcm_alaw" in (audio_not_storable(refused) or "")
    assert audio_not_storable("Error initializing output stream 0:0 -- dimensions not set") is None
    assert audio_not_storable("Connection refused") is None


def test_mediamtx_log_gives_the_last_reason_unless_the_path_came_online_since(tmp_path: Path) -> None:
    log = tmp_path / "mediamtx.log"
    log.write_text(
        "2026/12/01 23:14:02 INF [path cam] [RTSP source] started\n"
        "2026/12/01 23:14:02 ERR [path cam] [RTSP source] bad status code: 401 (Unauthorized)\n"
        "2026/12/01 23:14:03 ERR [path other] [RTSP source] EOF\n"
    )
    reader = MediaMTXLog(log)
    assert reader.source_error("cam") == "bad status code: 401 (Unauthorized)"
    assert reader.source_error("other") == "EOF" and reader.source_error("missing") is None
    with log.open("a") as handle:
        handle.write("2026/12/01 23:14:09 INF [path cam] stream is available and online, 1 track (H264)\n")
    assert reader.source_error("cam") is None
    assert describe_source_error("bad status code: 404 (Not Found)").startswith("the camera has no stream at")
    assert "closed the connection" in describe_source_error("EOF")
    assert "refused the credentials" in describe_source_error("bad status code: 401 (Unauthorized)")


def test_mjpeg_is_carried_over_rtsp_only_and_so_by_the_relay() -> None:
    assert video_codec(["M-JPEG"]) == "M-JPEG" and video_codec(["G711"]) is None
    assert not carries("srt", "M-JPEG") and not carries("hls", "M-JPEG") and carries("rtsp", "M-JPEG")
    assert carries("srt", "H264") and carries("srt", None)
    assert transports_carrying("M-JPEG") == ["rtsp", "relay"]  # the relay reads RTSP


async def test_a_camera_that_fails_is_retried_with_back_off_until_it_starts(tmp_path: Path) -> None:
    tries: list[float] = []
    loop = asyncio.get_running_loop()

    async def start(camera_id: str) -> Result[str]:
        tries.append(loop.time())
        if len(tries) < 3:
            return Result.fail("source_unavailable", "the camera gives no media: refused")
        return Result.ok(camera_id)

    seen: list[str] = []
    supervisor = CameraSupervisor(start, wanted=lambda _: True, min_backoff=0.05, max_backoff=1.0,
                                  on_change=lambda _, state: seen.append(state.state))  # fmt: skip
    supervisor.keep("cam")
    async with asyncio.timeout(5):
        while supervisor.states["cam"].state != "running":
            await asyncio.sleep(0.01)
    assert len(tries) == 3 and tries[2] - tries[1] > tries[1] - tries[0], "the wait between tries grows"
    assert "waiting" in seen and supervisor.take_started() == {"cam"}
    write_states(tmp_path / "states.json", {"cam": CameraState("waiting", "refused", 100.0, 2)})
    assert read_states(tmp_path / "states.json")["cam"].describe(now=95.0) == (
        "waiting for the camera, retrying in 5 s: refused"
    )
    supervisor.lost("cam", "the recording failed")
    async with asyncio.timeout(5):
        while len(tries) < 4:
            await asyncio.sleep(0.01)
    await supervisor.close()


async def test_a_camera_with_a_url_that_cannot_work_is_not_retried() -> None:
    calls = 0

    async def start(camera_id: str) -> Result[str]:
        nonlocal calls
        calls += 1
        return Result.fail("invalid_input", "unsupported camera URL scheme")

    supervisor = CameraSupervisor(start, wanted=lambda _: True, min_backoff=0.01)
    supervisor.keep("cam")
    async with asyncio.timeout(5):
        while supervisor.states.get("cam", CameraState()).state != "stopped":
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    assert calls == 1 and not supervisor.is_kept("cam")
