"""The recordings browser: find footage by camera and time, play it, download or export it, share a
link to it, or delete it under the retention rules. `RecordingsPanel` is the tab the main window adds."""

from vidstream_desktop.recordings.panel import RecordingsPanel

__all__ = ["RecordingsPanel"]
