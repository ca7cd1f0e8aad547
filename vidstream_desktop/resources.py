"""Icons and the dark theme, read from the `resources/` directory next to the packages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources"
ICONS_DIR = RESOURCES_DIR / "icons"
THEME_PATH = RESOURCES_DIR / "theme.qss"

# The theme's colours, for code that paints by hand (status dots, timelines) and must match the QSS.
COLORS: dict[str, str] = {
    "window": "#15171a",
    "panel": "#22262b",
    "panel_raised": "#2b3036",
    "border": "#30353c",
    "text": "#d0d4d9",
    "text_dim": "#8b939c",
    "accent": "#3d8bfd",
    "red": "#e5484d",
    "green": "#30a46c",
    "amber": "#f5a524",
    "video": "#000000",
}


def icon_path(name: str) -> Path:
    return ICONS_DIR / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    """The named SVG icon from resources/icons; an empty icon (and no crash) when it is missing."""
    path = icon_path(name)
    return QIcon(str(path)) if path.is_file() else QIcon()


def theme_stylesheet() -> str:
    # QSS resolves url() against the working directory, so icon references are made absolute here.
    return THEME_PATH.read_text(encoding="utf-8").replace("@ICONS@", ICONS_DIR.as_posix())


def dark_palette() -> QPalette:
    """The palette under the style sheet, for what QSS does not reach (native dialogs, default views)."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: COLORS["window"],
        QPalette.ColorRole.WindowText: COLORS["text"],
        QPalette.ColorRole.Base: "#1b1e22",
        QPalette.ColorRole.AlternateBase: COLORS["panel"],
        QPalette.ColorRole.ToolTipBase: COLORS["panel_raised"],
        QPalette.ColorRole.ToolTipText: COLORS["text"],
        QPalette.ColorRole.PlaceholderText: COLORS["text_dim"],
        QPalette.ColorRole.Text: COLORS["text"],
        QPalette.ColorRole.Button: COLORS["panel"],
        QPalette.ColorRole.ButtonText: COLORS["text"],
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: COLORS["accent"],
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: COLORS["accent"],
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#5c636b"))
    return palette


def load_theme(app: QApplication) -> None:
    """Fusion style, the dark palette and resources/theme.qss on `app`."""
    app.setStyle("Fusion")  # the one built-in style that follows palette and QSS on every platform
    app.setPalette(dark_palette())
    app.setStyleSheet(theme_stylesheet())
