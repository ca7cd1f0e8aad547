"""The pure motion code: detector, event tracker, tamper watch, search grid, the catalog's motion tables."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from video_streaming.catalog import SCHEMA_VERSION, Catalog
from video_streaming.domain.errors import InvalidInput
from video_streaming.motion.detector import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GRID_BYTES,
    MotionDetector,
    MotionSettings,
    grid_of_polygon,
    rasterize_polygons,
)
from video_streaming.motion.events import MotionEventTracker, Tamper, TamperWatch
from video_streaming.motion.grid import CHUNK_SECONDS, GridAccumulator, moments_in_region
from video_streaming.motion.store import MotionStore

RNG = np.random.default_rng(7)


def scene(block_x: int | None = None, noise: float = 4.0, level: int = 110) -> np.ndarray:
    picture = np.full((FRAME_HEIGHT, FRAME_WIDTH), level, dtype=np.float32)
    picture[120:, :] = 50
    picture[40:80, 200:230] = 170
    if block_x is not None:
        picture[90:120, block_x : block_x + 30] = 240
    picture += RNG.normal(0, noise, picture.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)


def test_a_moving_block_is_motion_and_a_noisy_still_scene_is_not() -> None:
    detector = MotionDetector(MotionSettings())
    still = [detector.process(scene()) for _ in range(20)]
    assert not any(m.moving for m in still)
    moving = [detector.process(scene(block_x=40 + 8 * i)) for i in range(10)]
    assert all(m.moving for m in moving[1:])
    region = moving[-1].regions[0]
    assert 0.3 < region.left < 0.5 and 0.45 < region.top < 0.55 and region.bottom < 0.7


def test_a_stopped_object_ends_the_motion_at_once() -> None:
    detector = MotionDetector(MotionSettings())
    for i in range(10):
        detector.process(scene(block_x=40 + 8 * i))
    after = [detector.process(scene(block_x=40 + 8 * 9)) for _ in range(5)]
    assert not any(m.moving for m in after[1:])


def test_motion_inside_a_mask_is_ignored() -> None:
    mask = ((0.0, 0.4), (0.7, 0.4), (0.7, 0.75), (0.0, 0.75))
    detector = MotionDetector(MotionSettings(masks=(mask,)))
    results = [detector.process(scene(block_x=40 + 8 * i)) for i in range(10)]
    assert not any(m.moving for m in results)


def test_small_changes_under_the_minimum_area_are_not_motion() -> None:
    detector = MotionDetector(MotionSettings(min_area=0.05))  # the 30x30 block is 1.6 % of the picture
    assert not any(detector.process(scene(block_x=40 + 8 * i)).moving for i in range(10))


def test_a_light_switch_recalibrates_instead_of_reporting_the_whole_frame() -> None:
    detector = MotionDetector(MotionSettings())
    for _ in range(5):
        detector.process(scene())
    flash = detector.process(scene(level=200) // 2 + 100)
    assert flash.recalibrated and not flash.moving
    assert not any(detector.process(scene(level=200) // 2 + 100).moving for _ in range(5))


def faint_scene(block_x: int) -> np.ndarray:
    """The scene with a block only 28 grey levels brighter than the wall behind it (a person in dim light)."""
    picture = scene(noise=2.0)
    picture[90:120, block_x : block_x + 30] = np.clip(picture[90:120, block_x : block_x + 30].astype(int) + 28, 0, 255)
    return picture


@pytest.mark.parametrize(("sensitivity", "moving"), [(90, True), (10, False)])
def test_sensitivity_decides_whether_a_faint_change_is_motion(sensitivity: int, moving: bool) -> None:
    detector = MotionDetector(MotionSettings(sensitivity=sensitivity))
    for _ in range(20):
        assert not detector.process(scene(noise=2.0)).moving
    results = [detector.process(faint_scene(40 + 8 * i)) for i in range(10)]
    assert all(m.moving for m in results[1:]) if moving else not any(m.moving for m in results)


def test_settings_refuse_bad_values() -> None:
    with pytest.raises(InvalidInput):
        MotionSettings(sensitivity=0)
    with pytest.raises(InvalidInput):
        MotionSettings(min_area=0)
    with pytest.raises(InvalidInput):
        MotionSettings(masks=(((0.0, 0.0), (1.0, 1.0)),))
    with pytest.raises(InvalidInput):
        MotionSettings(masks=(((0.0, 0.0), (1.5, 0.0), (1.0, 1.0)),))
    assert MotionSettings(sensitivity=100).threshold < MotionSettings(sensitivity=1).threshold


def test_polygons_rasterize_by_pixel_centres() -> None:
    triangle = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))
    inside = rasterize_polygons((triangle,), 10, 10)
    assert inside[0, 0] and not inside[9, 9] and 45 <= inside.sum() <= 55  # centres on the diagonal: either


def test_the_tracker_opens_on_the_first_moving_frame_and_ends_on_the_last() -> None:
    detector = MotionDetector(MotionSettings())
    tracker = MotionEventTracker("cam", end_after=1.0)
    started, ended = [], []
    t = 100.0
    frames = [scene() for _ in range(5)] + [scene(block_x=40 + 8 * i) for i in range(10)] + [scene() for _ in range(8)]
    for frame in frames:
        begin, end = tracker.update(t, detector.process(frame), frame)
        started += [begin] if begin else []
        ended += [end] if end else []
        t += 0.2
    assert len(started) == 1 and len(ended) == 1
    event = ended[0]
    assert event.start == pytest.approx(100.0 + 5 * 0.2)  # frame 5: the block appears
    assert event.end is not None and event.end == pytest.approx(100.0 + 14 * 0.2)  # frame 14: its last move
    assert event.thumbnail is not None and event.regions


def test_tamper_watch_frozen_blinded_and_moved() -> None:
    watch = TamperWatch(frozen_after=1.0, blinded_after=1.0, moved_after=1.0)
    detector = MotionDetector(MotionSettings())
    frozen = scene()
    changes = []
    for i in range(8):
        changes += watch.update(i * 0.2, frozen, detector.process(frozen))
    assert changes == [(Tamper.FROZEN, True)]
    changes = watch.update(2.0, scene(), detector.process(scene()))
    assert changes == [(Tamper.FROZEN, False)]
    dark = np.full((FRAME_HEIGHT, FRAME_WIDTH), 3, dtype=np.uint8) + RNG.integers(0, 3, (FRAME_HEIGHT, FRAME_WIDTH))
    changes = []
    for i in range(8):
        frame = dark.astype(np.uint8) ^ np.uint8(i % 2)
        changes += watch.update(3.0 + i * 0.2, frame, detector.process(frame))
    assert (Tamper.BLINDED, True) in changes
    turned = np.flipud(scene(level=180))
    watch = TamperWatch(moved_after=1.0)
    detector = MotionDetector(MotionSettings())
    for i in range(5):
        watch.update(i * 0.2, scene(), detector.process(scene()))
    changes = []
    for i in range(8):
        view = np.flipud(scene(level=180)) if i else turned
        changes += watch.update(1.0 + i * 0.2, view, detector.process(view))
    assert changes == [(Tamper.MOVED, True)]


def test_a_covered_lens_is_blinded_not_moved() -> None:
    """Covering the lens changes the whole picture and it stays changed, like a turned camera; it is one alert."""
    watch = TamperWatch(blinded_after=1.0, moved_after=1.0)
    detector = MotionDetector(MotionSettings())
    for i in range(5):
        watch.update(i * 0.2, scene(), detector.process(scene()))
    changes = []
    for i in range(10):
        covered = (np.full((FRAME_HEIGHT, FRAME_WIDTH), 20) + RNG.integers(0, 4, (FRAME_HEIGHT, FRAME_WIDTH))).astype(
            np.uint8
        )
        changes += watch.update(1.0 + i * 0.2, covered, detector.process(covered))
    assert changes == [(Tamper.BLINDED, True)]


def test_grid_search_finds_exactly_the_marked_seconds_in_the_region() -> None:
    left_half = ((0.0, 0.0), (0.5, 0.0), (0.5, 1.0), (0.0, 1.0))
    right_half = ((0.5, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5, 1.0))
    left, right = grid_of_polygon(left_half), grid_of_polygon(right_half)
    assert len(left) == GRID_BYTES and not any(a & b for a, b in zip(left, right, strict=True))
    accumulator = GridAccumulator("cam")
    stored = []
    origin = 1_700_000_040  # a multiple of 60
    for second in range(0, 200):
        grid = left if 50 <= second < 53 or 130 <= second < 131 else bytes(GRID_BYTES)
        for frame in range(5):
            chunk = accumulator.add(origin + second + frame * 0.2, grid)
            if chunk:
                stored.append((chunk.start, chunk.encode()))
    last = accumulator.flush()
    assert last is None or last.start >= origin + 180  # quiet chunks are not kept
    assert moments_in_region(stored, left, origin, origin + 200) == [
        (origin + 50, origin + 53), (origin + 130, origin + 131),
    ]  # fmt: skip
    assert moments_in_region(stored, right, origin, origin + 200) == []
    assert moments_in_region(stored, left, origin + 100, origin + 200) == [(origin + 130, origin + 131)]
    assert all(start % CHUNK_SECONDS == 0 for start, _ in stored)


def test_events_survive_in_the_catalog_with_their_thumbnail() -> None:
    catalog = Catalog(":memory:")
    store = MotionStore(catalog)
    detector = MotionDetector(MotionSettings())
    tracker = MotionEventTracker("cam")
    t = 1_700_000_000.0
    for frame in [scene()] + [scene(block_x=40 + 8 * i) for i in range(5)] + [scene()] * 7:
        begin, end = tracker.update(t, detector.process(frame), frame)
        if begin:
            store.add_event(begin)
        if end:
            store.finish_event(end)
        t += 0.2
    events = store.events("cam", since=datetime.fromtimestamp(1_699_999_000, UTC))
    assert len(events) == 1 and events[0].end is not None and events[0].regions
    assert store.events("other") == []
    thumbnail = store.thumbnail(events[0].id)
    assert thumbnail is not None and thumbnail.startswith(b"P5 320 180 255\n")


def test_a_version_2_catalog_gains_the_motion_tables(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "catalog.sqlite3"
    Catalog(path).close()
    with sqlite3.connect(path) as db:  # as a catalog written before motion detection
        db.executescript(
            "DROP TABLE motion_events; DROP TABLE motion_grid; DROP TABLE motion_settings; PRAGMA user_version=2;"
        )
    catalog = Catalog(path)
    store = MotionStore(catalog)
    store.save_settings("cam", MotionSettings(sensitivity=60))
    assert store.settings("cam").sensitivity == 60 and store.settings("other").enabled is False
    assert catalog.db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
