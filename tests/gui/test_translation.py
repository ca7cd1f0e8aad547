"""The Brazilian Portuguese translation ships compiled and is applied to the main window."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from tests.fixtures.environment import missing_prerequisite
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
