"""Which live stream each camera plays on right now: shared by the live streams (which fill it) and the
site sync (which points a site's cameras at the paths their recorder streams them on)."""

from __future__ import annotations

from dataclasses import dataclass, field

from video_streaming.domain.stream import Stream


@dataclass
class StreamTable:
    main: dict[str, Stream] = field(default_factory=dict)  # camera id -> main stream (recorded, shown big)
    sub: dict[str, Stream] = field(default_factory=dict)  # camera id -> sub-stream (small tiles), when it has one
    from_sites: set[str] = field(default_factory=set)  # cameras whose streams play from a remote site

    def kind(self, sub_stream: bool) -> dict[str, Stream]:
        return self.sub if sub_stream else self.main

    def shown(self, camera_id: str, sub_stream: bool = False) -> Stream | None:
        """The stream a tile plays: the sub-stream when asked for and there is one, else the main one."""
        return (self.sub.get(camera_id) if sub_stream else None) or self.main.get(camera_id)

    def own(self) -> list[Stream]:
        """This machine's own streams (the ones it provisions on its media server)."""
        return [s for c, s in [*self.main.items(), *self.sub.items()] if c not in self.from_sites]

    def playing_from_sites(self) -> list[tuple[str, Stream]]:
        return [(c, s) for c, s in [*self.main.items(), *self.sub.items()] if c in self.from_sites]
