"""The Recordings tab: the table lists, filters, sorts and lazily loads the catalog; timelines draw what
was recorded where it was recorded; the player shows an archived recording straight from MinIO; downloads
report progress and failures; deletion honours retention locks and is audited.

Catalog-only scenarios use a core without servers (a local-folder archive); the others record a synthetic
camera through the real core, MediaMTX and MinIO. Each scenario is one coroutine on the qasync loop."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.fixtures.core import TEST_TUNING, CoreFactory
from tests.fixtures.environment import tmpfs
from tests.fixtures.qt import delete_now, run
from tests.fixtures.servers import S3Target
from tests.gui.test_wall import mean_brightness, screen_pixels
from video_streaming.adapters.local_storage import LocalFolderStorage
from video_streaming.bootstrap import build_core
from video_streaming.catalog import Catalog, SegmentState
from video_streaming.config import Settings
from video_streaming.core import VidStreamCore
from video_streaming.domain.camera import Camera, segment_key
from video_streaming.domain.recording import Recording
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera
from video_streaming.secrets import SecretStore
from vidstream_desktop.recordings import RecordingsPanel
from vidstream_desktop.recordings.controller import JobState
from vidstream_desktop.recordings.timeline import GAP_COLOR, MIN_SPAN_SECONDS, NAME_WIDTH, STATE_COLORS
from vidstream_desktop.recordings.timeline_view import local_day_start
from vidstream_desktop.resources import load_theme

pytestmark = pytest.mark.gui


# ---------------------------------------------------------------------------------------------------
# Helpers


async def until(predicate: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    load_theme(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


@pytest.fixture
def offline_core(tmp_path: Path, qasync_loop: qasync.QEventLoop) -> Iterator[VidStreamCore]:
    """A core over a fresh catalog and a local-folder archive: no server is started or contacted."""
    settings = Settings(data_dir=str(tmp_path / "data"), demo_cameras=0)
    store = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    core = build_core(settings, store, None, storage=LocalFolderStorage(tmp_path / "archive"))
    yield core
    core.catalog.close()


def open_panel(loop: qasync.QEventLoop, core: VidStreamCore, tmp_path: Path) -> RecordingsPanel:
    async def build() -> RecordingsPanel:
        panel = RecordingsPanel(core, cache_dir=tmp_path / "cache")
        panel.resize(1500, 900)
        panel.move(0, 0)
        panel.show()
        await until(lambda: not panel.model.is_loading and not panel.timeline.is_loading, 10, "first page")
        return panel

    return run(loop, build())


def close_panel(loop: qasync.QEventLoop, panel: RecordingsPanel) -> None:
    run(loop, panel.aclose())
    delete_now(panel)


def add_cameras(catalog: Catalog, count: int, locked: bool = False) -> list[Camera]:
    cameras = [Camera.create(f"Camera {n + 1}", f"rtsp://10.0.0.{n + 1}/stream") for n in range(count)]
    for camera in cameras:
        if locked:
            camera = Camera(camera.name, camera.source, camera.id, None, RetentionPolicy(30, locked=True))
        catalog.save_camera(camera)
    return cameras


def add_recording(
    catalog: Catalog, camera: Camera, start: datetime, segments: list[tuple[float, float]], archived: bool = True,
    retention_days: int = 30,
) -> str:  # fmt: skip
    """One finished recording; `segments` are (offset from start, duration) in seconds."""
    recording = Recording(stream_id=uuid.uuid4(), retention_policy=RetentionPolicy(retention_days),
                          camera_id=str(camera.id), started_at=start)  # fmt: skip
    catalog.add_recording(recording, str(camera.id), "")
    for offset, duration in segments:
        moment = start + timedelta(seconds=offset)
        name = f"{moment:%Y%m%dT%H%M%S}Z-0.mp4"
        segment_id = catalog.add_segment(str(recording.id), str(camera.id), Path(name),
                                         segment_key(camera.key, recording.id, start, name), moment, duration,
                                         1_000_000)  # fmt: skip
        if archived:
            catalog.mark_archived(segment_id, "0" * 64, 1_000_000)
            catalog.mark_local_removed(segment_id)
    end = start + timedelta(seconds=max(o + d for o, d in segments))
    catalog.finish_recording(recording.id, "stopped", end)
    return str(recording.id)


def bulk_recordings(catalog: Catalog, cameras: list[Camera], count: int, base: datetime) -> None:
    """`count` archived recordings, three one-minute segments each, ten minutes apart per camera."""
    with catalog.db.transaction() as db:  # one transaction: 10,000 of them one by one would take a minute
        for number in range(count):
            camera = cameras[number % len(cameras)]
            start = base + timedelta(minutes=10 * (number // len(cameras)))
            recording_id = str(uuid.uuid4())
            db.execute(
                """INSERT INTO recordings (id, camera_id, stream_id, status, started_at, ended_at, retention_days,
                   locked, storage_prefix, local_dir) VALUES (?,?,?,?,?,?,?,?,?,'')""",
                (recording_id, str(camera.id), "", "stopped", start.timestamp(),
                 (start + timedelta(minutes=3)).timestamp(), 30, 0, f"{camera.key}/{recording_id}/"),
            )  # fmt: skip
            for part in range(3):
                moment = start + timedelta(minutes=part)
                db.execute(
                    """INSERT INTO segments (recording_id, camera_id, file_name, object_key, start, duration, size,
                       state) VALUES (?,?,?,?,?,?,?,?)""",
                    (recording_id, str(camera.id), f"{moment:%Y%m%dT%H%M%S}Z-0.mp4",
                     f"{camera.key}/{recording_id}/{moment:%Y%m%dT%H%M%S}Z-0.mp4", moment.timestamp(), 60.0,
                     1000 + number, "archived"),
                )  # fmt: skip


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def wheel(widget: object, position: QPointF, steps: int) -> None:
    event = QWheelEvent(position, position, QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


def same_color(image: QImage, x: float, y: float, expected: str, tolerance: int = 12) -> bool:
    found, wanted = image.pixelColor(int(x), int(y)), QColor(expected)
    return all(abs(a - b) <= tolerance for a, b in ((found.red(), wanted.red()), (found.green(), wanted.green()),
                                                   (found.blue(), wanted.blue())))  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# The table


def test_the_table_loads_10000_recordings_page_by_page_and_filters_them(
    qasync_loop: qasync.QEventLoop, offline_core: VidStreamCore, tmp_path: Path, themed: None
) -> None:
    catalog = offline_core.catalog
    cameras = add_cameras(catalog, 8)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    bulk_recordings(catalog, cameras, 10_000, base)
    started = time.perf_counter()
    panel = open_panel(qasync_loop, offline_core, tmp_path)
    first_page = time.perf_counter() - started
    model = panel.model

    async def scenario() -> None:
        # Only the first page is read up front, newest first.
        assert model.rowCount() == model.PAGE_SIZE and model.canFetchMore()
        starts = [row.started_at for row in model.rows()]
        assert starts == sorted(starts, reverse=True) and starts[0] == base + timedelta(minutes=10 * 1249)
        await until(lambda: digits(panel.count_label.text()) == "10000", 5, "count shown")

        # Scrolling to the end pulls every page: 10,000 rows, quickly, none twice.
        began = time.perf_counter()
        while not model.loaded_all:
            panel.table.scrollToBottom()
            model.fetchMore()
            await until(lambda: not model.is_loading, 5, "page")
        took = time.perf_counter() - began
        print(f"model: first page {first_page * 1000:.0f} ms (panel built), all 10,000 rows in {took * 1000:.0f} ms")
        assert model.rowCount() == 10_000 and len({row.id for row in model.rows()}) == 10_000
        assert took < 8.0

        # Filter by camera: only its recordings, and the count says how many.
        third = str(cameras[2].id)
        panel.set_filter(camera_id=third)
        await until(lambda: not model.is_loading, 5, "camera filter")
        assert model.rowCount() == model.PAGE_SIZE
        assert {row.camera_id for row in model.rows()} == {third}
        await until(lambda: digits(panel.count_label.text()) == "1250", 5, "camera count")

        # Filter by time: recordings overlapping [since, until] only (all cameras again).
        since, until_ = base + timedelta(hours=5, minutes=5), base + timedelta(hours=6)
        panel.set_filter(since=since, until=until_)
        await until(lambda: not model.is_loading, 5, "time filter")
        rows = model.rows()
        assert rows and all(r.started_at <= until_ and (r.ended_at or since) >= since for r in rows)
        # 10-minute slots from 05:00 (ends 05:03, outside) ... 06:00 (starts at 06:00, inside): 6 per camera.
        assert len(rows) == 6 * 8, len(rows)
        assert {r.started_at for r in rows} == {base + timedelta(hours=5, minutes=10 * n) for n in range(1, 7)}

        # Sorting is the catalog's: by size, largest first, over everything (not just the loaded page).
        panel.set_filter()
        model.sort(4, Qt.SortOrder.DescendingOrder)
        await until(lambda: not model.is_loading, 5, "sort")
        sizes = [row.size for row in model.rows()]
        assert sizes == sorted(sizes, reverse=True) and sizes[0] == 3 * (1000 + 9999)
        assert model.data(model.index(0, 4)) == "33.0 KB"
        assert model.data(model.index(0, 0)) == cameras[9999 % 8].name

    try:
        run(qasync_loop, scenario(), timeout=60)
    finally:
        close_panel(qasync_loop, panel)


def test_state_column_says_when_a_recording_expires(
    qasync_loop: qasync.QEventLoop, offline_core: VidStreamCore, tmp_path: Path
) -> None:
    catalog = offline_core.catalog
    [camera] = add_cameras(catalog, 1)
    now = datetime.now(UTC)
    old = add_recording(catalog, camera, now - timedelta(days=4, seconds=60), [(0, 60)], retention_days=7)
    fresh = add_recording(catalog, camera, now - timedelta(hours=1), [(0, 60)], retention_days=30)
    local = add_recording(catalog, camera, now - timedelta(minutes=30), [(0, 60)], archived=False)
    panel = open_panel(qasync_loop, offline_core, tmp_path)
    try:
        texts = {row.id: panel.model.data(panel.model.index(n, 5)) for n, row in enumerate(panel.model.rows())}
        assert texts[old] == "archived · expires in 3 days"
        assert texts[fresh] == "archived"
        assert texts[local] == "local"
    finally:
        close_panel(qasync_loop, panel)


# ---------------------------------------------------------------------------------------------------
# Timelines


def test_timeline_draws_spans_and_gaps_where_they_were_recorded(
    qasync_loop: qasync.QEventLoop, offline_core: VidStreamCore, tmp_path: Path, themed: None
) -> None:
    catalog = offline_core.catalog
    front, back = add_cameras(catalog, 2)
    day = date(2026, 1, 15)
    midnight = local_day_start(day)
    # Front: 02:00-03:00 archived (two half-hour segments) with a dropout 02:20-02:25, and 05:30-06:00 still local.
    first = add_recording(catalog, front, midnight + timedelta(hours=2), [(0, 1800), (1800, 1800)])
    catalog.open_gap(first, midnight + timedelta(hours=2, minutes=20), "camera offline")
    catalog.close_gap(first, midnight + timedelta(hours=2, minutes=20), midnight + timedelta(hours=2, minutes=25))
    add_recording(catalog, front, midnight + timedelta(hours=5, minutes=30), [(0, 1800)], archived=False)
    # Back: 12:00-18:00.
    add_recording(catalog, back, midnight + timedelta(hours=12), [(0, 6 * 3600)])
    panel = open_panel(qasync_loop, offline_core, tmp_path)
    view = panel.timeline

    async def scenario() -> None:
        view.show_day(day)
        await until(lambda: not view.is_loading, 5, "timelines")
        row = view.rows[str(front.id)]
        width = row.width() - NAME_WIDTH - 10

        def x_at(hours: float) -> float:
            return NAME_WIDTH + hours / 24 * width

        spans = row.span_rects()
        assert [(s.state, round(r.left()), round(r.right())) for s, r in spans] == [
            ("archived", round(x_at(2)), round(x_at(3))), ("local", round(x_at(5.5)), round(x_at(6)))]  # fmt: skip
        [gap] = row.gap_rects()
        assert abs(gap.left() - x_at(2 + 20 / 60)) < 1 and abs(gap.right() - x_at(2 + 25 / 60)) < 2
        [(_, back_span)] = view.rows[str(back.id)].span_rects()
        assert abs(back_span.left() - x_at(12)) < 1 and abs(back_span.right() - x_at(18)) < 1

        # What is painted: the state colours inside the spans, the empty track outside, the gap marked.
        image = row.grab().toImage()
        middle = spans[0][1].center().y()
        assert same_color(image, x_at(2.1), middle, STATE_COLORS["archived"])
        assert same_color(image, x_at(5.75), middle, STATE_COLORS["local"])
        assert same_color(image, x_at(4.5), middle, "#1b1e22")
        assert not same_color(image, x_at(2 + 22.5 / 60), middle, STATE_COLORS["archived"], tolerance=30)
        # The gap's hatching is amber, never the red that means "recording".
        hatch = [(x, y) for x in range(int(gap.left()) + 1, int(gap.right())) for y in range(int(gap.top()) + 1,
                 int(gap.bottom()))]  # fmt: skip
        assert any(same_color(image, x, y, GAP_COLOR, tolerance=40) for x, y in hatch)
        assert not any(same_color(image, x, y, STATE_COLORS["recording"], tolerance=40) for x, y in hatch)

        # A click asks to play that camera at that moment (to the pixel's worth of time).
        clicked: list[tuple[str, datetime]] = []
        view.time_clicked.disconnect()
        view.time_clicked.connect(lambda camera, moment: clicked.append((camera, moment)))
        QTest.mouseClick(row, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(x_at(2.5)), int(middle)))  # fmt: skip
        assert clicked and clicked[0][0] == str(front.id)
        assert abs((clicked[0][1] - (midnight + timedelta(hours=2.5))).total_seconds()) < 24 * 3600 / width

        # The wheel zooms around the mouse, down to one minute, every row together; then thumbnails show.
        anchor = QPointF(x_at(2.5), middle)
        for _ in range(40):
            wheel(row, anchor, 1)
        assert view.time_window.seconds == MIN_SPAN_SECONDS
        assert view.time_window.start <= midnight + timedelta(hours=2.5) <= view.time_window.end
        assert view.rows[str(back.id)].time_window is view.time_window
        assert row.shows_thumbnails and row.sizeHint().height() > 60
        track = row.geometry_for_time()
        assert abs((track.time_at(anchor.x()) - (midnight + timedelta(hours=2.5))).total_seconds()) < 30
        view.show_moment(midnight + timedelta(hours=2.5), 3600)  # an hour across: the whole span in view
        track = row.geometry_for_time()
        [rect] = [r for s, r in row.span_rects() if s.state == "archived"]
        assert abs(rect.right() - track.x_for(midnight + timedelta(hours=3))) < 1
        assert rect.width() > width * 0.5  # one hour across: the 02:00-03:00 span is wide now
        wheel(row, anchor, -40)
        assert view.time_window.seconds == 24 * 3600

    try:
        run(qasync_loop, scenario(), timeout=30)
    finally:
        close_panel(qasync_loop, panel)


# ---------------------------------------------------------------------------------------------------
# Real recordings: player, thumbnails, downloads, links, deletion


async def record(core: VidStreamCore, mediamtx: MediaMTXServer, seconds: float) -> tuple[str, str]:
    await core.start()
    camera_id = str(core.add_camera("Front door", mediamtx.endpoints.rtsp_url("cam1"), retention_days=7).value.id)
    result = await core.record(camera_id)
    assert result.is_success, result.error
    await asyncio.sleep(seconds)
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    return camera_id, str(result.value.id)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "small-disk", "128k") as mount_point:
        yield mount_point


def test_player_plays_an_archived_recording_and_the_panel_downloads_it(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera: SyntheticCamera, minio: S3Target, tmp_path: Path, themed: None, small_disk: Path,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    camera_id, recording_id = run(qasync_loop, record(core, mediamtx, 8))
    segments = core.catalog.segments(recording_id=recording_id)
    assert all(s.state is SegmentState.ARCHIVED and s.local_path is None for s in segments), "local copies remain"
    panel = open_panel(qasync_loop, core, tmp_path)
    player = panel.player

    async def scenario() -> None:
        assert panel.select_recording(recording_id)
        panel.play_selected()
        await until(lambda: player.state == "playing" and player.has_picture(), 15, "archived recording plays")
        assert "://" in await panel.controller.resolve(player.items[0]), "played from a link, not a download"
        await until(lambda: mean_brightness(screen_pixels(player.surface)) > 30, 5, "picture on screen")
        first = screen_pixels(player.surface)
        await until(lambda: screen_pixels(player.surface) != first, 3, "the picture moves")

        # Seek (paused, so the landing can be read off a still picture), frame step, speed, snapshot.
        player.pause()
        await until(lambda: player.state == "paused", 3, "paused")
        target = segments[2].start + timedelta(seconds=1)
        player.seek(target)
        await until(lambda: player.index == 2 and player.state == "paused" and player.has_picture(), 10, "seek")
        shown = player.current_time()
        assert shown is not None and abs((shown - target).total_seconds()) < 0.6, f"seek landed at {shown}"
        await asyncio.sleep(0.3)
        still = screen_pixels(player.surface)
        await asyncio.sleep(0.3)
        assert screen_pixels(player.surface) == still, "paused, yet the picture moves"
        for _ in range(3):
            player.next_frame()
            await asyncio.sleep(0.15)
        assert player.state == "paused"
        await until(lambda: screen_pixels(player.surface) != still, 2, "frame step shows the next picture")
        player.play()
        player.set_speed(4.0)
        await until(lambda: player.rate == 4.0 and abs(player._player.get_rate() - 4.0) < 0.01, 3, "speed")
        player.set_speed(1.0)
        shot = player.snapshot(tmp_path / "shot.png")
        assert shot is not None and QImage(str(shot)).size().width() == 640

        # The timeline follows the playhead; a click on it plays from there.
        row = panel.timeline.rows[camera_id]
        assert row.playhead is not None
        panel.play_at(camera_id, segments[1].start + timedelta(seconds=0.5))
        await until(lambda: player.index == 1 and player.state == "playing", 10, "played from the timeline")

        # Zoomed to an hour, the row shows thumbnails grabbed from the archive.
        panel.timeline.show_moment(segments[0].start, 3600)
        row.update()
        await until(lambda: row.thumbnails_loaded() > 0, 20, "thumbnails")

        # Download through the panel: progress, then the file; a full disk fails clearly.
        job = panel.download_selected(tmp_path / "downloads")
        assert job is not None
        await until(lambda: job.state is not JobState.RUNNING, 30, "download")
        assert job.state is JobState.DONE and job.result is not None and job.result.path.exists()
        assert job.done_bytes == job.total_bytes > 0
        row_widget = panel.downloads.rows[job.id]
        assert row_widget.bar.value() == 1000 and row_widget.detail.text().startswith("Saved")
        assert row_widget.detail.toolTip() == str(job.result.path) and row_widget.open_button.isVisibleTo(panel)

        # A real small disk: 128 KiB holds less than the export needs; grown, the retry succeeds there.
        full = panel.export_range(camera_id, segments[0].start, segments[-1].end, small_disk)
        await until(lambda: full.state is not JobState.RUNNING, 10, "export on a full disk")
        assert full.state is JobState.FAILED and full.error_kind == "disk_full"
        assert "Not enough disk space" in panel.downloads.rows[full.id].detail.text()
        assert panel.downloads.rows[full.id].retry_button.isVisibleTo(panel.downloads)
        await asyncio.to_thread(subprocess.run, ["mount", "-o", "remount,size=256m", str(small_disk)], check=True,
                                timeout=10)  # fmt: skip
        panel.controller.retry(full.id)
        await until(lambda: full.state is not JobState.RUNNING, 30, "export retried")
        assert full.state is JobState.DONE and full.result is not None
        assert full.result.path.parent == small_disk and full.result.path.stat().st_size > 0

        # Share: a link for the part being played, on the clipboard.
        panel.share_selected(expires_in=3600, whole_recording=False)
        await until(lambda: QGuiApplication.clipboard().text().startswith("http"), 5, "link copied")
        assert player.current_item() is not None
        assert player.current_item().object_key in QGuiApplication.clipboard().text()  # type: ignore[union-attr]
        # The test archive listens on loopback: the operator is told the link works on this machine only.
        await until(lambda: "valid until" in panel.message.text(), 5, "link message")
        assert "opens only on this machine" in panel.message.text()
        player.stop()

    try:
        run(qasync_loop, scenario(), timeout=150)
    finally:
        close_panel(qasync_loop, panel)


def test_delete_is_refused_under_a_retention_lock_and_audited_when_allowed(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera: SyntheticCamera, minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    camera_id, recording_id = run(qasync_loop, record(core, mediamtx, 4))
    row = core.catalog.recording(recording_id)
    assert row is not None
    prefix = row.storage_prefix
    locked_camera = core.camera(camera_id)
    core.save_camera(Camera(locked_camera.name, locked_camera.source, locked_camera.id, None,
                            RetentionPolicy(7, locked=True)))  # fmt: skip
    panel = open_panel(qasync_loop, core, tmp_path)
    asked: list[str] = []
    panel.confirm = lambda title, question: asked.append(question) is None

    async def scenario() -> None:
        # Locked: refused without even asking, the reason shown and audited, the archive untouched.
        assert panel.select_recording(recording_id)
        assert not panel.delete_button.toolTip().startswith("Delete")
        panel.delete_selected()
        await until(lambda: "retention lock" in panel.message.text(), 5, "refusal shown")
        assert asked == []
        assert any(e[2] == "delete-refused" and e[3] == recording_id for e in core.catalog.audit_log())
        assert await core.storage.list_files(prefix)
        assert core.catalog.recording(recording_id) is not None and panel.model.index_of(recording_id).isValid()

        # Unlocked: asked, deleted from the archive and the list, audited.
        core.save_camera(Camera(locked_camera.name, locked_camera.source, locked_camera.id, None,
                                RetentionPolicy(7)))  # fmt: skip
        panel.delete_selected()
        await until(lambda: any(e[2] == "delete" and e[3] == recording_id for e in core.catalog.audit_log()), 10,
                    "deleted")  # fmt: skip
        assert len(asked) == 1 and "cannot be brought back" in asked[0]
        assert await core.storage.list_files(prefix) == []
        await until(lambda: not panel.model.is_loading and not panel.model.index_of(recording_id).isValid(), 5,
                    "gone from the table")  # fmt: skip
        assert core.catalog.recordings(camera_id=camera_id) == []

    try:
        run(qasync_loop, scenario(), timeout=60)
    finally:
        close_panel(qasync_loop, panel)


def test_refresh_from_archive_shows_another_workstations_recordings(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera: SyntheticCamera, minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    recorder = qt_core_factory(minio)
    camera_id, recording_id = run(qasync_loop, record(recorder, mediamtx, 4))
    # A second workstation: its own catalog, the same archive.
    viewer = qt_core_factory(minio, data_dir=tmp_path / "second")
    panel = open_panel(qasync_loop, viewer, tmp_path / "second-ui")

    async def scenario() -> None:
        assert panel.model.rowCount() == 0
        panel.refresh_from_archive()
        await until(lambda: panel.model.index_of(recording_id).isValid(), 10, "archive merged")
        row = panel.model.row_at(panel.model.index_of(recording_id).row())
        assert row is not None and row.state == "archived" and row.camera_name.startswith("front-door-")
        assert "found in the archive" in panel.message.text()
        # The recorder's camera, known here only from its archive prefix (name and the start of its id).
        assert row.camera_id == f"front-door-{camera_id[:8]}"
        assert row.camera_id in panel.timeline.rows  # and it has its own timeline row
        # And it plays from there.
        panel.select_recording(recording_id)
        panel.play_selected()
        await until(lambda: panel.player.state == "playing" and panel.player.has_picture(), 15, "plays")
        panel.player.stop()

    try:
        run(qasync_loop, scenario(), timeout=60)
    finally:
        close_panel(qasync_loop, panel)


def test_the_browser_follows_recordings_and_cameras_as_they_happen(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory, minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    camera_factory("cam1")
    camera_factory("cam2")
    panel = open_panel(qasync_loop, core, tmp_path)
    model = panel.model

    def shown(recording_id: str) -> dict[str, str] | None:
        index = model.index_of(recording_id)
        row = model.row_at(index.row()) if index.isValid() else None
        return {c: model.display(row, c) for c in model.COLUMNS} if row is not None else None

    def filter_ids() -> list[str]:
        return [panel.filters.camera.itemData(i) for i in range(panel.filters.camera.count())]

    async def scenario() -> None:
        await core.start()
        assert model.rowCount() == 0
        # A camera added after the panel opened is offered in the filter and gets a timeline row at once.
        gate = str(core.add_camera("Gate", mediamtx.endpoints.rtsp_url("cam1")).value.id)
        took = await until(lambda: gate in filter_ids() and gate in panel.timeline.rows, 2, "new camera listed")
        print(f"new camera in the filter and timeline after {took * 1000:.0f} ms")

        # A recording shows the moment it starts, as "recording", and its duration grows.
        started = await core.record(gate)
        assert started.is_success, started.error
        recording_id = str(started.value.id)
        took = await until(lambda: shown(recording_id) is not None, 2, "new recording listed")
        print(f"recording listed after {took * 1000:.0f} ms")
        first = shown(recording_id)
        assert first is not None and first["state"] == "recording" and first["end"] == "recording…"
        await until(lambda: panel.count_label.text() == "1 recording", 2, "counted")
        await until(lambda: (s := shown(recording_id)) is not None and s["duration"] != first["duration"], 3,
                    "duration grows")  # fmt: skip
        def drawn_recording() -> bool:
            data = panel.timeline.rows[gate].data
            return data is not None and any(span.state == "recording" for span in data.spans)

        await until(drawn_recording, 3, "the timeline draws it recording")

        # The operator's selection survives the re-reads, and so does the timeline's view of the day; a second
        # camera's recording joins the table.
        assert panel.select_recording(recording_id)
        panel.timeline.show_moment(started.value.started_at - timedelta(minutes=40), 3600)
        view = (panel.timeline.time_window.start, panel.timeline.time_window.seconds)
        yard = str(core.add_camera("Yard", mediamtx.endpoints.rtsp_url("cam2")).value.id)
        second = await core.record(yard)
        assert second.is_success, second.error
        await until(lambda: shown(str(second.value.id)) is not None and yard in panel.timeline.rows, 2, "second")
        await until(lambda: panel.count_label.text() == "2 recordings", 2, "count")
        selected = panel.selected_row()
        assert selected is not None and selected.id == recording_id
        assert (panel.timeline.time_window.start, panel.timeline.time_window.seconds) == view

        # Closed segments grow its size; stopping it ends it in the table, with no refresh asked for.
        await until(lambda: (s := shown(recording_id)) is not None and s["size"] != "0 B", 8, "size grows")
        await core.stop_recording(gate)
        await until(lambda: (s := shown(recording_id)) is not None and s["state"] != "recording", 2, "ended")
        await core.stop_recording(yard)

    try:
        run(qasync_loop, scenario(), timeout=60)
    finally:
        close_panel(qasync_loop, panel)


def segment_at_least(segments: list, count: int):  # type: ignore[no-untyped-def, type-arg]
    assert len(segments) > count, f"only {len(segments)} segments were recorded"
    return segments[count]


def slider_x(slider: object, fraction: float) -> float:
    """Where on `slider` (a QSlider) the handle's centre sits for `fraction` of its range."""
    from PySide6.QtWidgets import QStyle, QStyleOptionSlider

    option = QStyleOptionSlider()
    slider.initStyleOption(option)  # type: ignore[attr-defined]
    style = slider.style()  # type: ignore[attr-defined]
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, slider)
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider)
    return groove.x() + handle.width() / 2 + fraction * (groove.width() - handle.width())


def test_review_tools_jump_step_back_play_backwards_and_zoom_to_a_minute(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera: SyntheticCamera, minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    core = qt_core_factory(minio, tuning=dataclasses.replace(TEST_TUNING, keep_local=True))
    camera_id, recording_id = run(qasync_loop, record(core, mediamtx, 9))
    segments = core.catalog.segments(recording_id=recording_id)
    panel = open_panel(qasync_loop, core, tmp_path)
    player = panel.player

    def at() -> datetime:
        moment = player.current_time()
        assert moment is not None
        return moment

    async def scenario() -> None:
        assert panel.select_recording(recording_id)
        panel.play_selected()
        await until(lambda: player.state == "playing" and player.has_picture(), 15, "plays")
        player.pause()
        await until(lambda: player.state == "paused", 3, "paused")
        clip_start, clip_end = player.clip_start, player.clip_end
        assert clip_start is not None and clip_end is not None

        # A click on the seek bar jumps there (not a page step towards it).
        # (Aimed a second into a segment, so that the steps back below stay within it.)
        slider = player.slider
        aim = segment_at_least(segments, 3).start + timedelta(seconds=1)
        fraction = (aim - clip_start) / (clip_end - clip_start)
        QTest.mouseClick(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(slider_x(slider, fraction)), slider.height() // 2))  # fmt: skip
        wanted = clip_start + (clip_end - clip_start) * fraction
        await until(lambda: player.state != "loading" and abs((at() - wanted).total_seconds()) < 0.6, 10,
                    "the seek bar jumped to the click")  # fmt: skip
        player.pause()
        await until(lambda: player.state == "paused", 3, "paused again")

        # Step back: three frames earlier, each a different picture.
        await asyncio.sleep(0.3)
        before, picture = at(), screen_pixels(player.surface)
        for _ in range(3):
            player.previous_frame()
            await asyncio.sleep(0.25)
        await until(lambda: screen_pixels(player.surface) != picture, 2, "a step back shows another picture")
        stepped = (before - at()).total_seconds()
        print(f"three steps back: {stepped * 1000:.0f} ms earlier")
        assert 0.08 <= stepped <= 0.2 and player.state == "paused", stepped

        # Backwards, key frame by key frame, across a segment boundary.
        start = at()
        player.toggle_reverse()
        assert player.reversing
        await until(lambda: (start - at()).total_seconds() >= 2.5, 6, "plays backwards")
        assert player.state in ("paused", "loading")
        player.toggle_reverse()
        assert not player.reversing

        # The timeline zooms around the cursor from the whole day down to one minute.
        row = panel.timeline.rows[camera_id]
        track = row.geometry_for_time()
        moment = segments[1].start
        anchor = QPointF(track.x_for(moment), row.height() / 2)
        for _ in range(60):
            wheel(row, anchor, 1)
        assert panel.timeline.time_window.seconds == MIN_SPAN_SECONDS == 60
        track = row.geometry_for_time()
        assert abs((track.time_at(anchor.x()) - moment).total_seconds()) < 0.5
        assert any(rect.width() > 20 for _, rect in row.span_rects()), "the recording is in view"
        assert "1 min" in panel.timeline.zoom_label.text()
        player.stop()

    try:
        run(qasync_loop, scenario(), timeout=90)
    finally:
        close_panel(qasync_loop, panel)


def test_a_recording_is_bookmarked_from_the_browser_and_its_bookmark_drawn_on_the_timeline(
    qasync_loop: qasync.QEventLoop, offline_core: VidStreamCore, tmp_path: Path, themed: None
) -> None:
    from vidstream_desktop.recordings.timeline import BOOKMARK_COLOR

    catalog = offline_core.catalog
    [dock] = add_cameras(catalog, 1)
    midnight = local_day_start(date(2026, 1, 15))
    marked = add_recording(catalog, dock, midnight + timedelta(hours=2), [(0, 1800)])
    other = add_recording(catalog, dock, midnight + timedelta(hours=9), [(0, 1800)])
    panel = open_panel(qasync_loop, offline_core, tmp_path)
    view = panel.timeline

    async def scenario() -> None:
        assert panel.select_recording(marked) and panel.bookmark_button.isEnabled()
        view.show_day(date(2026, 1, 15))
        await until(lambda: not view.is_loading, 5, "timelines")
        row = view.rows[str(dock.id)]
        assert row.bookmark_rects() == []
        task = panel.bookmark_selected("Forklift", "pallet dropped")
        assert task is not None
        await task
        await until(lambda: bool(row.bookmark_rects()), 5, "the bookmark on the timeline")

        [(name, rect)] = row.bookmark_rects()
        track = row.geometry_for_time()
        assert name == "Forklift"
        assert abs(rect.left() - track.x_for(midnight + timedelta(hours=2))) < 1
        assert abs(rect.right() - track.x_for(midnight + timedelta(hours=2, minutes=30))) < 2
        image = row.grab().toImage()
        assert same_color(image, rect.center().x(), rect.center().y(), BOOKMARK_COLOR)
        nine_fifteen = track.x_for(midnight + timedelta(hours=9, minutes=15))
        assert not same_color(image, nine_fifteen, rect.center().y(), BOOKMARK_COLOR, tolerance=40), "not bookmarked"
        assert "Forklift" in panel.message.text()

        [saved] = catalog.bookmarks()
        assert saved.camera_ids == (str(dock.id),) and saved.note == "pallet dropped"
        assert any(e[2] == "bookmark-add" and e[3] == str(saved.id) for e in catalog.audit_log())
        # The bookmark keeps the recording: deleting it is refused, the other one is not.
        assert "bookmark 'Forklift'" in panel.delete_button.toolTip()
        assert panel.select_recording(other)
        assert panel.delete_button.toolTip() == "Delete this recording"

    try:
        run(qasync_loop, scenario(), timeout=30)
    finally:
        close_panel(qasync_loop, panel)
