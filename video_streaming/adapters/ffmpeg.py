"""FFmpeg recorder: `-c copy` from MediaMTX's RTSP (H.264 with AAC from its RTMP: `reads_over_rtmp`) into
fragmented-MP4 segments, supervised.

Every segment is fragmented MP4 (empty_moov + frag_keyframe), so a segment cut short by a crash is still
playable. The segment muxer's CSV list tells which segments are closed. When the source drops the
recorder restarts with back-off and reports the gap; a full disk stops it with a clear error instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import logging
import os
import shutil
import signal
import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from video_streaming.adapters.media_probe import frames_span
from video_streaming.adapters.recorder_codecs import (
    AudioMode,
    RtmpRoute,
    TrackLookup,
    audio_codecs,
    audio_mode_for,
    audio_not_storable,
    reads_over_rtmp,
    stream_args,
    video_tag_for,
)
from video_streaming.adapters.segment_tail import drop_cut_off_last_frame
from video_streaming.adapters.segment_timing import close_leading_hole
from video_streaming.domain.camera import mask_url, parse_segment_file_name
from video_streaming.domain.errors import (
    DiskFull,
    NotFound,
    RecordingFailed,
    ServerUnreachable,
    SourceUnavailable,
    Unauthorized,
    VidStreamError,
)
from video_streaming.ports import SegmentRecorder
from video_streaming.private_files import child_environment
from video_streaming.recorder_events import (
    EventSink,
    RecorderEvent,
    RecordingFailedEvent,
    RecordingGap,
    RecordingNotice,
    SegmentClosed,
)
from video_streaming.runtime.process import die_with_parent
from video_streaming.segment_integrity import without_footage

log = logging.getLogger(__name__)
SEGMENT_LIST = "segments-{attempt}.csv"  # one list per ffmpeg run: each run rewrites its list


class NeedsFullProbe(RecordingFailed):
    """Internal: retry with a longer probe (the source's SDP has no codec parameters)."""


class AudioNotStorable(RecordingFailed):
    """Internal: ffmpeg refused the audio track in this form; retry with the next one."""


_NOISE = ("non-monotonous dts", "this may result in incorrect timestamps", "rtp: missed", "max delay reached",
          # start-up warnings, never why a run ended
          "not enough frames to estimate rate", "consider increasing probesize", "estimating the duration")


def classify_ffmpeg_error(stderr: str, returncode: int | None = None) -> VidStreamError:
    """Turn ffmpeg's last words into an error the operator can act on."""
    lines = [line for line in mask_url(stderr).splitlines() if line.strip()]
    lines = [line for line in lines if not any(noise in line.lower() for noise in _NOISE)]
    text = "\n".join(lines)
    lowered = text.lower()
    if not lines and returncode == 0:
        return SourceUnavailable("the camera stopped sending", "the recorder resumes when it returns")
    last = lines[-1] if lines else f"ffmpeg exited with code {returncode}"
    if "no space left on device" in lowered:
        return DiskFull("the recordings disk is full", "free space or move the recordings folder")
    if "401" in lowered or "unauthorized" in lowered:
        return Unauthorized("the media server refused the recorder's credentials", "check read credentials")
    if "404" in lowered or "not found" in lowered:
        return NotFound("the stream is not available on the media server", "is the camera online?")
    if "connection refused" in lowered or "connection timed out" in lowered or "timed out" in lowered:
        return ServerUnreachable("the recorder cannot reach the media server", "check that MediaMTX runs")
    if "permission denied" in lowered or "read-only file system" in lowered:
        return RecordingFailed("cannot write to the recordings folder", "check its permissions")
    if "invalid data" in lowered or "could not find codec" in lowered:
        return SourceUnavailable(f"the source does not carry video ffmpeg can copy: {last}")
    return RecordingFailed(f"ffmpeg stopped: {last}")


FAST_PROBE = ["-fflags", "nobuffer", "-analyzeduration", "100000", "-probesize", "32768"]
# When the SDP lacks the codec parameters (no sprop-parameter-sets), ffmpeg must wait for a key frame.
FULL_PROBE = ["-fflags", "nobuffer", "-analyzeduration", "3000000", "-probesize", "5000000"]


RTSP_INPUT = ["-rtsp_transport", "tcp", "-timeout", "5000000"]  # 5 s socket timeout: a dead source ends ffmpeg
# RTMP's own `timeout` means "listen for a connection": a dead source is ended by the generic I/O timeout.
# `tcp_nodelay`: the RTMP handshake's small writes otherwise wait out delayed ACKs. Measured spawn -> MediaMTX
# lists the reader: 191 ms median without, 59 ms with (12 tries each; RTSP: 61 ms).
RTMP_INPUT = ["-rw_timeout", "5000000", "-tcp_nodelay", "1"]
# What a credentialled input may use: the script (read as a file from /dev/fd) and the RTSP stack.
SCRIPT_PROTOCOLS = "file,rtsp,rtsps,rtp,srtp,tcp,udp,tls"
READER_PROTOCOLS = SCRIPT_PROTOCOLS + ",rtmp"  # the app's own readers of MediaMTX also read its RTMP
# ffmpeg learns an FLV stream's H.264 size only at its first key frame (RTSP has it from the SDP): the probe
# waits for one for longer than the recorder's start timeout, so a camera whose key frames are further apart
# times out and is recorded from RTSP. No frame-rate guess (`fpsprobesize 0`): measured at 25 fps with a 1 s
# GOP, first bytes after 0.7-1.1 s against 2.5 s with the full probe (RTSP: 0.3 s, the first key frame later).
RTMP_PROBE = ["-fflags", "nobuffer", "-analyzeduration", "10000000", "-probesize", "20000000", "-fpsprobesize", "0"]


def has_password(url: str) -> bool:
    return bool(urlsplit(url).password)


def carries_secret(source_url: str) -> bool:
    """A login in the URL's user part, or in its query as MediaMTX takes it over RTMP (`?user=…&pass=…`)."""
    return has_password(source_url) or "pass=" in urlsplit(source_url).query


def transport_options(source_url: str) -> list[str]:
    scheme = source_url.split(":", 1)[0].lower()
    return list(RTSP_INPUT) if scheme.startswith("rtsp") else list(RTMP_INPUT) if scheme == "rtmp" else []


def is_rtmp(url: str) -> bool:
    return url.split(":", 1)[0].lower() == "rtmp"


def input_script(source_url: str, probe: list[str], transport: list[str] | None = None) -> bytes:
    """An ffconcat script naming `source_url` with its input options. ffmpeg reads it from a pipe, so a
    URL that carries a password never appears on ffmpeg's command line (`ps` shows every user argv).
    Measured on loopback (640x360@25 H.264 from MediaMTX): first bytes after 0.40 s, against 0.34 s
    with the URL on the command line."""
    quoted = source_url.replace("'", "'\\''")
    options = [*(RTSP_INPUT if transport is None else transport), *probe]
    lines = ["ffconcat version 1.0", f"file '{quoted}'"]
    lines += [f"option {key.lstrip('-')} {value}" for key, value in zip(options[::2], options[1::2], strict=True)]
    return ("\n".join(lines) + "\n").encode()


def source_probe(source_url: str, full_probe: bool) -> list[str]:
    """RTMP's probe already waits longer than the full one (and without its frame-rate guess)."""
    if is_rtmp(source_url):
        return RTMP_PROBE
    return FULL_PROBE if full_probe else FAST_PROBE


def recorder_argv(
    ffmpeg: str, source_url: str, output_dir: Path, segment_seconds: int, attempt: int, full_probe: bool = False,
    audio: AudioMode = AudioMode.COPY, video_tag: str | None = None, script_fd: int | None = None,
) -> list[str]:  # fmt: skip
    """With `script_fd`, the input is the ffconcat script of `input_script` on that inherited pipe."""
    probe = source_probe(source_url, full_probe)
    if script_fd is not None:
        # The script's own input does the probing (its options); the concat layer takes the codec parameters
        # from it, and a second long probe would only hold packets back (segments named seconds late).
        probe = FAST_PROBE
    # /dev/fd/N, not pipe:N: an input named pipe:* turns off ffmpeg's stdin commands, and 'q' on stdin is how
    # the recorder stops it gracefully (the last segment gets its trailer).
    scripted = ["-f", "concat", "-safe", "0", "-protocol_whitelist", READER_PROTOCOLS, "-i", f"/dev/fd/{script_fd}"]
    return [
        ffmpeg, "-hide_banner", "-nostats", "-loglevel", "warning", "-y",
        *(transport_options(source_url) if script_fd is None else []),
        # When the SDP carries the codec parameters a short probe starts recording in ~0.3 s instead of
        # ~1.4 s (measured with 640x360@25 H.264 + AAC on loopback).
        *probe,
        *(["-i", source_url] if script_fd is None else scripted),
        *stream_args(audio, video_tag),
        "-f", "segment", "-segment_time", str(segment_seconds), "-reset_timestamps", "1",
        "-segment_format", "mp4",
        # flush_packets: each fragment (one per key frame) reaches the disk when it is written, so the open
        # segment grows and plays while it records; without it the file held only its 28-byte ftyp until
        # 256 KiB had been buffered (seconds to minutes, by bitrate).
        "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1",
        "-segment_list", str(output_dir / SEGMENT_LIST.format(attempt=attempt)), "-segment_list_type", "csv",
        "-strftime", "1", str(output_dir / f"%Y%m%dT%H%M%SZ-{attempt}.mp4"),
    ]  # fmt: skip


@dataclass
class _Job:
    recording_id: uuid.UUID
    source_url: str
    output_dir: Path
    process: asyncio.subprocess.Process | None = None
    attempt: int = 0
    stopping: bool = False
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=40))
    closed: set[str] = field(default_factory=set)
    closed_limit: int = 64  # when `closed` is next pruned of files no longer on disk
    csv_offset: int = 0
    supervisor: asyncio.Task[None] | None = None
    stderr_reader: asyncio.Task[None] | None = None
    full_probe: bool = False
    audio: AudioMode = AudioMode.COPY
    video_tag: str | None = None
    mended_attempt: int = -1  # the run whose first segment was checked for a hole after its first frame
    audio_codecs: str = ""  # the source's audio codecs as MediaMTX names them, when known
    audio_dropped: str = ""  # the codec list for which the operator was told the audio is left out
    read_url: str = ""  # where this run reads the source: `source_url`, or the same path over RTMP

    def __post_init__(self) -> None:
        self.read_url = self.read_url or self.source_url


class FFmpegRecorder(SegmentRecorder):
    def __init__(
        self,
        *,
        segment_seconds: int = 60,
        ffmpeg: str | None = None,
        on_event: EventSink | None = None,
        start_timeout: float = 6.0,
        stop_timeout: float = 5.0,
        max_backoff: float = 1.0,
        track_lookup: TrackLookup | None = None,
        rtmp_route: RtmpRoute | None = None,
    ) -> None:
        found = ffmpeg or shutil.which("ffmpeg")
        if not found:
            raise RecordingFailed("ffmpeg is not installed", "install it: apt-get install ffmpeg")
        self.ffmpeg = found
        self.segment_seconds = segment_seconds
        self.on_event = on_event
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.max_backoff = max_backoff
        # Where the source's codecs can be read before ffmpeg starts (MediaMTX's path state); without it the
        # recorder learns from ffmpeg's refusal, one failed start later.
        self.track_lookup = track_lookup
        self.rtmp_route = rtmp_route
        self._jobs: dict[uuid.UUID, _Job] = {}

    def _emit(self, event: RecorderEvent) -> None:
        if self.on_event is not None:
            try:
                self.on_event(event)
            except Exception:  # a broken listener must not kill the recorder
                log.exception("recorder event listener failed")

    def is_recording(self, recording_id: uuid.UUID) -> bool:
        return recording_id in self._jobs

    async def start_recording(self, recording_id: uuid.UUID, source_url: str, output_path: str) -> bool:
        if recording_id in self._jobs:
            return True
        output_dir = Path(output_path)
        output_dir.mkdir(parents=True, exist_ok=True)
        job = _Job(recording_id, source_url, output_dir)
        await self._start_run(job)
        self._jobs[recording_id] = job
        job.supervisor = asyncio.create_task(self._supervise(job), name=f"recorder-{recording_id}")
        return True

    async def _choose_codecs(self, job: _Job) -> None:
        """Audio, video tag and transport from the source's tracks; audio and tag unchanged when the tracks
        cannot be read, and the source read as given (RTSP)."""
        job.read_url = job.source_url
        if self.track_lookup is None:
            return
        try:
            tracks = await self.track_lookup(job.source_url)
        except Exception as error:  # the lookup is an optimisation: ffmpeg's refusal teaches the same
            log.debug("could not read the source's tracks: %s", error)
            return
        if not tracks:
            return
        job.audio, job.video_tag = audio_mode_for(tracks), video_tag_for(tracks)
        job.audio_codecs = ", ".join(audio_codecs(tracks))
        if self.rtmp_route is not None and reads_over_rtmp(tracks):
            job.read_url = self.rtmp_route(job.source_url) or job.source_url

    async def _start_run(self, job: _Job) -> None:
        """Start ffmpeg until the first bytes land, with a longer probe or another audio form if the source
        needs one. Leaves no empty file of a failed try behind."""
        await self._choose_codecs(job)
        while True:
            await self._spawn(job)
            try:
                await self._wait_first_bytes(job)
                return
            except NeedsFullProbe:
                await self._abandon_run(job)
                job.full_probe = True
            except AudioNotStorable as refused:
                await self._abandon_run(job)
                fallback = job.audio.fallback()
                if fallback is None:
                    raise RecordingFailed(f"ffmpeg cannot store this camera's video: {refused.message}") from None
                job.audio = fallback
                if fallback is AudioMode.NONE:
                    self._notice_audio_dropped(job, refused.message)
            except VidStreamError as error:
                await self._abandon_run(job)
                if job.read_url == job.source_url or isinstance(error, DiskFull):
                    raise
                # FLV names the video's size only at a key frame: a camera whose key frames are further apart
                # than the start timeout, or anything else RTMP trips on, is recorded from RTSP for this run
                # (once: the next run, after a drop, tries RTMP again). A camera that is really down fails
                # there too, with RTSP's reason, which ffmpeg's errors name better.
                log.info("recording %s from RTSP: over RTMP it did not start (%s)", job.recording_id, error.message)
                job.read_url = job.source_url
            except BaseException:
                await self._abandon_run(job)
                raise
            job.attempt += 1

    def _notice_audio_dropped(self, job: _Job, reason: str) -> None:
        codecs = job.audio_codecs or "unknown codec"
        if job.audio_dropped == codecs:
            return  # told once per recording (and again only if the camera's audio changes)
        job.audio_dropped = codecs
        self._emit(RecordingNotice(job.recording_id, f"the audio ({codecs}) cannot be stored and is left out; "
                                                     f"the video is recorded ({mask_url(reason)})"))  # fmt: skip

    async def _abandon_run(self, job: _Job) -> None:
        """Stop a run that never started recording and remove what it left (files without a frame, its list).
        ffmpeg writes the header of a file it never got a frame for as it exits, so the size is not enough."""
        await self._terminate(job)
        for path in self._current_files(job):
            if without_footage(path):
                path.unlink(missing_ok=True)
        (job.output_dir / SEGMENT_LIST.format(attempt=job.attempt)).unlink(missing_ok=True)

    async def _spawn(self, job: _Job) -> None:
        script_fd = None
        if carries_secret(job.read_url):
            script_fd, writer = os.pipe()
            probe = source_probe(job.read_url, job.full_probe)
            os.write(writer, input_script(job.read_url, probe, transport_options(job.read_url)))
            os.close(writer)  # a few hundred bytes: far below a pipe's buffer, and ffmpeg sees the end
        argv = recorder_argv(
            self.ffmpeg, job.read_url, job.output_dir, self.segment_seconds, job.attempt, job.full_probe,
            job.audio, job.video_tag, script_fd,
        )  # fmt: skip
        job.csv_offset = 0
        # Each run's own last words: a failed first run's errors must not explain a later run's exit.
        job.stderr_tail = deque(maxlen=40)
        try:
            job.process = await self._exec(argv, script_fd)
        finally:
            if script_fd is not None:
                os.close(script_fd)
        job.stderr_reader = asyncio.create_task(self._drain_stderr(job.stderr_tail, job.process))

    @staticmethod
    async def _exec(argv: list[str], script_fd: int | None) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            *argv,
            pass_fds=(script_fd,) if script_fd is not None else (),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=child_environment({"TZ": "UTC"}),  # -strftime names files in UTC
            start_new_session=True,
            # ffmpeg ignores the end of its stdin: if this process dies (a crash, SIGKILL), ffmpeg would go on
            # recording unsupervised, uncatalogued, into a folder the next run adopts while it still grows.
            # SIGTERM makes it close the segment it is writing and exit.
            preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
        )

    @staticmethod
    async def _drain_stderr(tail: deque[str], process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            tail.append(raw.decode("utf-8", "replace").rstrip())

    def _current_files(self, job: _Job) -> list[Path]:
        return sorted(p for p in job.output_dir.glob(f"*Z-{job.attempt}.mp4") if p.name not in job.closed)

    async def _wait_first_bytes(self, job: _Job) -> None:
        """Recording has started once the first segment file holds data; fail fast if ffmpeg dies."""
        assert job.process is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if any(p.stat().st_size > 0 for p in self._current_files(job)):
                return
            if job.process.returncode is not None:
                await asyncio.sleep(0.05)  # let stderr drain
                stderr = "\n".join(job.stderr_tail)
                if "could not find codec parameters" in stderr.lower() and not job.full_probe:
                    raise NeedsFullProbe("the source's description lacks codec parameters")
                if (refused := audio_not_storable(stderr)) is not None:
                    raise AudioNotStorable(refused)
                log.warning("recorder failed to start: %s", mask_url(" | ".join(job.stderr_tail)))
                raise classify_ffmpeg_error(stderr, job.process.returncode)
            await asyncio.sleep(0.02)
        raise SourceUnavailable(
            f"no video reached the recorder within {self.start_timeout:.0f} s", "is the camera sending?"
        )

    async def _supervise(self, job: _Job) -> None:
        backoff = 0.25
        while not job.stopping:
            process = job.process
            assert process is not None
            # Even when stopping, wait for ffmpeg's own exit: it lists the last segment as it closes it.
            # One wait() for the whole run: each call leaves a future in the process transport's list of exit
            # waiters, and a wait() cancelled every 0.5 s grew it by two a second per camera (the soak's leak).
            exited = asyncio.ensure_future(process.wait())
            try:
                while not exited.done():
                    await self._collect_closed(job)
                    await asyncio.wait({exited}, timeout=0.5)
            finally:
                exited.cancel()
            exited_at = datetime.now(UTC)  # the gap starts here, not after the files are mended and measured
            await self._after_exit(job)
            if job.stopping:
                return
            # The source dropped (or ffmpeg died): record the gap, restart with back-off.
            error = classify_ffmpeg_error("\n".join(job.stderr_tail), process.returncode)
            if isinstance(error, DiskFull):
                self._jobs.pop(job.recording_id, None)
                self._emit(RecordingFailedEvent(job.recording_id, error))
                return
            gap_start = exited_at
            self._emit(RecordingGap(job.recording_id, gap_start, None, error.message))
            while not job.stopping:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                job.attempt += 1
                try:
                    await self._start_run(job)
                except VidStreamError as retry_error:
                    if isinstance(retry_error, DiskFull):
                        self._jobs.pop(job.recording_id, None)
                        self._emit(RecordingFailedEvent(job.recording_id, retry_error))
                        return
                    continue
                self._emit(RecordingGap(job.recording_id, gap_start, datetime.now(UTC), error.message))
                backoff = 0.25
                break

    async def _collect_closed(self, job: _Job, *, run_over: bool = False) -> None:
        """Each segment the list names as closed, with the time its frames cover (ffprobe): the list's
        times start at the run's first packet, while a run's first segment starts only at the first key
        frame it got, and the catalog counted that wait as footage. `run_over`: ffmpeg has exited, so the
        last one listed is the run's last segment unless a partial file follows it."""
        closed = self._read_segment_list(job)
        partial_follows = run_over and any(parse_segment_file_name(p.name) is not None and not without_footage(p)
                                           for p in self._current_files(job))  # fmt: skip
        for index, (name, start, listed) in enumerate(closed):
            await self._mend_run_start(job, job.output_dir / name)
            if run_over and index == len(closed) - 1 and not partial_follows:
                await self._mend_run_end(job.output_dir / name)
            measured = await frames_span(job.output_dir / name)
            duration = measured if measured is not None else listed
            self._emit(SegmentClosed(job.recording_id, job.output_dir / name, start, duration))

    async def _mend_run_start(self, job: _Job, path: Path) -> None:
        """A run's first segment may hold a frame timed before the RTCP reports (segment_timing.py)."""
        if job.mended_attempt == job.attempt:
            return
        job.mended_attempt = job.attempt
        closed = await close_leading_hole(path, self.ffmpeg)
        if closed:
            log.info("closed a %.2f s timestamp hole after the first frame of %s", closed, path.name)

    async def _mend_run_end(self, path: Path) -> None:
        """A camera that went away mid-frame leaves a cut-off last picture (segment_tail.py)."""
        if await drop_cut_off_last_frame(path, self.ffmpeg):
            log.info("dropped the cut-off last frame of %s (the camera stopped while sending it)", path.name)

    def _read_segment_list(self, job: _Job) -> list[tuple[str, datetime, float]]:
        """New lines of the segment list: each names a closed segment, its start and its listed duration."""
        list_path = job.output_dir / SEGMENT_LIST.format(attempt=job.attempt)
        try:
            with open(list_path, "rb") as handle:
                handle.seek(job.csv_offset)
                data = handle.read()
        except FileNotFoundError:
            return []
        complete, _, _ = data.rpartition(b"\n")
        if not complete:
            return []
        job.csv_offset += len(complete) + 1
        closed = []
        for row in csv.reader(io.StringIO(complete.decode("utf-8", "replace"))):
            if len(row) < 3:
                continue
            name = Path(row[0]).name
            parsed = parse_segment_file_name(name)
            if parsed is None or name in job.closed:
                continue
            job.closed.add(name)
            closed.append((name, parsed[0], max(0.0, float(row[2]) - float(row[1]))))
        if len(job.closed) > job.closed_limit:
            # A closed file that left the disk (archived) cannot be mistaken for a partial one any more: forget
            # it, or the set grows for as long as the camera records (a recording may run for months).
            job.closed = {name for name in job.closed if (job.output_dir / name).exists()}
            job.closed_limit = 2 * len(job.closed) + 64
        return closed

    async def _after_exit(self, job: _Job) -> None:
        """After ffmpeg exits: list-closed segments first, then any unlisted file is a partial segment."""
        await self._collect_closed(job, run_over=True)
        for path in self._current_files(job):
            parsed = parse_segment_file_name(path.name)
            if parsed is None:
                continue
            job.closed.add(path.name)
            if path.stat().st_size == 0:
                path.unlink(missing_ok=True)
                continue
            await self._mend_run_start(job, path)
            await self._mend_run_end(path)
            measured = await frames_span(path)
            duration = measured if measured is not None else await probe_duration(path)
            self._emit(SegmentClosed(job.recording_id, path, parsed[0], duration, partial=True))

    async def stop_recording(self, recording_id: uuid.UUID) -> bool:
        job = self._jobs.pop(recording_id, None)
        if job is None:
            return False
        job.stopping = True
        await self._terminate(job)
        if job.supervisor is not None:
            await job.supervisor
        return True

    async def _terminate(self, job: _Job) -> None:
        """Graceful first so the last segment gets its trailer: 'q', then SIGINT, then SIGKILL."""
        process = job.process
        if process is None or process.returncode is not None:
            return
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, RuntimeError):
                process.stdin.write(b"q")
                await process.stdin.drain()
        for sig, wait in ((None, self.stop_timeout), (signal.SIGINT, 3.0), (signal.SIGKILL, 5.0)):
            if sig is not None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), timeout=wait)
                return

    async def kill_for_test(self, recording_id: uuid.UUID) -> None:
        """SIGKILL the running ffmpeg, as a crash would (fault tests)."""
        job = self._jobs.get(recording_id)
        if job and job.process and job.process.returncode is None:
            job.process.kill()

    async def close(self) -> None:
        for recording_id in list(self._jobs):
            await self.stop_recording(recording_id)


async def probe_duration(path: Path, timeout: float = 10.0) -> float:
    """Duration of a (possibly partial) segment, 0.0 when ffprobe cannot read it."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0.0
    process = await asyncio.create_subprocess_exec(
        ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", str(path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=child_environment(),
    )  # fmt: skip
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except TimeoutError:
        process.kill()
        return 0.0
    try:
        return float(out.decode().strip())
    except ValueError:
        return 0.0
