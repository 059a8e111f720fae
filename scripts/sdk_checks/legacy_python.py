"""Run the legacy PyPI ``runware`` SDK (0.5.x) unmodified against a running fake.

Usage: python legacy_python.py WS_URL IMAGE_URL VIDEO_URL [--bad-key-url WS_URL]
Prints one JSON line: {"ok": bool, "videoURL": ..., "badKeyError": ...}.
Run by scripts/check_sdks.py inside its own virtual environment (the package's import
name, ``runware``, clashes with runware-sdk's).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

# Milliseconds. The SDK waits this long after each "processing" answer (30 s by default)
# before it polls again; the defaults only slow the check down.
os.environ.setdefault("RUNWARE_VIDEO_INITIAL_TIMEOUT", "2000")
os.environ.setdefault("RUNWARE_VIDEO_POLLING_DELAY", "500")

from runware import IVideoInference, Runware  # noqa: E402


async def animate(url: str, key: str, image: str, video: str) -> list:
    client = Runware(api_key=key, url=url)
    await client.connect()
    try:
        request = IVideoInference(
            model="prunaai:p-video@animate",
            inputs={"referenceImages": [image], "referenceVideos": [video]},
            resolution="720p",
            deliveryMethod="async",
        )
        answer = await client.videoInference(requestVideo=request)
        if isinstance(answer, list):
            return answer
        # Async delivery: the SDK hands back the ack; its getResponse polls to the end.
        return await client.getResponse(taskUUID=answer.taskUUID)
    finally:
        await client.disconnect()


async def main() -> None:
    url, image, video = sys.argv[1:4]
    out: dict = {}
    results = await asyncio.wait_for(animate(url, "any-key", image, video), 120)
    first = results[0]
    out["videoURL"] = getattr(first, "videoURL", None)
    out["results"] = len(results)
    if "--bad-key-url" in sys.argv:
        bad_url = sys.argv[sys.argv.index("--bad-key-url") + 1]
        try:
            await asyncio.wait_for(animate(bad_url, "wrong-key", image, video), 60)
            out["badKeyError"] = None
        except Exception as exc:  # the SDK's own error type
            out["badKeyError"] = f"{type(exc).__name__}: {exc}"
    out["ok"] = bool(out["videoURL"])
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
