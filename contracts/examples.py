"""The guide's request, as a builder: the one example every test, benchmark and doc uses."""

from __future__ import annotations

import uuid
from typing import Any

from contracts.choices import ANIMATE_MODEL


def animate_task(image: str, video: str, **fields: Any) -> dict[str, Any]:
    """A valid P-Video-Animate task with a fresh task UUID; keyword arguments override fields."""
    task: dict[str, Any] = {
        "taskType": "videoInference",
        "taskUUID": str(uuid.uuid4()),
        "model": ANIMATE_MODEL,
        "inputs": {"referenceImages": [image], "referenceVideos": [video]},
    }
    task.update(fields)
    return task


def get_response(task_uuid: str) -> dict[str, Any]:
    return {"taskType": "getResponse", "taskUUID": task_uuid}


#: Base URL of the fake's own fixtures under ``runware-mock serve`` defaults.
DEFAULT_BASE = "http://127.0.0.1:8000"


def example_requests(base: str = DEFAULT_BASE) -> dict[str, list[dict[str, Any]]]:
    """The example requests shipped in ``fixtures/requests/`` and printed by
    ``runware-mock example``: each call gives fresh task UUIDs."""
    image = f"{base}/fixtures/character-portrait.png"
    video = f"{base}/fixtures/landscape-16x9-audio.mp4"
    async_task = animate_task(image, video, deliveryMethod="async", includeCost=True)
    return {
        "animate-guide": [animate_task(image, video, resolution="720p",
                                       positivePrompt="the character dances to the music")],
        "animate-async": [async_task],
        "get-response": [get_response(async_task["taskUUID"])],
        "animate-1080p48-webm": [animate_task(image, video, resolution="1080p", fps=48, outputFormat="WEBM",
                                              settings={"preserveAudio": False})],
        "batch-with-a-bad-task": [animate_task(image, video), animate_task(image, video, fps=30)],
    }
