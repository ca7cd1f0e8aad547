"""Small dialogs of the recordings browser: export a time range, export signed evidence, share a link, name a
bookmark."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

# (seconds, label) offered for shared links; S3 caps presigned links at 7 days.
SHARE_EXPIRIES = (
    (3600, QT_TRANSLATE_NOOP("ShareDialog", "1 hour")),
    (6 * 3600, QT_TRANSLATE_NOOP("ShareDialog", "6 hours")),
    (24 * 3600, QT_TRANSLATE_NOOP("ShareDialog", "1 day")),
    (3 * 86400, QT_TRANSLATE_NOOP("ShareDialog", "3 days")),
    (7 * 86400, QT_TRANSLATE_NOOP("ShareDialog", "7 days")),
)


def default_download_folder() -> Path:
    movies = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
    return Path(movies or Path.home()) / "VidStream"


def to_qdatetime(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class FolderField(QWidget):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(str(folder), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    @property
    def folder(self) -> Path:
        return Path(self.edit.text()).expanduser()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Save in"), self.edit.text())
        if chosen:
            self.edit.setText(chosen)


class ExportDialog(QDialog):
    """Camera, from, to and folder for a range export."""

    def __init__(
        self,
        cameras: list[tuple[str, str]],
        camera_id: str | None,
        start: datetime,
        end: datetime,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export a time range"))
        self.camera = QComboBox(self)
        for identifier, name in cameras:
            self.camera.addItem(name, identifier)
        if camera_id is not None and (index := self.camera.findData(camera_id)) >= 0:
            self.camera.setCurrentIndex(index)
        self.start = QDateTimeEdit(to_qdatetime(start), self)
        self.end = QDateTimeEdit(to_qdatetime(end), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
            edit.setCalendarPopup(True)
        self.folder = FolderField(folder, self)
        note = QLabel(self.tr("Segments are joined without re-encoding: the clip begins at the key frame "
                              "before the start (players start at the start itself)."), self)  # fmt: skip
        note.setWordWrap(True)
        note.setObjectName("dialogNote")
        self.problem = QLabel(self)
        self.problem.setObjectName("dialogProblem")
        form = QFormLayout()
        form.addRow(self.tr("Camera"), self.camera)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Save in"), self.folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def values(self) -> tuple[str, datetime, datetime, Path]:
        return (str(self.camera.currentData()), from_qdatetime(self.start.dateTime()),
                from_qdatetime(self.end.dateTime()), self.folder.folder)  # fmt: skip

    def _accept(self) -> None:
        _, start, end, _ = self.values()
        if end <= start:
            self.problem.setText(self.tr("The end must come after the start."))
            return
        self.accept()


class EvidenceDialog(QDialog):
    """Cameras (ticked), from, to and where: a signed evidence package (a folder, or one ZIP), optionally with a
    copy of each camera's footage that has its name and the time burnt in (re-encoded; the copies without
    stay the evidence)."""

    def __init__(
        self,
        cameras: list[tuple[str, str]],
        chosen: list[str],
        start: datetime,
        end: datetime,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export evidence"))
        self.cameras = QListWidget(self)
        self.cameras.setObjectName("evidenceCameras")
        for identifier, name in cameras:
            item = QListWidgetItem(name, self.cameras)
            item.setData(Qt.ItemDataRole.UserRole, identifier)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if identifier in chosen else Qt.CheckState.Unchecked)
        self.start = QDateTimeEdit(to_qdatetime(start), self)
        self.end = QDateTimeEdit(to_qdatetime(end), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
            edit.setCalendarPopup(True)
        self.folder = FolderField(folder, self)
        self.name = QLineEdit(f"evidence-{start.astimezone():%Y%m%d-%H%M%S}", self)
        self.as_zip = QCheckBox(self.tr("As one ZIP file"), self)
        self.overlay = QCheckBox(self.tr("Also a copy with the camera name and time burnt in (re-encoded)"), self)
        note = QLabel(self.tr("One MP4 per camera, not re-encoded, with a manifest of their SHA-256 sums signed by "
                              "this workstation's key; `vidstream verify` checks it."), self)  # fmt: skip
        note.setWordWrap(True)
        note.setObjectName("dialogNote")
        self.problem = QLabel(self)
        self.problem.setObjectName("dialogProblem")
        form = QFormLayout()
        form.addRow(self.tr("Cameras"), self.cameras)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Save in"), self.folder)
        form.addRow(self.tr("Name"), self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.as_zip)
        layout.addWidget(self.overlay)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def chosen_cameras(self) -> list[str]:
        items = (self.cameras.item(row) for row in range(self.cameras.count()))
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items
                if item.checkState() == Qt.CheckState.Checked]  # fmt: skip

    def values(self) -> tuple[list[str], datetime, datetime, Path, bool]:
        """(camera ids, start, end, the package's path, with the burnt-in copies)."""
        name = self.name.text().strip()
        if self.as_zip.isChecked() and not name.lower().endswith(".zip"):
            name += ".zip"
        return (self.chosen_cameras(), from_qdatetime(self.start.dateTime()), from_qdatetime(self.end.dateTime()),
                self.folder.folder / name, self.overlay.isChecked())  # fmt: skip

    def _accept(self) -> None:
        cameras, start, end, target, _ = self.values()
        if not cameras:
            self.problem.setText(self.tr("Tick at least one camera."))
        elif end <= start:
            self.problem.setText(self.tr("The end must come after the start."))
        elif not self.name.text().strip() or "/" in self.name.text():
            self.problem.setText(self.tr("Give the package a name (no slashes)."))
        elif target.exists():
            self.problem.setText(self.tr("{0} exists already: choose another name.").format(target.name))
        else:
            self.accept()


class ShareDialog(QDialog):
    """How long the link lasts, and whether it covers the clip at the playhead or the whole recording."""

    def __init__(self, what: str, has_clip: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Share a link"))
        self.expiry = QComboBox(self)
        for seconds, label in SHARE_EXPIRIES:
            self.expiry.addItem(self.tr(str(label)), seconds)
        self.clip = QRadioButton(self.tr("The part being played (one link)"), self)
        self.whole = QRadioButton(self.tr("The whole recording (one link per part)"), self)
        self.clip.setEnabled(has_clip)
        (self.clip if has_clip else self.whole).setChecked(True)
        intro = QLabel(self.tr("A link to {what} that anyone holding it can open until it expires. "
                               "Links last at most 7 days.").format(what=what), self)  # fmt: skip
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Valid for"), self.expiry)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Copy link"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.clip)
        layout.addWidget(self.whole)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @property
    def seconds(self) -> int:
        return int(self.expiry.currentData())

    @property
    def whole_recording(self) -> bool:
        return self.whole.isChecked()


class BookmarkDialog(QDialog):
    """A name and a note for a bookmark of what `what` says; with a `span`, also its time range (the wall's
    bookmark: the selected recording's range is its own)."""

    def __init__(
        self, what: str, parent: QWidget | None = None, span: tuple[datetime, datetime] | None = None
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Bookmark"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("e.g. Forklift at the loading dock"))
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setPlaceholderText(self.tr("What happened, case number, who asked…"))
        form = QFormLayout()
        form.addRow(QLabel(what, self))
        form.addRow(self.tr("Name"), self.name_edit)
        self.span_edits: tuple[QDateTimeEdit, QDateTimeEdit] | None = None
        if span is not None:
            self.span_edits = (QDateTimeEdit(to_qdatetime(span[0]), self), QDateTimeEdit(to_qdatetime(span[1]), self))
            for edit in self.span_edits:
                edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
                edit.setCalendarPopup(True)
            form.addRow(self.tr("From"), self.span_edits[0])
            form.addRow(self.tr("To"), self.span_edits[1])
        form.addRow(self.tr("Note"), self.note_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, str]:
        return self.name_edit.text().strip(), self.note_edit.toPlainText().strip()

    def span(self) -> tuple[datetime, datetime] | None:
        if self.span_edits is None:
            return None
        return from_qdatetime(self.span_edits[0].dateTime()), from_qdatetime(self.span_edits[1].dateTime())
