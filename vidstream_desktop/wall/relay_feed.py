"""The relay behind one tile's player (Transport.RELAY): opened, swapped for one with sound, closed, and
its reports carried from the relay's supervising thread to the Qt thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from video_streaming.ports import LiveRelay, LiveRelays, RelayStatus
from vidstream_desktop.wall.vlc_backend import shared_relays


class RelayFeed(QObject):
    status_changed = Signal(object)  # RelayStatus of the current relay, on the Qt thread
    _reported = Signal(object, object)  # relay token, RelayStatus; from the relay's thread

    def __init__(self, relays: LiveRelays | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relays = relays
        self._relay: LiveRelay | None = None
        self._token: object = None  # tells the current relay's reports from a former one's
        self._reported.connect(self._on_reported, Qt.ConnectionType.QueuedConnection)

    @property
    def relay(self) -> LiveRelay | None:
        return self._relay

    def open(self, url: str, audio: bool, video_codec: str | None = None) -> LiveRelay:
        """Close the current relay, if any, and start one for `url`. OSError when it cannot start."""
        self.close()
        token = object()
        self._token = token
        relays = self._relays or shared_relays()
        self._relay = relays.open(url, self._listener(token), audio=audio, video_codec=video_codec)
        return self._relay

    def close(self) -> None:
        relay, self._relay, self._token = self._relay, None, None
        if relay is not None:
            relay.close()  # kills its ffmpeg at once; the relay's own thread reaps it

    def _listener(self, token: object) -> Callable[[RelayStatus], None]:
        emit = self._reported.emit

        def on_status(status: RelayStatus) -> None:
            # On the relay's thread. Its last report ("closed") may come after this object was deleted.
            with contextlib.suppress(RuntimeError):
                emit(token, status)

        return on_status

    @Slot(object, object)
    def _on_reported(self, token: object, status: RelayStatus) -> None:
        if token is self._token and self._relay is not None:
            self.status_changed.emit(status)
