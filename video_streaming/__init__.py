"""video_streaming: live streaming with MediaMTX, recording with FFmpeg, archive on S3/MinIO.

The names of the seed API are importable from here; see README.md for the quick start."""

from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.adapters.local_storage import LocalFolderStorage
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.adapters.s3 import S3Storage
from video_streaming.domain.camera import Camera, mask_url
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.recording import Recording, RecordingStatus
from video_streaming.domain.result import Failure, Result
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.domain.stream import Stream, StreamStatus
from video_streaming.ports import FFmpegService, MediaMTXClient, StorageService
from video_streaming.service import PlaybackUrls, StreamingService

__all__ = [
    "Camera",
    "FFmpegRecorder",
    "FFmpegService",
    "Failure",
    "LocalFolderStorage",
    "MediaMTXClient",
    "MediaMTXClientImpl",
    "PlaybackUrls",
    "Recording",
    "RecordingStatus",
    "Result",
    "RetentionPolicy",
    "S3Storage",
    "StorageService",
    "Stream",
    "StreamStatus",
    "StreamingService",
    "VidStreamError",
    "mask_url",
]
