"""Logging with secrets masked: whatever a message holds, camera passwords never reach a log."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from video_streaming.domain.camera import mask_url
from video_streaming.private_files import PRIVATE_FILE_MODE, private_dir


class MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_url(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask_url(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(level: int = logging.INFO, log_file: Path | None = None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        private_dir(log_file.parent)
        for existing in log_file.parent.glob(f"{log_file.name}*"):  # an older install's logs were 0644
            if existing.is_file() and not existing.is_symlink() and existing.stat().st_uid == os.geteuid():
                existing.chmod(PRIVATE_FILE_MODE)
        os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, PRIVATE_FILE_MODE))
        handlers.append(logging.handlers.RotatingFileHandler(log_file, maxBytes=5 * 2**20, backupCount=3))
    for handler in handlers:
        handler.addFilter(MaskSecrets())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=handlers, force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per API poll is noise
    logging.getLogger("botocore").setLevel(logging.WARNING)
