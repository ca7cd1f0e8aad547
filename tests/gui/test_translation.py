"""The Brazilian Portuguese translation ships compiled and is applied to the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

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
        window.deleteLater()
    finally:
        QCoreApplication.removeTranslator(translator)


def test_every_translatable_string_of_the_wall_has_a_translation() -> None:
    text = (RESOURCES_DIR / "i18n" / "vidstream_pt_BR.ts").read_text(encoding="utf-8")
    assert text.count('type="unfinished"') == 0, (
        "untranslated strings: translate them, then run tools/update_translations.sh"
    )
