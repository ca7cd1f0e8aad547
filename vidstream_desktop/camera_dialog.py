"""Add / edit a camera: name, URL, credentials (kept in the keyring, masked), sub-stream, retention,
transport, a "Test connection" that probes the source through MediaMTX, (given the ONVIF service) the URLs
read from an ONVIF camera's profiles, and (given its motion settings) a Motion tab: on/off, sensitivity,
smallest area and masks drawn on a still frame of the camera."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from video_streaming.domain.camera import RecordingMode, parse_source_url, validate_camera_name
from video_streaming.domain.errors import InvalidInput
from video_streaming.domain.onvif import OnvifStreams
from video_streaming.domain.retention import MAX_RETENTION_DAYS
from video_streaming.motion.detector import MotionSettings
from video_streaming.onvif_cameras import OnvifCameraService
from vidstream_desktop.motion_dialog import MotionSettingsForm
from vidstream_desktop.onvif_panel import OnvifPanel


@dataclass(frozen=True)
class CameraForm:
    name: str
    url: str  # without credentials
    username: str
    password: str | None  # None: unchanged
    sub_stream_url: str
    retention_days: int
    transport: str  # "" = automatic
    recording_mode: RecordingMode = RecordingMode.CONTINUOUS
    motion: MotionSettings | None = None  # None: the dialog had no Motion tab


Probe = Callable[[str, str, str], Awaitable[str]]  # (URL, user, password) -> what it sends; raises with the reason


class CameraDialog(QDialog):
    def __init__(
        self,
        probe: Probe,
        transports: list[str],
        initial: CameraForm | None = None,
        parent: QWidget | None = None,
        onvif: OnvifCameraService | None = None,
        motion: tuple[MotionSettings, QImage | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit camera") if initial else self.tr("Add camera"))
        self.setMinimumWidth(520)
        self._probe = probe
        self._probe_task: asyncio.Task[None] | None = None
        self._failed_tests: dict[tuple[str, str, str], str] = {}  # source() -> why its connection test failed
        # Replaceable for scripted use and tests: ask before saving a camera whose test failed.
        self.confirm: Callable[[str, str], bool] = self._ask
        self.name = QLineEdit()
        self.url = QLineEdit()
        self.url.setPlaceholderText("rtsp://camera.local:554/stream1")
        # The layout sets the dialog's minimum size (so it grows with a message): room for a whole URL.
        self.url.setMinimumWidth(380)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sub_stream = QLineEdit()
        self.sub_stream.setPlaceholderText(self.tr("optional, used in small tiles"))
        self.retention = QSpinBox()
        self.retention.setRange(1, MAX_RETENTION_DAYS)
        self.retention.setValue(30)
        self.retention.setSuffix(self.tr(" days"))
        self.transport = QComboBox()
        self.transport.addItem(self.tr("Automatic (lowest latency)"), "")
        for transport in transports:
            self.transport.addItem(transport.upper(), transport)
        self.recording_mode = QComboBox()
        for mode, text in (
            (RecordingMode.CONTINUOUS, self.tr("Continuously")),
            (RecordingMode.MOTION, self.tr("On motion (with the seconds before and after)")),
            (RecordingMode.MANUAL, self.tr("Only when asked")),
        ):
            self.recording_mode.addItem(text, mode.value)
        self.recording_mode.setToolTip(self.tr("How the recorder records this camera; on motion, this window does too"))
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("color: #e5484d")
        self.error.setWordWrap(True)
        self.probe_result = QLabel()
        self.probe_result.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self._start_probe)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Source URL"), self.url)
        form.addRow(self.tr("User"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Sub-stream URL"), self.sub_stream)
        form.addRow(self.tr("Keep recordings"), self.retention)
        form.addRow(self.tr("Record"), self.recording_mode)
        form.addRow(self.tr("Live transport"), self.transport)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # The dialog grows with a long message instead of cutting it off.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        camera_page = QWidget(self)
        camera_layout = QVBoxLayout(camera_page)
        self.onvif_panel: OnvifPanel | None = None
        self.onvif_streams: OnvifStreams | None = None  # what the ONVIF camera last said, if read
        if onvif is not None:
            self.onvif_panel = OnvifPanel(onvif, lambda: (self.username.text().strip(), self.password.text()), self)
            self.onvif_panel.streams_read.connect(self._fill_from_onvif)
            camera_layout.addWidget(self.onvif_panel)
        camera_layout.addLayout(form)
        camera_layout.addWidget(self.test_button, alignment=Qt.AlignmentFlag.AlignLeft)
        camera_layout.addWidget(self.probe_result)
        self.motion_form: MotionSettingsForm | None = None
        self.tabs: QTabWidget | None = None
        if motion is None:
            camera_layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(camera_page)
        else:
            self.motion_form = MotionSettingsForm(motion[0], motion[1], self)
            self.tabs = QTabWidget(self)
            self.tabs.setObjectName("cameraDialogTabs")
            self.tabs.addTab(camera_page, self.tr("Camera"))
            self.tabs.addTab(self.motion_form, self.tr("Motion"))
            layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if initial:
            self.name.setText(initial.name)
            self.url.setText(initial.url)
            self.username.setText(initial.username)
            self.password.setPlaceholderText(self.tr("unchanged"))
            self.sub_stream.setText(initial.sub_stream_url)
            self.retention.setValue(initial.retention_days)
            self.transport.setCurrentIndex(max(0, self.transport.findData(initial.transport)))
            self.recording_mode.setCurrentIndex(max(0, self.recording_mode.findData(initial.recording_mode.value)))
        self._password_changed = initial is None
        self.password.textEdited.connect(self._mark_password_changed)
        self.url.editingFinished.connect(self._split_credentials)

    def _fill_from_onvif(self, streams: OnvifStreams) -> None:
        """The camera's own profiles fill the URLs (credentials stay in their fields, never in a URL)."""
        self.onvif_streams = streams
        self.url.setText(parse_source_url(streams.main.stream_url).url)
        self.sub_stream.setText(parse_source_url(streams.sub.stream_url).url if streams.sub else "")
        if not self.name.text().strip() and self.onvif_panel is not None:
            self.name.setText(self.onvif_panel.discovered_name or streams.device.title)

    def _mark_password_changed(self, *_: object) -> None:
        self._password_changed = True

    def form(self) -> CameraForm:
        return CameraForm(
            name=self.name.text().strip(),
            url=self.url.text().strip(),
            username=self.username.text().strip(),
            password=self.password.text() if self._password_changed else None,
            sub_stream_url=self.sub_stream.text().strip(),
            retention_days=self.retention.value(),
            transport=str(self.transport.currentData() or ""),
            recording_mode=RecordingMode(self.recording_mode.currentData() or RecordingMode.CONTINUOUS.value),
            motion=self.motion_form.settings() if self.motion_form is not None else None,
        )

    def _split_credentials(self) -> None:
        """A user and password typed into the URL move to their fields (the password is masked there and
        kept in the keyring, never in the URL)."""
        try:
            source = parse_source_url(self.url.text())
        except InvalidInput:
            return  # validate() tells what is wrong with it
        if not source.password and not source.username:
            return
        if source.username:
            self.username.setText(source.username)
        if source.password:
            self.password.setText(source.password)
            self._password_changed = True
        self.url.setText(source.url)
        self._show(self.probe_result, self.tr("The user and password were moved from the URL to their fields"),
                   "#8b949e")  # fmt: skip

    def validate(self) -> str:
        """Empty when valid, else what is wrong and how to fix it (shown in the dialog)."""
        self._split_credentials()
        try:
            form = self.form()
        except InvalidInput as error:  # only the Motion tab's values can fail here
            if self.tabs is not None and self.motion_form is not None:
                self.tabs.setCurrentWidget(self.motion_form)
            return self.tr("Motion: {0}").format(error)
        try:
            validate_camera_name(form.name)
            parse_source_url(form.url)
            if form.sub_stream_url:
                parse_source_url(form.sub_stream_url)
        except InvalidInput as error:
            return str(error)
        return ""

    def source(self) -> tuple[str, str, str]:
        """The camera's address without secrets, its user and its password, as they travel to the core: only
        the core joins them, for the media server (a URL with a password is never built here)."""
        form = self.form()
        source = parse_source_url(form.url)
        return source.url, form.username or source.username, form.password or source.password or ""

    def _accept_if_valid(self) -> None:
        problem = self.validate()
        if problem:
            self._show(self.error, problem)
            return
        failed = self._failed_tests.get(self.source())
        question = self.tr("The connection test of this camera failed:\n{0}\n\nSave it anyway?").format(failed)
        if failed is not None and not self.confirm(self.tr("Save a camera that did not answer?"), question):
            return
        self.accept()

    def _start_probe(self) -> None:
        problem = self.validate()
        if problem:
            self._show(self.error, problem)
            return
        self.test_button.setEnabled(False)
        self._show(self.probe_result, self.tr("Testing…"), "#8b949e")
        self._probe_task = asyncio.ensure_future(self._run_probe(self.source()))

    async def _run_probe(self, source: tuple[str, str, str]) -> None:
        try:
            text = await self._probe(*source)
            self._failed_tests.pop(source, None)
            self._show(self.probe_result, self.tr("Connected: {0}").format(text), "#30a46c")
        except Exception as error:  # every failure is shown, none crashes the dialog
            self._failed_tests[source] = str(error)
            self._show(self.probe_result, self.tr("Failed: {0}").format(error))
        finally:
            self.test_button.setEnabled(True)

    def _show(self, label: QLabel, text: str, color: str = "#e5484d") -> None:
        """One message at a time: the newest replaces the one before, whichever label it was in."""
        for other in (self.error, self.probe_result):
            if other is not label:
                other.clear()
        label.setStyleSheet(f"color: {color}")
        label.setText(text)
        self._fit()

    def _fit(self) -> None:
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.heightForWidth(self.width()) if self.hasHeightForWidth() else self.sizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question,
                                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)  # fmt: skip
        return answer == QMessageBox.StandardButton.Save
