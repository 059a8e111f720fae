#!/usr/bin/env python3
"""200 concurrent WebSocket sessions against a fake in its own process (time scale 0):
each authenticates, pings, submits an async animate task and polls until success.
Prints wall time, p50/p99 ack latency, p50/p99 time-to-result and the server's peak RSS.
Target: p99 ack ≤ 50 ms on a 2-core machine."""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import websockets  # noqa: E402

from contracts.examples import animate_task, get_response  # noqa: E402
from contracts.server import free_port  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def session(url: str, image: str, video: str, poll_interval: float) -> tuple[float, float]:
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps([{"taskType": "authentication", "apiKey": "bench"}]))
        json.loads(await ws.recv())
        await ws.send(json.dumps([{"taskType": "ping", "ping": True}]))
        json.loads(await ws.recv())
        task = animate_task(image, video, deliveryMethod="async")
        sent = time.perf_counter()
        await ws.send(json.dumps([task]))
        ack = json.loads(await ws.recv())
        acked = time.perf_counter()
        assert ack["data"][0]["taskUUID"] == task["taskUUID"], ack
        while True:
            await ws.send(json.dumps([get_response(task["taskUUID"])]))
            item = json.loads(await ws.recv())["data"][0]
            if item.get("status") == "success":
                return acked - sent, time.perf_counter() - sent
            await asyncio.sleep(poll_interval)


async def run(sessions: int, poll_interval: float) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen(
            [sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port), "--time-scale", "0",
             "--data-dir", data, "--log-level", "warning"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            image, video = f"{base}/fixtures/character-square.jpg", f"{base}/fixtures/square-noaudio.mp4"
            httpx.get(image), httpx.get(video)  # render the fixtures before timing
            started = time.perf_counter()
            results = await asyncio.gather(*(session(f"ws://127.0.0.1:{port}/v1", image, video, poll_interval)
                                             for _ in range(sessions)))
            wall = time.perf_counter() - started
            acks = [a * 1000 for a, _ in results]
            done = [d * 1000 for _, d in results]
            print(f"{sessions} WebSocket sessions (auth, ping, async submit, poll every {poll_interval * 1000:.0f} ms)")
            print(f"  wall time       {wall:.2f} s")
            print(f"  ack latency     p50 {percentile(acks, .5):.1f} ms   p99 {percentile(acks, .99):.1f} ms")
            print(f"  time to result  p50 {percentile(done, .5):.0f} ms   p99 {percentile(done, .99):.0f} ms")
            print(f"  server peak RSS {peak_rss_mib(server.pid):.0f} MiB")
        finally:
            server.terminate()
            server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--poll-interval", type=float, default=0.2)
    args = parser.parse_args()
    try:  # the client's own loop overhead is part of what it measures: keep it small
        import uvloop

        uvloop.run(run(args.sessions, args.poll_interval))
    except ImportError:
        asyncio.run(run(args.sessions, args.poll_interval))


if __name__ == "__main__":
    main()
