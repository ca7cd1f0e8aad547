"""`python -m bench [--quick] [NAME ...]` runs benchmarks (all by default) and rewrites bench/REPORT.md;
`python -m bench report` only rewrites REPORT.md and the plots from bench/results/*.json;
`python -m bench list` names the benchmarks.

GUI benchmarks need a display: run under Xvfb, as `make bench` does:
    xvfb-run -a -s "-screen 0 1920x1080x24" python -m bench
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench import BENCHMARKS, load_module
from bench.common import BenchContext, machine_info, write_result

NEEDS_DISPLAY = {"latency", "ttff", "cpu_tiles", "ui"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)}; or 'report', 'list'")
    parser.add_argument("--quick", action="store_true", help="fewer samples and shorter windows (~5 min)")
    parser.add_argument("--keep-work", action="store_true", help="keep the temporary work directory (logs)")
    args = parser.parse_args(argv)

    if args.names == ["list"]:
        for name in BENCHMARKS:
            print(f"{name:14} {load_module(name).TITLE}")
        return 0
    if args.names == ["report"]:
        from bench.report import write_report

        print(f"wrote {write_report()}")
        return 0
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    if not os.environ.get("DISPLAY"):
        skipped = [n for n in names if n in NEEDS_DISPLAY]
        if skipped:
            print(f"no DISPLAY: skipping {', '.join(skipped)} (run under xvfb-run, see --help)", file=sys.stderr)
        names = [n for n in names if n not in NEEDS_DISPLAY]

    work = Path(tempfile.mkdtemp(prefix="vidstream-bench-"))
    os.chmod(work, 0o755)
    ctx = BenchContext(quick=args.quick, work_dir=work)
    machine = machine_info()
    started_all = time.monotonic()
    failures = 0
    try:
        for name in names:
            module = load_module(name)
            ctx.say(f"== {name}: {module.TITLE}{' (quick)' if args.quick else ''}")
            started = time.monotonic()
            try:
                data = module.run(ctx)
            except Exception as error:  # one broken benchmark must not lose the others' results
                failures += 1
                ctx.say(f"!! {name} failed: {error}")
                traceback.print_exc()
                continue
            elapsed = time.monotonic() - started
            command = ('xvfb-run -a -s "-screen 0 1920x1080x24" ' if name in NEEDS_DISPLAY else "") + (
                f"python -m bench {'--quick ' if args.quick else ''}{name}"
            )
            result = {
                "name": name,
                "title": module.TITLE,
                "quick": args.quick,
                "duration_s": elapsed,
                "command": command,
                "machine": machine,
                **data,
            }
            path = write_result(name, result)
            ctx.say(f"== {name} done in {elapsed:.0f} s -> {path}")
    finally:
        total = time.monotonic() - started_all
        ctx.say(f"benchmarks took {total:.0f} s")
        if not args.keep_work:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
        else:
            ctx.say(f"work directory kept: {work}")
    from bench.report import write_report

    ctx.say(f"wrote {write_report()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
