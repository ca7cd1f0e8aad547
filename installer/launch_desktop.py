"""Entry point of the packaged desktop app: points the core at the bundled MediaMTX/MinIO binaries
and shipped files, then starts the app."""

import os
import sys
from pathlib import Path

if getattr(sys, "frozen", False):
    bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    os.environ.setdefault("VIDSTREAM_BIN_DIR", str(bundle / "bin"))
    os.environ.setdefault("VIDSTREAM_HOME", str(bundle))

from vidstream_desktop.app import main  # imported after the environment is set

sys.exit(main())
