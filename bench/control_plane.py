"""6. Control plane: what one status poll of MediaMTX costs with 10, 100 and 1000 paths.

Paths are added through the Control API with a dead on-demand source (`rtsp://127.0.0.1:1/x`,
`sourceOnDemand: true`), so they exist and are listed but never connect. One poll cycle is measured three
ways with our MediaMTXClientImpl: one `list_paths()` call (what VidStreamCore.poll() does), N
`get_stream_status()` calls one after another, and N of them at once (asyncio.gather). The number of
HTTP requests per cycle is counted with an httpx event hook.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import BenchContext, mediamtx_server, ratio, summary

NAME = "control_plane"
TITLE = "Control plane polling"
DEAD_SOURCE = "rtsp://127.0.0.1:1/x"


async def add_paths(endpoints: Any, start: int, stop: int) -> list[float]:
    """Add paths bench/p{start..stop-1}; per-add times in ms."""
    auth = (endpoints.api_user, endpoints.api_password)
    times = []
    async with httpx.AsyncClient(base_url=endpoints.api_url, auth=auth, timeout=10) as client:
        for index in range(start, stop):
            t = time.perf_counter()
            response = await client.post(
                f"/v3/config/paths/add/bench/p{index:04d}", json={"source": DEAD_SOURCE, "sourceOnDemand": True}
            )
            response.raise_for_status()
            times.append((time.perf_counter() - t) * 1000)
    return times


async def measure(endpoints: Any, n: int, repeats: int, get_repeats: int) -> dict[str, Any]:
    from video_streaming.adapters.mediamtx import MediaMTXClientImpl

    requests = 0

    async def count(_: httpx.Request) -> None:
        nonlocal requests
        requests += 1

    client = MediaMTXClientImpl(
        endpoints.host, endpoints.api_port, username=endpoints.api_user, password=endpoints.api_password, timeout=30
    )
    client._client.event_hooks["request"].append(count)  # bench instrumentation: count HTTP requests
    names = [f"bench/p{i:04d}" for i in range(n)]
    try:
        await client.list_paths()  # warm the connection
        list_ms, get_seq_ms, get_con_ms = [], [], []
        requests = 0
        for _ in range(repeats):
            t = time.perf_counter()
            listed = await client.list_paths()
            list_ms.append((time.perf_counter() - t) * 1000)
        list_requests = requests / repeats
        missing = [name for name in names if name not in listed]
        for _ in range(get_repeats):
            t = time.perf_counter()
            for name in names:
                await client.get_stream_status(name)
            get_seq_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            await asyncio.gather(*(client.get_stream_status(name) for name in names))
            get_con_ms.append((time.perf_counter() - t) * 1000)
    finally:
        await client.aclose()
    return {
        "paths_listed": len(listed),
        "missing_from_list": len(missing),
        "list_requests": list_requests,
        "list_paths": summary(list_ms),
        "get_sequential": summary(get_seq_ms),
        "get_concurrent": summary(get_con_ms),
        "samples": {"list_paths": list_ms, "get_sequential": get_seq_ms, "get_concurrent": get_con_ms},
        "ratio_list_vs_get": ratio(summary(list_ms)["median"], summary(get_seq_ms)["median"]),
    }


def preconfigured_server(work: Path, paths: int) -> Any:
    """A MediaMTX whose runtime config already lists `paths` dead on-demand paths: adding them one by one
    through the API would take a minute (see findings), which is measured on the last 50 instead."""
    from video_streaming.runtime.mediamtx_server import MediaMTXServer

    server = MediaMTXServer(work / f"mediamtx-{paths}", anonymous_loopback=True)
    config = json.loads(server.config_path.read_text())
    config.setdefault("paths", {})
    for index in range(paths):
        config["paths"][f"bench/p{index:04d}"] = {"source": DEAD_SOURCE, "sourceOnDemand": True}
    server.config_path.write_text(json.dumps(config))
    return server


def run(ctx: BenchContext) -> dict[str, Any]:
    counts = (10, 100, 1000)
    measured_adds = 50
    work = ctx.tmp("control")
    runs: dict[str, Any] = {}

    async def one(server: Any, n: int, have: int) -> None:
        ctx.say(f"control plane: {n} paths")
        add_ms = await add_paths(server.endpoints, have, n)
        repeats = (30 if n < 1000 else 15) if not ctx.quick else 10
        get_repeats = (5 if n < 1000 else 2) if not ctx.quick else (3 if n < 1000 else 1)
        result = await measure(server.endpoints, n, repeats, get_repeats)
        result["add_path_ms"] = summary(add_ms)
        result["adds_measured_from"] = have
        runs[str(n)] = result
        ctx.say(
            f"  list_paths {result['list_paths']['median']:.1f} ms; {n} gets "
            f"{result['get_sequential']['median']:.0f} ms; one add {result['add_path_ms']['median']:.0f} ms"
        )

    with mediamtx_server(work) as server:

        async def small() -> None:
            have = 0
            for n in counts[:-1]:
                await one(server, n, have)
                have = n

        asyncio.run(small())
    largest = counts[-1]
    server = preconfigured_server(work, largest - measured_adds)
    server.start()
    try:
        asyncio.run(one(server, largest, largest - measured_adds))
    finally:
        server.stop()
    growth = ratio(runs[str(largest)]["list_paths"]["median"], runs["10"]["list_paths"]["median"])
    return {
        "parameters": {
            "dead_source": DEAD_SOURCE,
            "sourceOnDemand": True,
            "page_size": 1000,
            "largest_count": f"{largest - measured_adds} paths in the config file, the last "
            f"{measured_adds} added through the API",
        },
        "counts": list(counts),
        "runs": runs,
        "list_growth_10_to_1000": growth,
    }


def report(data: dict[str, Any], plots: Path) -> str:
    from bench.plots import control_plane_plot

    files = control_plane_plot(data, plots)
    lines = [
        "| paths | list_paths() p50 / p95 ms | HTTP requests per list cycle | N x get, sequential p50 ms | "
        "N x get, concurrent p50 ms | list / sequential gets | adding one path p50 / p95 ms (paths before) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in data["counts"]:
        r = data["runs"][str(n)]
        lines.append(
            f"| {n} | {r['list_paths']['median']:.1f} / {r['list_paths']['p95']:.1f} | {r['list_requests']:.0f} | "
            f"{r['get_sequential']['median']:.0f} | {r['get_concurrent']['median']:.0f} | "
            f"{r['ratio_list_vs_get']:.3f} | {r['add_path_ms']['median']:.1f} / {r['add_path_ms']['p95']:.1f} "
            f"({r.get('adds_measured_from', 0)}-{n}) |"
        )
    lines += [
        "",
        f"list_paths() grows {data['list_growth_10_to_1000']:.1f}x from 10 to 1000 paths "
        "(the response is bigger; still one request).",
        "",
    ]
    lines += [f"![{f.stem}](results/{f.name})" for f in files]
    return "\n".join(lines)


def findings(data: dict[str, Any]) -> str:
    runs = data["runs"]
    big = runs[str(max(data["counts"]))]
    one_request = all(runs[str(n)]["list_requests"] == 1 for n in data["counts"])
    out = [
        f"- **{'One request per poll at every size' if one_request else 'More than one request per poll'}.** "
        f"With {max(data['counts'])} paths list_paths() takes {big['list_paths']['median']:.0f} ms against "
        f"{big['get_sequential']['median']:.0f} ms for one get_stream_status() per path "
        f"({1 / big['ratio_list_vs_get']:.0f}x). Its cost grows only with the size of the one JSON answer "
        f"({data['list_growth_10_to_1000']:.0f}x from 10 to 1000 paths). Paging starts above 1000 paths "
        "(one more request per 1000).",
        f"- Firing the N gets at once is slower still ({big['get_concurrent']['median']:.0f} ms): both cores are "
        "already busy between MediaMTX and the client.",
    ]
    adds = {n: runs[str(n)]["add_path_ms"] for n in data["counts"]}
    first, last = adds[min(adds)], adds[max(adds)]
    out.append(
        f"- Slow spot outside the poll: adding one path through the Control API costs {first['median']:.0f} ms "
        f"with a few paths but {last['median']:.0f} ms (p95 {last['p95']:.0f} ms) with ~"
        f"{max(adds)}: MediaMTX 1.20 reloads its whole configuration after each add, so provisioning N cameras "
        "one by one is quadratic. VidStreamCore.reprovision() after a MediaMTX restart does exactly that, one "
        f"camera at a time: ~{last['median'] * max(adds) / 1000:.0f} s for {max(adds)} cameras at this "
        "rate."
    )
    return "\n".join(out)
