"""The official PyPI ``runware-sdk`` as a client under test for the conform kit."""

from __future__ import annotations

import asyncio
from typing import Any


async def _run(job: dict[str, Any], server: dict[str, str], transport: str) -> str:
    from runware import Runware

    options: dict[str, Any] = {"api_key": server["apiKey"], "validate": False}
    if transport == "rest":
        options.update(transport="rest", http_base_url=server["restURL"])
    else:
        options.update(ws_base_url=server["wsURL"])
    task: dict[str, Any] = {"taskType": "videoInference", "model": "prunaai:p-video@animate",
                            "inputs": {"referenceImages": [job["image"]], "referenceVideos": [job["video"]]}}
    for name in ("resolution", "fps", "positivePrompt", "seed"):
        if name in job:
            task[name] = job[name]
    if "preserveAudio" in job:
        task["settings"] = {"preserveAudio": job["preserveAudio"]}
    async with Runware(**options) as client:
        results = await client.run(task)
    return results[0]["videoURL"]


def rest(job: dict[str, Any], server: dict[str, str]) -> str:
    return asyncio.run(_run(job, server, "rest"))


def websocket(job: dict[str, Any], server: dict[str, str]) -> str:
    return asyncio.run(_run(job, server, "websocket"))
