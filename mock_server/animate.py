"""The P-Video-Animate task: validate, reserve, generate, deliver.

Generation is real (a playable file per result) but its *timing* is simulated: each
task's ``ready_at`` is its start plus output seconds × 5 × time scale. Status is derived
from the stored row and the clock, so polling needs no timers and survives a restart.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

from contracts import choices, geometry
from contracts.errors import ApiError
from contracts.models import AnimateTask, ProcessingItem, VideoResult, dump
from contracts.rules import validate_animate
from mock_server.config import Settings
from mock_server.delivery import Deliverer
from mock_server.inputs import InputResolver
from mock_server.media import CONTENT_TYPES, EXTENSIONS, Renderer
from mock_server.store import Store, TaskRow


@dataclass(frozen=True)
class Context:
    """Who sent a task and how: what a handler needs beyond the task itself."""

    api_key: str
    transport: str  # "rest" | "ws"
    base_url: str
    dry_run: bool = False


class AnimateService:
    """Runs animate tasks; owns the background jobs of async deliveries."""

    def __init__(
        self, settings: Settings, store: Store, resolver: InputResolver, renderer: Renderer, deliverer: Deliverer
    ) -> None:
        self.settings = settings
        self.store = store
        self.resolver = resolver
        self.renderer = renderer
        self.deliverer = deliverer
        self._jobs: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(choices.CONCURRENT_GENERATIONS)

    # -- submission ---------------------------------------------------------------------

    async def submit(self, raw: dict[str, Any], ctx: Context) -> list[dict[str, Any]]:
        """Answer a videoInference task: the finished items (sync) or an ack (async)."""
        task = validate_animate(raw)
        if ctx.dry_run:
            return [await self._price(task, ctx.base_url)]
        self.store.create_task(task.taskUUID, task.taskType, ctx.api_key, raw, ctx.base_url)
        hold = self.store.apply_job_rule(task.taskUUID)
        if task.deliveryMethod == "async":
            self._spawn(self._generate(task, ctx.base_url))
            return [{"taskType": task.taskType, "taskUUID": task.taskUUID}]
        await self._generate(task, ctx.base_url)
        row = self.store.get_task(task.taskUUID)
        assert row is not None
        wait_until = max(row.ready_at or 0, (hold.until or 0) if hold else 0)
        if wait_until > time.time():
            await asyncio.sleep(wait_until - time.time())
        if row.state == "failed":
            raise _stored_error(row)
        if hold and hold.error:
            raise _task_failure(ApiError(hold.error, None, task_type=task.taskType, task_uuid=task.taskUUID))
        return [dump(VideoResult.model_validate(item)) for item in row.results or []]

    async def _price(self, task: AnimateTask, base_url: str) -> dict[str, Any]:
        """Dry run: validate, read the source's length, price it; store and render nothing."""
        if self.store.get_task(task.taskUUID) is not None:
            raise ApiError("conflictTaskUUID", "taskUUID")
        await self.resolver.image(task.inputs.referenceImages[0], base_url=base_url)
        video = await self.resolver.video(task.inputs.referenceVideos[0], base_url=base_url)
        rate = geometry.output_rate(video.info.rate, task.fps)
        seconds = geometry.output_seconds(geometry.frame_count(video.info.duration, rate), rate)
        return {"taskType": task.taskType, "taskUUID": task.taskUUID, "dryRun": True,
                "cost": geometry.cost(task.resolution, seconds, task.numberResults)}

    def _spawn(self, coro: Any) -> None:
        job = asyncio.get_running_loop().create_task(coro)
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    def resume_pending(self) -> int:
        """Restart generations cut off by a stop: nothing accepted is ever lost."""
        pending = self.store.pending_tasks()
        for row in pending:
            try:
                task = validate_animate(row.request)
            except ApiError as err:
                self.store.fail_task(row.task_uuid, err.item(), time.time())
                continue
            self._spawn(self._generate(task, row.base_url))
        return len(pending)

    async def shutdown(self) -> None:
        for job in list(self._jobs):
            job.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)

    # -- generation ---------------------------------------------------------------------

    async def _generate(self, task: AnimateTask, base_url: str) -> None:
        started = time.time()
        try:
            async with self._slots:
                results, seconds = await self._render_all(task, base_url)
        except Exception as exc:  # a bug or a codec failure must still reach the client
            err = exc if isinstance(exc, ApiError) else ApiError(
                "inferenceFailed", None, f"The generation failed: {type(exc).__name__}: {exc}")
            item = err.for_task(task.taskType, task.taskUUID).item()
            self.store.fail_task(task.taskUUID, item, time.time())
            if task.webhookURL:
                self._spawn(self.deliverer.deliver(task.taskUUID, task.webhookURL, None, [item]))
            return
        ready_at = started + geometry.generation_seconds(seconds, self.settings.time_scale)
        self.store.finish_task(task.taskUUID, results, ready_at)
        if task.webhookURL or task.uploadEndpoint:
            self._spawn(self._deliver_when_ready(task, results, ready_at))

    async def _deliver_when_ready(self, task: AnimateTask, results: list[dict[str, Any]], ready_at: float) -> None:
        await asyncio.sleep(max(0.0, ready_at - time.time()))
        await self.deliverer.deliver(task.taskUUID, task.webhookURL, task.uploadEndpoint, results)

    async def _render_all(self, task: AnimateTask, base_url: str) -> tuple[list[dict[str, Any]], float]:
        image, video = await asyncio.gather(
            self.resolver.image(task.inputs.referenceImages[0], base_url=base_url),
            self.resolver.video(task.inputs.referenceVideos[0], base_url=base_url),
        )
        info = video.info
        width, height = geometry.output_size(info.stored_width, info.stored_height, task.resolution, info.rotation)
        rate = geometry.output_rate(info.rate, task.fps)
        plan = geometry.OutputPlan(width, height, rate, geometry.frame_count(info.duration, rate))
        audio = task.settings.preserveAudio and info.has_audio
        seeds = _seeds(task)
        expires_at = time.time() + task.ttl if task.ttl else None
        results = []
        for seed in seeds:
            media_uuid, path = self.store.new_media_path(EXTENSIONS[task.outputFormat])
            await asyncio.to_thread(
                self.renderer.render,
                image=image.image,
                image_digest=image.digest,
                source=video.path,
                plan=plan,
                output_format=task.outputFormat,
                quality=task.outputQuality,
                audio=audio,
                seed=seed,
                out_path=path,
            )
            self.store.add_media(media_uuid, "output", path.name, CONTENT_TYPES[task.outputFormat], expires_at=expires_at)
            item = VideoResult(
                taskUUID=task.taskUUID,
                videoUUID=media_uuid,
                videoURL=f"{base_url}/media/{path.name}",
                seed=seed,
                cost=geometry.cost(task.resolution, plan.seconds) if task.includeCost else None,
            )
            results.append(dump(item))
        return results, plan.seconds

    # -- polling ------------------------------------------------------------------------

    def poll(self, row: TaskRow, count_poll: bool = True) -> list[dict[str, Any]]:
        """getResponse items for an animate task: one per generation.

        A job rule (``/__admin/jobs``) can hold the task in ``processing`` for a number of
        polls or seconds, then let it succeed or fail with a chosen error."""
        now = time.time()
        polls_before = self.store.count_poll(row.task_uuid) if count_poll else 0
        hold = self.store.hold_of(row.task_uuid)
        if hold is not None:
            if polls_before < hold.polls or (hold.until is not None and now < hold.until):
                done = polls_before / hold.polls if hold.polls else 0.0
                if hold.until is not None and hold.until > row.created_at:
                    done = max(done, (now - row.created_at) / (hold.until - row.created_at))
                return self._processing(row, int(100 * done))
            if hold.error:
                raise _task_failure(ApiError(hold.error, None, task_type=row.task_type, task_uuid=row.task_uuid))
        if row.state == "failed" and (row.ready_at or 0) <= now:
            raise _stored_error(row)
        if row.state == "done" and (row.ready_at or 0) <= now:
            return [{**item, "status": "success"} for item in row.results or []]
        progress = 0
        if row.ready_at and row.ready_at > row.created_at:
            progress = int(100 * (now - row.created_at) / (row.ready_at - row.created_at))
        return self._processing(row, progress)

    @staticmethod
    def _processing(row: TaskRow, progress: int) -> list[dict[str, Any]]:
        count = row.request.get("numberResults", 1)
        count = count if isinstance(count, int) and count > 0 else 1
        item = dump(ProcessingItem(taskUUID=row.task_uuid, progress=max(0, min(99, progress))))
        return [dict(item) for _ in range(count)]


def _seeds(task: AnimateTask) -> list[int]:
    """One distinct seed per result: the given seed counts up, else random ones."""
    if task.seed is not None:
        return [min(task.seed + i, 9223372036854775807 - i) for i in range(task.numberResults)]
    rng = random.SystemRandom()
    seeds: set[int] = set()
    while len(seeds) < task.numberResults:
        seeds.add(rng.randint(1, 2**31 - 1))
    return sorted(seeds)


def _task_failure(err: ApiError) -> ApiError:
    err.task_failure = True
    return err


def _stored_error(row: TaskRow) -> ApiError:
    item = row.error or {}
    err = ApiError(item.get("code", "inferenceFailed"), item.get("parameter"), item.get("message"))
    return _task_failure(err.for_task(row.task_type, row.task_uuid))
