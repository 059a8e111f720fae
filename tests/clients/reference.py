"""A small REST client for P-Video-Animate, written the way the contract asks: fresh UUID
v4 per job, async submit, polling at a civil pace, retries of transient errors with
backoff, failures reported. Knobs turn it into the faulty variants in ``faulty.py``."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

TRANSIENT = {429, 502, 503, 504}


class AnimateFailed(RuntimeError):
    pass


@dataclass
class Behaviour:
    extra_image: bool = False
    fixed_uuid: str | None = None
    retry_transient: bool = True
    poll_interval: float = 0.5
    give_up_on_failure: bool = True


def _post(client: httpx.Client, url: str, tasks: list[dict[str, Any]], behaviour: Behaviour) -> dict[str, Any]:
    delay = 0.3
    for _ in range(6):
        try:
            response = client.post(url, json=tasks)
            body = response.json()
        except (httpx.TransportError, ValueError):
            response, body = None, None
        status = response.status_code if response is not None else 502
        if status in TRANSIENT or body is None:
            if not behaviour.retry_transient:
                raise AnimateFailed(f"HTTP {status}")
            time.sleep(delay)
            delay *= 2
            continue
        return body
    raise AnimateFailed("the service stayed unavailable")


def animate(job: dict[str, Any], server: dict[str, str], behaviour: Behaviour | None = None) -> str:
    behaviour = behaviour or Behaviour()
    task: dict[str, Any] = {
        "taskType": "videoInference",
        "taskUUID": behaviour.fixed_uuid or str(uuid.uuid4()),
        "model": "prunaai:p-video@animate",
        "deliveryMethod": "async",
        "inputs": {"referenceImages": [job["image"]] * (2 if behaviour.extra_image else 1),
                   "referenceVideos": [job["video"]]},
    }
    for name in ("resolution", "fps", "positivePrompt", "seed"):
        if name in job:
            task[name] = job[name]
    if "preserveAudio" in job:
        task["settings"] = {"preserveAudio": job["preserveAudio"]}
    url = server["restURL"]
    with httpx.Client(headers={"Authorization": f"Bearer {server['apiKey']}"}, timeout=60) as client:
        while True:
            ack = _post(client, url, [task], behaviour)
            if ack.get("errors"):
                raise AnimateFailed(str(ack["errors"][0]))
            while True:
                time.sleep(behaviour.poll_interval)
                answer = _post(client, url, [{"taskType": "getResponse", "taskUUID": task["taskUUID"]}], behaviour)
                if answer.get("errors"):
                    if behaviour.give_up_on_failure:
                        raise AnimateFailed(str(answer["errors"][0]))
                    break  # resubmit, forever
                items = answer.get("data") or []
                if items and all(i.get("status") == "success" for i in items):
                    return items[0]["videoURL"]
            task["taskUUID"] = behaviour.fixed_uuid or str(uuid.uuid4())
