"""Archive-style upload load in a process of its own (`python -m bench.upload_load '<json>'`): the same
four uploaders as the UI benchmark runs inside the app, moved out of the app's interpreter, to tell the
CPU the uploads take from the GIL they hold."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any


async def upload_for(options: dict[str, Any]) -> dict[str, float]:
    from video_streaming.adapters.s3 import S3Storage, sha256_of

    s3 = options["s3"]
    storage = S3Storage(s3["endpoint_url"], s3["bucket"], s3["access_key"], s3["secret_key"])
    files = [Path(p) for p in options["files"]]
    deadline = time.monotonic() + float(options["seconds"])
    sent = {"bytes": 0}

    async def uploader(worker: int) -> None:
        count = 0
        while time.monotonic() < deadline:
            path = files[(worker + count) % len(files)]
            await asyncio.to_thread(sha256_of, path)
            await storage.upload_file(str(path), f"elsewhere/{worker}/{count}.mp4")
            sent["bytes"] += path.stat().st_size
            count += 1

    started = time.monotonic()
    await asyncio.gather(*(uploader(i) for i in range(int(options.get("workers", 4)))))
    return {"mb_per_s": sent["bytes"] / 1e6 / (time.monotonic() - started)}


def main() -> int:
    print(json.dumps(asyncio.run(upload_for(json.loads(sys.argv[1])))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
