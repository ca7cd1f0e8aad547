"""The drag-and-drop payload that carries a camera from the camera list (or a tile) onto a tile."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

CAMERA_MIME_TYPE = "application/x-vidstream-camera"


def camera_mime_data(camera_id: str, name: str = "") -> QMimeData:
    mime = QMimeData()
    mime.setData(CAMERA_MIME_TYPE, camera_id.encode("utf-8"))
    mime.setText(name or camera_id)  # so a drop into a text field shows something sensible
    return mime


def carries_camera(mime: QMimeData | None) -> bool:
    return mime is not None and mime.hasFormat(CAMERA_MIME_TYPE)


def camera_id_from_mime(mime: QMimeData | None) -> str | None:
    if mime is None or not mime.hasFormat(CAMERA_MIME_TYPE):
        return None
    try:
        camera_id = bytes(mime.data(CAMERA_MIME_TYPE).data()).decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return camera_id or None
