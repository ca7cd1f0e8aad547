"""The Brazilian Portuguese translation ships compiled and is applied to the main window."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from tests.fixtures.environment import missing_prerequisite
from tests.fixtures.qt import delete_now
from vidstream_desktop.app import install_translation
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.resources import RESOURCES_DIR

pytestmark = pytest.mark.gui


def test_pt_br_translation_is_compiled_and_used(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (RESOURCES_DIR / "i18n" / "vidstream_pt_BR.qm").stat().st_size > 1000
    translator = install_translation(qapp, "pt_BR")
    assert translator is not None, "vidstream_pt_BR.qm did not load"
    try:
        window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        assert window.tabs.tabText(0) == "Ao vivo"
        assert window.actions_by_name["record_all"].text() == "Gravar todas"
        assert dict(window.shortcuts())["F11"] == "Tela cheia"
        delete_now(window)
    finally:
        QCoreApplication.removeTranslator(translator)


def test_every_translatable_string_of_the_app_has_a_translation(tmp_path: Path) -> None:
    """Extracts the strings from the code as it is now (not the committed .ts): a new tr() string without a
    translation fails here."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        missing_prerequisite("pyside6-lupdate is not installed next to this Python")
    fresh = tmp_path / "vidstream_pt_BR.ts"
    shutil.copy(RESOURCES_DIR / "i18n" / "vidstream_pt_BR.ts", fresh)
    sources = sorted(str(path) for path in (RESOURCES_DIR.parent / "vidstream_desktop").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete"], check=True, capture_output=True,
                   timeout=120)  # fmt: skip
    text = fresh.read_text(encoding="utf-8")
    untranslated = re.findall(r"<source>([^<]*)</source>\s*<translation type=\"unfinished\">", text)
    assert untranslated == [], f"untranslated: {untranslated}; translate them, then run tools/update_translations.sh"
    assert text.count("<source>") > 200


def test_pt_br_also_translates_qt_buttons_weekdays_and_numbers(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QDialogButtonBox

    from video_streaming.core import Health
    from vidstream_desktop.help_dialog import HelpDialog
    from vidstream_desktop.recordings.model import format_size
    from vidstream_desktop.recordings.timeline_view import TimelineView

    before = QLocale()
    install_translation(qapp, "pt_BR")
    try:
        window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        # Qt's own buttons, from Qt's translation.
        close = HelpDialog(window.shortcuts(), window).buttons.button(QDialogButtonBox.StandardButton.Close)
        assert close.text() == "Fechar"
        # Numbers with the locale's decimal comma.
        window.health_bar.update(Health(disk_free_bytes=int(71.6 * 2**30)))
        assert "71,6 GiB" in window.health_bar.disk.text(), window.health_bar.disk.text()
        assert format_size(71_600_000_000) == "71,6 GB"
        # Weekdays in the locale's words.
        async def nothing(*_: object) -> None:
            return None

        view = TimelineView(nothing, nothing)  # type: ignore[arg-type]
        view.show_day(date(2026, 11, 30))  # a Monday
        assert view.date_edit.text() == "2026-11-30, seg.", view.date_edit.text()
        delete_now(view, window)
    finally:
        for translator in qapp.findChildren(QTranslator):
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(before)
