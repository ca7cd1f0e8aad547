"""The Bookmarks tab on the real core (MinIO, MediaMTX): a bookmark made in the browser appears at once, the
search matches names and notes as the operator types, Play opens the recordings browser at the bookmark's
start, Remove asks, then removes it (audited) from the list and the catalog, and "Bookmark the wall…" marks
every camera on the wall at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import qasync
from PySide6.QtTest import QTest

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from video_streaming.domain.clock import utc_now
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from vidstream_desktop.bookmarks_panel import BookmarkControls
from vidstream_desktop.main_window import MainWindow

pytestmark = pytest.mark.gui


def rows(controls: BookmarkControls) -> list[str]:
    panel = controls.panel
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def test_bookmarks_are_listed_searched_played_and_removed(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    dock = core.add_camera("Dock", mediamtx.endpoints.rtsp_url("dock")).value
    gate = core.add_camera("Gate", mediamtx.endpoints.rtsp_url("gate")).value

    async def scenario() -> None:
        await core.start()
        await window.attach_core(core).populate()
        controls = window.bookmarks
        assert controls is not None and window.recordings_panel is not None
        panel = controls.panel
        await until(lambda: controls.searches >= 1, 10, "the first listing")
        assert rows(controls) == [] and "No bookmarks yet" in panel.status.text()
        assert not panel.play_button.isEnabled() and not panel.remove_button.isEnabled()

        # Made through the browser's controller, as its Bookmark… button does: the tab lists them by itself.
        browser = window.recordings_panel.controller  # type: ignore[attr-defined]
        now = utc_now().replace(microsecond=0)
        await browser.bookmark("Forklift incident", [str(dock.id)], now - timedelta(minutes=30),
                               now - timedelta(minutes=28), note="pallet dropped near door 3")  # fmt: skip
        await browser.bookmark("Night patrol", [str(dock.id), str(gate.id)], now - timedelta(hours=2),
                               now - timedelta(hours=1))  # fmt: skip
        await until(lambda: len(rows(controls)) == 2, 10, "both bookmarks listed")
        assert rows(controls)[0].startswith("Forklift incident") and "Dock" in rows(controls)[0]
        assert "Dock, Gate" in rows(controls)[1], "a layout bookmark names all its cameras"

        # The search matches the note, case-insensitively, once typing pauses.
        answered = controls.searches
        QTest.keyClicks(panel.search, "PALLET")
        await until(lambda: controls.searches > answered and len(rows(controls)) == 1, 10, "searched by note")
        assert rows(controls)[0].startswith("Forklift incident") and "door 3" in rows(controls)[0]
        panel.search.clear()
        QTest.keyClicks(panel.search, "nothing like it")
        await until(lambda: rows(controls) == [], 10, "no match")
        assert "nothing like it" in panel.status.text()
        panel.search.clear()
        await until(lambda: len(rows(controls)) == 2, 10, "all again")

        # Play: the recordings browser at the bookmark's start (this camera recorded nothing, and says so).
        panel.list.setCurrentRow(0)
        assert panel.play_button.isEnabled()
        panel.play_button.click()
        assert window.tabs.currentWidget() is window.recordings_panel
        message = window.recordings_panel.message  # type: ignore[attr-defined]
        await until(lambda: "Dock recorded nothing after" in message.text(), 10, "the browser's answer")
        start = (now - timedelta(minutes=30)).astimezone()
        assert f"{start:%H:%M:%S}" in message.text()

        # Remove: "No" keeps it; "Yes" removes it from the list and the catalog, audited. The question's answers
        # are given here: a modal box's own event loop inside a test's run_until_complete stops the wrong loop.
        asked: list[str] = []
        controls.confirm = lambda bookmark: asked.append(bookmark.name) or False
        panel.remove_button.click()
        assert asked == ["Forklift incident"]
        assert len(rows(controls)) == 2 and len(core.catalog.bookmarks()) == 2
        controls.confirm = lambda bookmark: asked.append(bookmark.name) or True
        panel.remove_button.click()
        await until(lambda: len(rows(controls)) == 1, 10, "removed from the list")
        assert rows(controls)[0].startswith("Night patrol")
        assert "Removed “Forklift incident”" in panel.status.text()
        assert [b.name for b in core.catalog.bookmarks()] == ["Night patrol"]
        assert any(action == "bookmark-remove" for _, _, action, _, _ in core.catalog.audit_log())

        # The whole wall at once: every camera on its tiles, over the range given.
        assert sorted(t.camera_id for t in window.grid.tiles() if t.camera_id) == sorted([str(dock.id), str(gate.id)])
        refused = controls.bookmark_wall(name="  ", span=(now - timedelta(minutes=10), now))
        assert refused is not None
        await refused
        assert "Not bookmarked: a bookmark needs a name" in panel.status.text()
        made = controls.bookmark_wall(name="Shift change", note="", span=(now - timedelta(minutes=10), now))
        assert made is not None
        await made
        assert "Bookmarked “Shift change” on 2 camera(s)" in panel.status.text()
        await until(lambda: len(rows(controls)) == 2, 10, "the wall's bookmark listed")
        assert rows(controls)[0].startswith("Shift change") and rows(controls)[0].count("Dock") == 1
        shift = next(b for b in core.catalog.bookmarks() if b.name == "Shift change")
        assert set(shift.camera_ids) == {str(dock.id), str(gate.id)}
        assert (shift.start, shift.end) == (now - timedelta(minutes=10), now)

    run(qasync_loop, scenario(), timeout=90)
