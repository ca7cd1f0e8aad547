"""The live relay's command line, and the rules that call a live picture degraded."""

from __future__ import annotations

import pytest

from video_streaming.adapters.ffmpeg import input_script, transport_options
from video_streaming.adapters.live_relay import (
    MPEG_TS,
    relay_argv,
    relay_format,
    source_options,
    split_level,
    uncarried_mjpeg,
    use_rtmp,
)
from video_streaming.live_transports import carries
from vidstream_desktop.wall.live_health import StatsSample, judge


def test_the_relay_command_line_names_only_the_script_and_its_stdout() -> None:
    argv = relay_argv("/usr/bin/ffmpeg", 7)
    assert "/dev/fd/7" in argv
    assert not any("rtsp://" in arg for arg in argv)
    assert argv[-1] == "pipe:1"  # the private channel's FIFO; no network address at all
    assert not any(arg.startswith(("udp:", "tcp:")) for arg in argv)
    assert argv[argv.index("-c:v") + 1] == "copy"
    assert argv[argv.index("-f", argv.index("-i")) + 1] == "mpegts"
    assert "0:a:0?" not in argv  # a muted tile's relay carries no sound
    assert "-copyinkf" in argv  # or the first picture waits for a second key frame
    assert argv[argv.index("-analyzeduration") + 1] == "0"  # the SDP says what the video is


def test_a_video_only_relay_sets_up_the_video_track_alone() -> None:
    script = input_script("rtsp://reader:secret@127.0.0.1:8554/cam", source_options(audio=False)).decode()
    assert "option allowed_media_types video" in script  # one track: no step at the first RTCP report
    assert "allowed_media_types" not in source_options(audio=True)
    assert "-allowed_media_types" not in relay_argv("ffmpeg", 7)  # the concat demuxer would refuse it


def test_muted_h264_relays_read_rtmp_and_everything_else_rtsp() -> None:
    assert use_rtmp(audio=False, video_codec="H264")
    assert not use_rtmp(audio=True, video_codec="H264")  # sound: every audio codec arrives over RTSP
    for codec in ("H265", "M-JPEG", None):  # ffmpeg 5.1 reads no H.265 from FLV; unknown: RTSP, which reads all
        assert not use_rtmp(audio=False, video_codec=codec)


def test_an_rtmp_relay_keeps_its_probed_key_frame_and_its_login_off_the_command_line() -> None:
    url = "rtmp://127.0.0.1:1935/cam?user=reader&pass=secret"
    argv = relay_argv("ffmpeg", 7, source_url=url)
    assert "rtmp" in argv[argv.index("-protocol_whitelist") + 1].split(",")
    assert "secret" not in " ".join(argv) and "rtmp://" not in " ".join(argv)
    options = source_options(audio=False, source_url=url)
    assert "nobuffer" not in options  # it would drop the key frame read while probing (one GOP later)
    assert options[options.index("-fpsprobesize") + 1] == "0"
    assert "-allowed_media_types" not in options  # an RTSP option
    script = input_script(url, options, transport_options(url)).decode()
    assert "rtsp_transport" not in script and "option rw_timeout" in script
    assert "option tcp_nodelay 1" in script  # or the handshake waits out delayed ACKs (~130 ms)


def test_the_relay_tells_info_lines_from_reasons_and_sees_its_output_open() -> None:
    assert split_level("[info] Output #0, mpegts, to 'pipe:1':") == ("info", "Output #0, mpegts, to 'pipe:1':")
    tagged = "[rtmp @ 0x55] [error] Cannot open connection"
    assert split_level(tagged) == ("error", "[rtmp @ 0x55] Cannot open connection")
    assert split_level("no tag at all") == ("warning", "no tag at all")  # never dropped as chatter
    assert split_level("    Last message repeated 3 times")[0] == "info"  # not a reason: the repeated line was
    assert split_level("[info]") == ("info", "")
    argv = relay_argv("ffmpeg", 7)
    assert argv[argv.index("-loglevel") + 1] == "level+info"


def test_a_relay_with_sound_copies_the_picture_and_makes_any_sound_aac_without_holding_pictures_back() -> None:
    argv = relay_argv("ffmpeg", 7, audio=True)
    assert argv[argv.index("-c:v") + 1] == "copy" and argv[argv.index("-c:a") + 1] == "aac"
    assert "0:a:0?" in argv  # a camera without sound still plays
    assert argv[argv.index("-max_interleave_delta") + 1] == "1"


def test_the_relay_carries_what_mpeg_ts_carries_and_m_jpeg_as_multipart_jpeg() -> None:
    assert carries("relay", "H264") and carries("relay", "H265") and carries("relay", "M-JPEG")
    assert not carries("relay", "AV1")
    assert relay_format("H264") is MPEG_TS and relay_format(None) is MPEG_TS
    mjpeg = relay_format("M-JPEG")
    assert mjpeg.container == "mjpeg" and not mjpeg.carries_audio
    argv = relay_argv("ffmpeg", 7, audio=True, fmt=mjpeg)
    assert argv[argv.index("-f", argv.index("-i")) + 1] == "mpjpeg" and argv[-1] == "pipe:1"
    assert argv[argv.index("-c:v") + 1] == "copy"
    assert "0:a:0?" not in argv and "-c:a" not in argv  # multipart JPEG has no room for sound
    # What ffmpeg 5.1 says when MPEG-TS gets M-JPEG: how a relay not told the codec finds it.
    assert uncarried_mjpeg("[mpegts @ 0x55] Stream 0, codec mjpeg, is muxed as a private data stream and may not "
                           "be recognized upon reading.")  # fmt: skip
    assert not uncarried_mjpeg("[mpegts @ 0x55] Stream 1, codec opus, is muxed as a private data stream")


def samples(seconds: float, fps: float = 25, lost_per_s: float = 0, damaged: int = 0) -> list[StatsSample]:
    out, steps = [], int(seconds / 0.2) + 1
    for step in range(steps):
        at = step * 0.2
        shown = int(at * fps)
        out.append(StatsSample(at, shown, shown, int(at * lost_per_s), damaged if step == steps - 1 else 0))
    return out


def test_a_current_picture_is_not_degraded() -> None:
    assert judge(samples(2.0), camera_fps=25) is None
    assert judge(samples(2.0, lost_per_s=1), camera_fps=25) is None  # one late picture a second: still live


def test_lost_packets_degrade_at_once_even_in_a_short_window() -> None:
    trouble = judge(samples(0.4, damaged=3), camera_fps=25)
    assert trouble is not None and trouble.kind == "packets" and trouble.count == 3


def test_dropped_pictures_are_a_decoder_behind() -> None:
    trouble = judge(samples(2.0, fps=20, lost_per_s=5), camera_fps=25)
    assert trouble is not None and trouble.kind == "decoder" and trouble.count == 10


def test_far_fewer_pictures_than_the_camera_sends_is_degraded_but_unknown_rate_is_not_judged() -> None:
    trouble = judge(samples(2.0, fps=10), camera_fps=25)
    assert trouble is not None and trouble.kind == "slow"
    assert trouble.shown_fps == pytest.approx(10, abs=0.5) and trouble.camera_fps == 25
    assert judge(samples(2.0, fps=10), camera_fps=0) is None
    assert judge(samples(1.0, fps=10), camera_fps=25) is None  # too short a window to tell a rate
