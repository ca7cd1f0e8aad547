"""Alerts and catalog changes, told to whoever listens (the desktop's alert list and recordings browser,
`vidstream serve`'s log). The lowest application service: every other one announces through it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from video_streaming.domain.camera import mask_url

log = logging.getLogger(__name__)
Alert = Callable[[str, str], None]  # (level, message): "error" / "warning" / "info"


@dataclass(frozen=True)
class CatalogChange:
    """What changed in the catalog, told to listeners the moment it happens (the recordings browser follows
    recordings as they start, grow and end without polling). `what` is one of CHANGE_KINDS."""

    what: str
    camera_id: str = ""
    recording_id: str = ""


CHANGE_KINDS = ("camera", "recording-started", "recording-ended", "segment", "gap", "archive-merged")
ChangeListener = Callable[[CatalogChange], None]
_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING}


@dataclass
class Announcer:
    alert_listeners: list[Alert] = field(default_factory=list)
    change_listeners: list[ChangeListener] = field(default_factory=list)

    def alert(self, level: str, message: str) -> None:
        """Log and tell every alert listener; a camera URL's password never gets through (masked)."""
        shown = mask_url(message)
        log.log(_LEVELS.get(level, logging.INFO), "%s", shown)
        for listener in list(self.alert_listeners):
            listener(level, shown)

    def changed(self, what: str, camera_id: str = "", recording_id: str = "") -> None:
        """Tell every change listener; one that fails is logged and never stops the recorder."""
        change = CatalogChange(what, camera_id, recording_id)
        for listener in list(self.change_listeners):
            try:
                listener(change)
            except Exception:
                log.exception("a catalog change listener failed")
