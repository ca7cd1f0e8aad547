"""`make package`'s bundle: built with PyInstaller into a temp dir, unpacked elsewhere, and started
under the test display from there: the window appears and the demo wall plays (pixels checked)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.fixtures.environment import missing_prerequisite

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui


# PyInstaller's build is most of the time (about 200 s on two cores, more in CI), over the suite's default.
@pytest.mark.timeout(900)
def test_bundle_unpacks_and_plays_the_demo_wall(tmp_path: Path) -> None:
    if not os.environ.get("DISPLAY"):
        missing_prerequisite("the bundle test needs a display (make test runs it under Xvfb)")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "work"), str(ROOT / "installer" / "vidstream.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    archive = tmp_path / "vidstream.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "dist" / "vidstream", arcname="vidstream")
    shutil.rmtree(tmp_path / "dist")
    install = tmp_path / "opt"
    with tarfile.open(archive) as tar:
        tar.extractall(install, filter="data")
    app = install / "vidstream" / "vidstream-desktop"
    assert (install / "vidstream" / "_internal" / "bin" / "mediamtx").exists()

    screenshot, later = tmp_path / "bundle.png", tmp_path / "bundle-1s-later.png"
    env = {
        "DISPLAY": os.environ["DISPLAY"], "XAUTHORITY": os.environ.get("XAUTHORITY", ""), "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",  # nothing from the venv or the build cache
        "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
        "VIDSTREAM_CACHE": str(tmp_path / "no-cache"), "VIDSTREAM_VLC_ARGS": "--aout=dummy",
    }  # fmt: skip
    run = subprocess.run([str(app), "--demo", "--screenshot", str(screenshot), "--screenshot", str(later),
                          "--wait", "9"], env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    image = QImage(str(screenshot))
    assert image.width() > 800 and image.height() > 500
    # Sample the wall area: the synthetic cameras' colour bars, not a black or empty window.
    samples = [(x, y) for x in range(300, image.width() - 50, 37) for y in range(120, 700, 41)]
    colours = {image.pixelColor(x, y).name() for x, y in samples}
    assert len(colours) > 20, "the bundled app shows no camera pictures"
    # A second later the pictures have moved (testsrc2's moving pattern and burnt-in clocks), not frozen.
    second = QImage(str(later))
    assert second.size() == image.size()
    changed = sum(image.pixelColor(x, y) != second.pixelColor(x, y) for x, y in samples)
    assert changed > len(samples) // 20, f"the bundled app's pictures are frozen ({changed} of {len(samples)} moved)"
