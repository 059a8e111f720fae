#!/usr/bin/env python3
"""Render speed: cold (first time a geometry is seen) and warm, plus the guide's request
over HTTP. Prints a table; targets: warm 20 s 1080p48 with audio ≤ 25 ms, cold ≤ 0.5 s."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from contracts.examples import animate_task  # noqa: E402
from contracts.geometry import OutputPlan, frame_count  # noqa: E402
from contracts.server import LiveServer  # noqa: E402
from mock_server import fixtures  # noqa: E402
from mock_server.media import Renderer, load_image  # noqa: E402

WARM_RUNS = 7


def _source(work: Path, seconds: int) -> Path:
    """A source of the wanted length with AAC audio, made from the 16:9 fixture's recipe."""
    spec = fixtures.VIDEOS["landscape-16x9-audio.mp4"]
    long = fixtures.VideoFixture(f"bench-{seconds}s.mp4", spec.width, spec.height, spec.rate,
                                 int(seconds * spec.rate), "aac")
    path = work / long.name
    if not path.exists():
        fixtures.write_video(long, path)
    return path


def bench_renders(work: Path) -> None:
    image = load_image(fixtures.ensure(work, "character-portrait.png").read_bytes())
    print(f"{'output':<22}{'audio':>6}{'cold ms':>10}{'warm ms (median)':>19}{'size kB':>9}")
    for seconds in (5, 20):
        source = _source(work, seconds)
        for height, width in ((720, 1280), (1080, 1920)):
            for fps in (24, 48):
                for audio in (True, False):
                    renderer = Renderer()  # a fresh cache: the first render is cold
                    rate = Fraction(fps)
                    plan = OutputPlan(width, height, rate, frame_count(seconds, rate))
                    out = work / "out.mp4"

                    def run() -> float:
                        t = time.perf_counter()
                        renderer.render(image=image, image_digest="bench", source=source, plan=plan,
                                        output_format="MP4", quality=95, audio=audio, seed=1, out_path=out)
                        return (time.perf_counter() - t) * 1000

                    cold = run()
                    warm = statistics.median(run() for _ in range(WARM_RUNS))
                    label = f"{seconds}s {height}p{fps}"
                    print(f"{label:<22}{'yes' if audio else 'no':>6}{cold:>10.1f}{warm:>19.1f}"
                          f"{out.stat().st_size / 1024:>9.0f}")


def bench_http(work: Path) -> None:
    with LiveServer(work / "server", time_scale=0.0) as server:
        headers = {"Authorization": "Bearer bench"}
        image, video = server.fixture_url("character-portrait.png"), server.fixture_url("landscape-16x9-audio.mp4")
        with httpx.Client(headers=headers, timeout=60) as client:
            client.post(server.rest_url, json=[animate_task(image, video)])  # warm fixtures and GOP
            times = []
            for _ in range(20):
                t = time.perf_counter()
                r = client.post(server.rest_url, json=[animate_task(image, video, resolution="720p")])
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
        times.sort()
        print(f"guide request over HTTP (3 s source, 720p, time scale 0): "
              f"p50 {statistics.median(times):.1f} ms, max {times[-1]:.1f} ms over {len(times)} requests")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_renders(work)
        bench_http(work)


if __name__ == "__main__":
    main()
