"""The downloads list: one row per download or export with its progress, and cancel / resume / open."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vidstream_desktop.recordings.controller import DownloadJob, JobState
from vidstream_desktop.recordings.model import format_size

ERROR_HINTS = {
    "disk_full": QT_TRANSLATE_NOOP("DownloadRow", "Not enough disk space"),
    "unauthorized": QT_TRANSLATE_NOOP("DownloadRow", "The archive refused the credentials"),
    "unreachable": QT_TRANSLATE_NOOP("DownloadRow", "The archive cannot be reached"),
    "verification_failed": QT_TRANSLATE_NOOP("DownloadRow", "A downloaded part did not match the archive's checksum"),
    "not_found": QT_TRANSLATE_NOOP("DownloadRow", "Nothing to download"),
}


def elide_middle(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    keep = length - 1
    return text[: keep - keep // 2] + "…" + text[-(keep // 2) :]


class DownloadRow(QFrame):
    cancel_clicked = Signal(str)
    retry_clicked = Signal(str)

    def __init__(self, job: DownloadJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadRow")
        self.job_id = job.id
        self.title = QLabel(job.title, self)
        self.title.setObjectName("downloadTitle")
        self.title.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.detail = QLabel(self)
        self.detail.setObjectName("downloadDetail")
        self.detail.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(lambda: self.cancel_clicked.emit(self.job_id))
        self.retry_button = QPushButton(self.tr("Resume"), self)
        self.retry_button.setToolTip(self.tr("Start again; what was already downloaded is kept"))
        self.retry_button.clicked.connect(lambda: self.retry_clicked.emit(self.job_id))
        self.open_button = QPushButton(self.tr("Show"), self)
        self.open_button.setToolTip(self.tr("Open the folder holding the file"))
        self.open_button.clicked.connect(self._open_folder)
        self._folder = job.folder

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.detail, 1)
        for button in (self.cancel_button, self.retry_button, self.open_button):
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.update_from(job)

    def update_from(self, job: DownloadJob) -> None:
        running = job.state is JobState.RUNNING
        if job.total_bytes:
            self.bar.setValue(int(1000 * min(job.done_bytes / job.total_bytes, 1.0)))
        if running and job.destination is not None:  # an evidence package counts its progress per camera
            self.detail.setText(self.tr("{0} %").format(job.done_bytes * 100 // max(job.total_bytes, 1))
                                if job.total_bytes else self.tr("Preparing…"))  # fmt: skip
        elif running:
            self.detail.setText(self.tr("{done} of {total}").format(
                done=format_size(job.done_bytes), total=format_size(job.total_bytes)) if job.total_bytes
                else self.tr("Preparing…"))  # fmt: skip
        elif job.state is JobState.DONE and job.evidence is not None:
            self.bar.setValue(1000)
            self._folder = job.evidence.path.parent
            self.detail.setText(self.tr("Signed {name}: {files} file(s), {size}").format(
                name=elide_middle(job.evidence.path.name, 30), files=job.evidence.files,
                size=format_size(job.evidence.size)))  # fmt: skip
            self.detail.setToolTip(self.tr("{path}\nsigned by {key}; check it with `vidstream verify`").format(
                path=job.evidence.path, key=job.evidence.fingerprint))  # fmt: skip
        elif job.state is JobState.DONE and job.result is not None:
            self.bar.setValue(1000)
            self._folder = job.result.path.parent
            self.detail.setText(self.tr("Saved {name} ({size})").format(
                name=elide_middle(job.result.path.name, 30), size=format_size(job.result.size)))  # fmt: skip
            if (lost := job.result.missing_segments) > 0:
                note = self.tr("1 lost part left out") if lost == 1 else self.tr("%n lost parts left out", "", lost)
                self.detail.setText(f"{self.detail.text()} · {note}")
            self.detail.setToolTip(str(job.result.path))
        elif job.state is JobState.CANCELLED:
            self.detail.setText(self.tr("Cancelled. Resume continues where it stopped."))
        else:
            hint = ERROR_HINTS.get(job.error_kind)
            self.detail.setText(f"{self.tr(str(hint))}: {job.error}" if hint else job.error)
        self.detail.setProperty("failed", job.state is JobState.FAILED)
        self.cancel_button.setVisible(running)
        self.retry_button.setVisible(job.state in (JobState.FAILED, JobState.CANCELLED))
        self.open_button.setVisible(job.state is JobState.DONE)

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))


class DownloadsList(QWidget):
    cancel_requested = Signal(str)
    retry_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadsList")
        self.rows: dict[str, DownloadRow] = {}
        heading = QLabel(self.tr("Downloads"), self)
        heading.setObjectName("sectionHeading")
        self._empty = QLabel(self.tr("Downloads and exports appear here."), self)
        self._empty.setObjectName("downloadsEmpty")
        self._empty.setWordWrap(True)
        self._host = QWidget(self)
        self._rows_layout = QVBoxLayout(self._host)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(4)
        self._rows_layout.addWidget(self._empty)
        self._rows_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)

    def add(self, job: DownloadJob) -> DownloadRow:
        row = DownloadRow(job, self._host)
        row.cancel_clicked.connect(self.cancel_requested)
        row.retry_clicked.connect(self.retry_requested)
        self.rows[job.id] = row
        self._rows_layout.insertWidget(0, row)
        self._empty.hide()
        return row

    def update_job(self, job: DownloadJob) -> None:
        row = self.rows.get(job.id)
        if row is not None:
            row.update_from(job)
