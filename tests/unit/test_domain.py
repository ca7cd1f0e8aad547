"""Entities, state machines and Result, including the seed README's examples as written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from video_streaming import Recording, Result, RetentionPolicy, Stream, StreamStatus
from video_streaming.domain.errors import InvalidInput, InvalidTransition
from video_streaming.domain.recording import RecordingStatus
from video_streaming.domain.result import ResultError


def test_seed_stream_example_runs_as_written() -> None:
    camera_id = uuid.uuid4()
    stream = Stream(camera_id=camera_id, source_url="rtsp://camera/stream")
    stream.start()
    assert stream.status is StreamStatus.STARTING
    stream.mark_running()
    assert stream.status is StreamStatus.RUNNING
    assert stream.is_active()
    stream.stop()
    assert stream.status is StreamStatus.STOPPED
    assert not stream.is_active()
    stream.mark_error()
    assert stream.status is StreamStatus.ERROR


def test_seed_recording_example_runs_as_written() -> None:
    stream = Stream(camera_id=1, source_url="rtsp://camera/stream")
    recording = Recording(stream_id=stream.id, retention_policy=RetentionPolicy(30))
    assert recording.is_active()
    recording.stop()
    assert recording.status is RecordingStatus.STOPPED
    assert not recording.should_be_deleted()


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "mark_running"),  # never started
        (["start", "mark_running"], "start"),  # already running
        ([], "stop"),  # stopped already
    ],
)
def test_illegal_stream_transitions_raise_a_clear_error(setup: list[str], action: str) -> None:
    stream = Stream(camera_id=1, source_url="rtsp://h/s")
    for step in setup:
        getattr(stream, step)()
    with pytest.raises(InvalidTransition, match="cannot"):
        getattr(stream, action)()


def test_a_stopped_recording_cannot_be_stopped_or_failed_again() -> None:
    recording = Recording(stream_id=uuid.uuid4())
    recording.stop()
    with pytest.raises(InvalidTransition):
        recording.stop()
    with pytest.raises(InvalidTransition):
        recording.mark_error("late")


def test_retention_deadline_with_an_injected_clock() -> None:
    ended = datetime(2026, 1, 1, 12, tzinfo=UTC)
    recording = Recording(stream_id=1, retention_policy=RetentionPolicy(7))
    recording.stop(at=ended)
    assert recording.delete_after == ended + timedelta(days=7)
    assert not recording.should_be_deleted(now=ended + timedelta(days=7) - timedelta(seconds=1))
    assert recording.should_be_deleted(now=ended + timedelta(days=7))


def test_an_active_recording_is_never_due_for_deletion() -> None:
    recording = Recording(stream_id=1, retention_policy=RetentionPolicy(1))
    assert not recording.should_be_deleted(now=datetime(2100, 1, 1, tzinfo=UTC))


def test_times_are_timezone_aware_utc() -> None:
    stream = Stream(camera_id=1, source_url="rtsp://h/s")
    stream.start()
    assert stream.started_at is not None and stream.started_at.utcoffset() == timedelta(0)
    recording = Recording(stream_id=stream.id)
    with pytest.raises(ValueError, match="timezone-aware"):
        recording.stop(at=datetime(2026, 1, 1))


@pytest.mark.parametrize("days", [0, -1, 3651, 1.5, True, "30"])
def test_retention_policy_refuses_nonsense(days: object) -> None:
    with pytest.raises(InvalidInput):
        RetentionPolicy(days)  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=3650))
def test_retention_policy_accepts_every_valid_day_count(days: int) -> None:
    assert RetentionPolicy(days).duration == timedelta(days=days)


def test_result_holds_a_value_or_an_error_never_both() -> None:
    ok: Result[int] = Result.ok(0)
    assert ok.is_success and ok.value == 0 and ok.error is None and bool(ok)
    failed: Result[int] = Result.fail("unreachable", "MediaMTX is down", "start it")
    assert failed.is_failure and not failed
    assert failed.error is not None and failed.error.kind == "unreachable" and "start it" in str(failed.error)
    with pytest.raises(ResultError):
        _ = failed.value
    assert failed.unwrap_or(7) == 7
    with pytest.raises(ResultError):
        Result()


@given(st.one_of(st.none(), st.integers(), st.text()))
def test_result_ok_round_trips_any_value(value: object) -> None:
    assert Result.ok(value).value == value


def test_an_edited_camera_is_validated_as_on_add_and_keeps_its_cap_lock_id_and_site() -> None:
    from video_streaming.domain.camera import Camera, RecordingMode
    from video_streaming.domain.errors import InvalidInput
    from video_streaming.domain.retention import RetentionPolicy

    camera = Camera.create("Gate", "rtsp://cam.local/stream")
    camera = Camera(camera.name, camera.source, camera.id, None, RetentionPolicy(7, 10_000, locked=True), site="")
    edited = camera.edited(name="  Back gate ", source_url="rtsp://cam.local/stream2?token=s3cret", username="viewer",
                           sub_stream_url="rtsp://cam.local/sub", retention_days=14,
                           recording_mode=RecordingMode.MOTION)  # fmt: skip
    assert edited.name == "Back gate" and edited.id == camera.id
    assert edited.source.url == "rtsp://cam.local/stream2" and edited.source.username == "viewer"
    assert edited.source.secret_query and "s3cret" not in edited.source.url
    assert edited.sub_stream is not None and edited.sub_stream.url == "rtsp://cam.local/sub"
    assert edited.retention == RetentionPolicy(14, 10_000, locked=True)
    assert edited.recording_mode is RecordingMode.MOTION
    with pytest.raises(InvalidInput):
        camera.edited(name="   ", source_url="rtsp://cam.local/s", username="", sub_stream_url="", retention_days=7,
                      recording_mode=RecordingMode.CONTINUOUS)  # fmt: skip
