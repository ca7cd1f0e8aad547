"""Domain model: entities, value objects and rules. Knows no I/O library."""

from video_streaming.domain.camera import Camera, SourceUrl, mask_url, parse_source_url, segment_key
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.recording import Recording, RecordingStatus
from video_streaming.domain.result import Failure, Result
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.domain.stream import Stream, StreamStatus

__all__ = [
    "Camera",
    "Failure",
    "Recording",
    "RecordingStatus",
    "Result",
    "RetentionPolicy",
    "SourceUrl",
    "Stream",
    "StreamStatus",
    "VidStreamError",
    "mask_url",
    "parse_source_url",
    "segment_key",
]
