"""Consumer conformance: run any client against the fake with hypothesis-generated jobs
and fault plans, and tell its author which property of the contract it breaks.

Each example is one job (image form, source media, resolution, fps, audio, prompt,
seed) under one scenario (plain, transient errors on submit or poll, a dropped socket
mid-poll, slow processing, a failed generation). Every job uses its own API key, so the
fake's journal shows exactly what that client sent. The properties are in
:data:`PROPERTIES`; a property that fails is searched again alone, so hypothesis shrinks
it to a minimal reproducible case.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import httpx
from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings
from hypothesis import strategies as st

from contracts import geometry
from contracts import strategies as rs
from contracts.adapters import Adapter, ClientOutcome
from contracts.admin import Admin
from contracts.errors import TRANSIENT_CODES
from contracts.examples import get_response
from contracts.probe import Expected, check_output
from contracts.rules import is_uuid_v4

PROPERTIES: dict[str, str] = {
    "requests-valid": "every request the client sends is valid",
    "task-uuid-v4": "task UUIDs are canonical UUID v4",
    "task-uuid-unique": "a task UUID is never reused across distinct jobs",
    "parameters-as-asked": "the job's parameters are sent as asked",
    "polling-not-abusive": "getResponse is not polled faster than the minimum interval",
    "transient-retried": "transient errors (429/503/504, dropped connection) are retried to success",
    "permanent-reported": "a failed generation is reported, not retried forever",
    "right-video": "the client returns the job's video, and it follows the output rules",
    "no-hang": "the client finishes before the deadline",
}

SCENARIOS = ("plain", "transient-submit", "transient-poll", "dropped-poll", "slow", "failed")
FIXTURE_IMAGES = ("character-portrait.png", "character-square.jpg", "character-landscape.webp")
FIXTURE_VIDEOS = ("landscape-16x9-audio.mp4", "portrait-9x16.mp4", "square-noaudio.mp4", "ntsc-1366x768.mp4",
                  "phone-rotated.mov")


@dataclass(frozen=True)
class Scenario:
    kind: str
    status: int = 503
    count: int = 1
    polls: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class JobSpec:
    image: str  # fixture name
    image_form: str  # url | dataURI | base64
    source: str | None  # fixture name, or None for a generated source
    generated: rs.SourceSpec | None
    fields: dict[str, Any]  # asked fields, client-facing names

    def describe(self) -> dict[str, Any]:
        source = self.source or f"generated {self.generated}"
        return {"image": f"{self.image} as {self.image_form}", "source": source, **self.fields}


@dataclass
class ExampleResult:
    job: dict[str, Any]
    scenario: Scenario
    outcome: ClientOutcome
    verdicts: dict[str, bool | None]  # None: not applicable
    reasons: dict[str, str]
    requests: int

    @property
    def failed(self) -> list[str]:
        return [name for name, ok in self.verdicts.items() if ok is False]


@dataclass
class ConformReport:
    client: str
    examples: list[ExampleResult] = field(default_factory=list)
    counterexamples: dict[str, ExampleResult] = field(default_factory=dict)  # property → shrunk case
    seconds: float = 0.0

    def failures(self) -> dict[str, int]:
        counts = {name: 0 for name in PROPERTIES}
        for example in self.examples:
            for name in example.failed:
                counts[name] += 1
        return counts

    def checked(self) -> dict[str, int]:
        counts = {name: 0 for name in PROPERTIES}
        for example in self.examples:
            for name, ok in example.verdicts.items():
                if ok is not None:
                    counts[name] += 1
        return counts

    @property
    def ok(self) -> bool:
        return not any(self.failures().values())


def job_specs() -> st.SearchStrategy[JobSpec]:
    fields = st.fixed_dictionaries({}, optional={
        "resolution": st.sampled_from(["720p", "1080p"]),
        "fps": st.sampled_from([24, 48]),
        "preserveAudio": st.booleans(),
        "positivePrompt": st.sampled_from(["the character waves", "a slow dance", "walks to the camera"]),
        "seed": st.integers(1, 2**31 - 1),
    })
    source = st.one_of(st.sampled_from(FIXTURE_VIDEOS).map(lambda name: (name, None)),
                       rs.source_specs(max_seconds=1.5).map(lambda spec: (None, spec)))
    return st.builds(lambda image, form, src, f: JobSpec(image, form, src[0], src[1], f),
                     st.sampled_from(FIXTURE_IMAGES), st.sampled_from(["url", "dataURI", "base64"]), source, fields)


def scenarios(kinds: tuple[str, ...] = SCENARIOS) -> st.SearchStrategy[Scenario]:
    options = {
        "plain": st.just(Scenario("plain")),
        "transient-submit": st.builds(Scenario, st.just("transient-submit"), st.sampled_from([429, 503, 504]),
                                      st.integers(1, 2)),
        "transient-poll": st.builds(Scenario, st.just("transient-poll"), st.sampled_from([429, 503, 504]),
                                    st.integers(1, 2)),
        "dropped-poll": st.just(Scenario("dropped-poll")),
        "slow": st.builds(Scenario, st.just("slow"), polls=st.integers(1, 3), seconds=st.sampled_from([0.0, 1.0])),
        "failed": st.just(Scenario("failed")),
    }
    return st.one_of([options[k] for k in kinds])


class Conformer:
    """Runs one client against a fake (which must serve ``/__admin/``)."""

    def __init__(self, adapter: Adapter, base_url: str, *, examples: int = 20, seed: int = 0,
                 deadline: float = 30.0, min_poll_interval: float = 0.25, scenario_kinds: tuple[str, ...] = SCENARIOS,
                 on_example: Callable[[ExampleResult], None] | None = None) -> None:
        self.adapter = adapter
        self.base_url = base_url.rstrip("/")
        self.admin = Admin(self.base_url)
        self.examples = examples
        self.seed = seed
        self.deadline = deadline
        self.min_poll_interval = min_poll_interval
        self.scenario_kinds = scenario_kinds
        self.on_example = on_example
        self.http = httpx.Client(timeout=60, headers={"Authorization": "Bearer conform-kit"})
        self._uuid_owner: dict[str, str] = {}
        self._workdir = Path(tempfile.mkdtemp(prefix="conform-"))

    # -- one example ----------------------------------------------------------------------

    def _fixture_url(self, name: str) -> str:
        return f"{self.base_url}/fixtures/{name}"

    def _image_value(self, job: JobSpec) -> str:
        if job.image_form == "url":
            return self._fixture_url(job.image)
        data = self.http.get(self._fixture_url(job.image)).content
        b64 = base64.b64encode(data).decode()
        mime = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[job.image.rsplit(".", 1)[1]]
        return f"data:{mime};base64,{b64}" if job.image_form == "dataURI" else b64

    def _video_value(self, job: JobSpec) -> tuple[str, rs.SourceSpec]:
        if job.source is not None:
            from mock_server.fixtures import VIDEOS

            f = VIDEOS[job.source]
            return self._fixture_url(job.source), rs.SourceSpec(f.width, f.height, f.rate, f.frames,
                                                                f.audio is not None, f.rotation)
        assert job.generated is not None
        path = rs.render_source(job.generated, self._workdir / f"{uuid.uuid4().hex}.mp4")
        task = {"taskType": "mediaStorage", "taskUUID": str(uuid.uuid4()), "operation": "upload",
                "media": base64.b64encode(path.read_bytes()).decode()}
        item = self.http.post(f"{self.base_url}/v1", json=[task]).json()["data"][0]
        path.unlink()
        return item["mediaURL"], job.generated

    def _install(self, scenario: Scenario) -> None:
        self.admin.faults.clear()
        self.admin.jobs.clear()
        if scenario.kind == "transient-submit":
            self.admin.faults.add("error", count=scenario.count, taskType="videoInference", status=scenario.status)
        elif scenario.kind == "transient-poll":
            self.admin.faults.add("error", count=scenario.count, taskType="getResponse", status=scenario.status)
        elif scenario.kind == "dropped-poll":
            self.admin.faults.add("close", count=1, taskType="getResponse")
        elif scenario.kind == "slow":
            self.admin.jobs.hold(polls=scenario.polls, seconds=scenario.seconds)
        elif scenario.kind == "failed":
            self.admin.jobs.hold(error="inferenceFailed")

    def run_example(self, job: JobSpec, scenario: Scenario) -> ExampleResult:
        key = f"conform-{uuid.uuid4().hex[:12]}"
        image, (video, source) = self._image_value(job), self._video_value(job)
        client_job = {"image": image, "video": video, **job.fields}
        server = {"restURL": f"{self.base_url}/v1", "wsURL": self.base_url.replace("http", "ws", 1) + "/v1",
                  "baseURL": self.base_url, "apiKey": key}
        self._install(scenario)
        outcome = self.adapter.run(client_job, server, self.deadline)
        self.admin.faults.clear()
        self.admin.jobs.clear()
        journal = self.admin.journal.entries(api_key=key)
        verdicts, reasons = self._judge(key, client_job, source, scenario, outcome, journal)
        result = ExampleResult(job.describe(), scenario, outcome, verdicts, reasons, len(journal))
        if self.on_example:
            self.on_example(result)
        return result

    # -- the properties -----------------------------------------------------------------

    def _judge(self, key: str, job: dict[str, Any], source: rs.SourceSpec, scenario: Scenario,
               outcome: ClientOutcome, journal: list[dict[str, Any]]) -> tuple[dict[str, bool | None], dict[str, str]]:
        v: dict[str, bool | None] = {}
        why: dict[str, str] = {}

        def verdict(name: str, ok: bool | None, reason: str = "") -> None:
            v[name] = ok
            if ok is False:
                why[name] = reason

        invalid = [e for e in journal if e["verdict"] == "invalid"]
        verdict("requests-valid", not invalid,
                "; ".join(f"{e['taskType']} answered {', '.join(e['codes'])}" for e in invalid[:3]))
        submits = [e for e in journal if e["taskType"] == "videoInference"]
        uuids = [e["taskUUID"] for e in submits]
        bad = [u for u in uuids if not is_uuid_v4(u)]
        verdict("task-uuid-v4", not bad if submits else None, f"not canonical v4: {bad[:3]}")
        reused = sorted({u for u in uuids if u and self._uuid_owner.get(u, key) != key})
        for u in uuids:
            if u:
                self._uuid_owner.setdefault(u, key)
        verdict("task-uuid-unique", not reused if submits else None, f"reused from an earlier job: {reused[:3]}")
        verdict("parameters-as-asked", *self._parameters(job, submits))
        verdict("polling-not-abusive", *self._polling(journal))
        faulted = [e for e in journal if e["verdict"] == "fault"]
        transient = any(set(e["codes"]) & TRANSIENT_CODES or not e["codes"] for e in faulted)
        if scenario.kind == "failed":
            verdict("transient-retried", None)
            after = [e for e in journal if "inferenceFailed" in e["codes"]]
            later = [e for e in journal if after and e["id"] > after[0]["id"]]
            ok = outcome.reported_failure and outcome.video_url is None and len(later) <= 3
            verdict("permanent-reported", ok,
                    "the client did not report the failed generation before the deadline" if outcome.hung else
                    f"{len(later)} more requests after the failure" if len(later) > 3 else
                    f"the client returned {outcome.video_url!r} for a failed generation")
            verdict("right-video", None)
        else:
            verdict("permanent-reported", None)
            verdict("transient-retried", outcome.video_url is not None if transient else None,
                    f"gave up after an injected transient error: {outcome.error}")
            verdict("right-video", *self._right_video(key, job, source, outcome, submits))
        verdict("no-hang", not outcome.hung, f"still running after {self.deadline:g}s")
        return v, why

    @staticmethod
    def _parameters(job: dict[str, Any], submits: list[dict[str, Any]]) -> tuple[bool | None, str]:
        if not submits:
            return None, ""
        for entry in submits:
            body = entry["body"] if isinstance(entry["body"], dict) else {}
            inputs = body.get("inputs") if isinstance(body.get("inputs"), dict) else {}
            sent = {"image": inputs.get("referenceImages"), "video": inputs.get("referenceVideos"),
                    "resolution": body.get("resolution"), "fps": body.get("fps"),
                    "preserveAudio": (body.get("settings") or {}).get("preserveAudio")
                    if isinstance(body.get("settings"), dict) else None,
                    "positivePrompt": body.get("positivePrompt"), "seed": body.get("seed")}
            expected = {"image": [job["image"]], "video": [job["video"]]}
            expected.update({k: job[k] for k in ("resolution", "fps", "preserveAudio", "positivePrompt", "seed")
                             if k in job})
            wrong = {k: (sent[k], want) for k, want in expected.items() if sent[k] != want}
            if wrong:
                shown = {k: (str(s)[:60], str(w)[:60]) for k, (s, w) in wrong.items()}
                return False, f"sent vs asked: {shown}"
        return True, ""

    def _polling(self, journal: list[dict[str, Any]]) -> tuple[bool | None, str]:
        polls: dict[str, list[float]] = {}
        for e in journal:
            if e["taskType"] == "getResponse" and e["taskUUID"]:
                polls.setdefault(e["taskUUID"], []).append(e["at"])
        if not polls:
            return None, ""
        for task_uuid, times in polls.items():
            gaps = [b - a for a, b in zip(times, times[1:])]
            fast = [g for g in gaps if g < self.min_poll_interval]
            if fast:
                return False, (f"{len(fast)} of {len(gaps)} polls of {task_uuid[:8]} came sooner than "
                               f"{self.min_poll_interval:g}s (shortest {min(fast) * 1000:.0f} ms)")
        return True, ""

    def _right_video(self, key: str, job: dict[str, Any], source: rs.SourceSpec, outcome: ClientOutcome,
                     submits: list[dict[str, Any]]) -> tuple[bool | None, str]:
        if outcome.video_url is None:
            return False, f"no video returned: {outcome.error}"
        urls: set[str] = set()
        for entry in submits:
            answer = self.http.post(f"{self.base_url}/v1", json=[get_response(entry["taskUUID"])]).json()
            urls.update(i.get("videoURL") for i in answer.get("data", []) if i.get("status") == "success")
        if outcome.video_url not in urls:
            return False, f"returned {outcome.video_url!r}, not a result of the job's task"
        rate = Fraction(job["fps"]) if "fps" in job else source.rate
        width, height = geometry.output_size(source.width, source.height, job.get("resolution", "720p"),
                                             source.rotation)
        audio = job.get("preserveAudio", True) and source.audio
        path = self._workdir / f"{uuid.uuid4().hex}.mp4"
        path.write_bytes(self.http.get(outcome.video_url).content)
        problems = check_output(path, Expected("MP4", width, height, rate, source.duration, audio), decode_all=False)
        path.unlink()
        return (not problems), "; ".join(problems)

    # -- the search ---------------------------------------------------------------------

    def _search(self, examples: int, stop_on: str | None, record: Callable[[ExampleResult], None],
                shrink: bool) -> None:
        phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]

        @hypothesis_seed(self.seed)
        @settings(max_examples=examples, deadline=None, database=None, phases=phases,
                  suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
        @given(job=job_specs(), scenario=scenarios(self.scenario_kinds))
        def prop(job: JobSpec, scenario: Scenario) -> None:
            result = self.run_example(job, scenario)
            record(result)
            if stop_on and stop_on in result.failed:
                raise AssertionError(f"{stop_on}: {result.reasons[stop_on]}")

        try:
            prop()
        except AssertionError:
            pass

    def run(self) -> ConformReport:
        """All examples first (every property judged on each), then one shrinking search per
        failed property, so each failure gets its own minimal counterexample."""
        started = time.monotonic()
        report = ConformReport(self.adapter.name)
        try:
            self._search(self.examples, None, report.examples.append, shrink=False)
            for name, count in report.failures().items():
                if count:
                    last: list[ExampleResult] = []
                    self._search(self.examples, name, last.append, shrink=True)
                    failing = [r for r in last if name in r.failed]
                    if failing:
                        report.counterexamples[name] = failing[-1]  # hypothesis replays the shrunk case last
        finally:
            self.close()
        report.seconds = time.monotonic() - started
        return report

    def close(self) -> None:
        self.http.close()
        self.admin.close()
        shutil.rmtree(self._workdir, ignore_errors=True)
