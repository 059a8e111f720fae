"""Provider verification: does a server (the fake, or the real Runware API) still answer
as the contract says?

Two parts:

1. **schemathesis** over the OpenAPI document (``contracts/openapi.py``): every response
   is a documented status with a body matching the schema; schema-violating requests are
   rejected; nothing is a server error.
2. **Contract properties** with hypothesis: every invalid task gets its exact code and
   parameter; valid tasks with generated source media go submit → poll → download →
   probe, and the video must have the size, rate, duration and audio the rules demand.

A failure prints a minimal reproducer: the request (JSON) and the hypothesis seed.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import sys
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
from hypothesis.reporting import with_reporter
from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule, run_state_machine_as_test

from contracts import geometry
from contracts import strategies as rs
from contracts.examples import get_response
from contracts.openapi import openapi_document
from contracts.probe import Expected, check_output
from contracts.profiles import PROFILES


@dataclass
class Finding:
    check: str
    detail: str
    reproducer: Any = None


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


class _Client:
    def __init__(self, base_url: str, api_key: str, timeout: float) -> None:
        self.http = httpx.Client(headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout)
        self.url = base_url.rstrip("/") + "/v1"

    def post(self, *tasks: dict[str, Any]) -> httpx.Response:
        return self.http.post(self.url, json=list(tasks))


def run_schemathesis(base_url: str, api_key: str, max_examples: int, seed: int, workdir: Path) -> Finding | None:
    """schemathesis's CLI over our document; None when it passes."""
    doc = workdir / "openapi.json"
    doc.write_text(json.dumps(openapi_document()))
    exe = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    command = [exe, "run", str(doc), "--url", base_url.rstrip("/"), "-H", f"Authorization: Bearer {api_key}",
               "-n", str(max_examples), "--seed", str(seed), "--checks", "all",
               # A schema-valid animate task can still fail: its media must decode.
               "--exclude-checks", "positive_data_acceptance",
               "--phases", "examples,coverage,fuzzing", "--no-color", "--generation-database", "none"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode == 0:
        return None
    return Finding("schemathesis", done.stdout[-4000:] + done.stderr[-1000:],
                   " ".join(command[:3] + ["--url", base_url, "..."]))


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck))


def _run_property(name: str, test: Callable[[], None], last: dict[str, Any], report: Report, seed: int) -> None:
    try:
        test()
    except AssertionError as exc:
        report.findings.append(Finding(name, str(exc), {"request": last.get("request"), "hypothesisSeed": seed}))
    else:
        report.passed.append(name)


def check_invalid_tasks(client: _Client, image: str, video: str, examples: int, seed: int, report: Report) -> None:
    last: dict[str, Any] = {}

    @hypothesis_seed(seed)
    @_settings(examples)
    @given(case=rs.invalid_animate_tasks(image, video))
    def prop(case: rs.InvalidTask) -> None:
        last["request"] = [case.task]
        response = client.post(case.task)
        assert 400 <= response.status_code < 500, f"{case.case}: HTTP {response.status_code}: {response.text[:300]}"
        errors = response.json().get("errors") or []
        got = [(e.get("code"), e.get("parameter")) for e in errors]
        assert (case.code, case.parameter) in got, f"{case.case}: expected {case.code}/{case.parameter}, got {got}"

    _run_property("invalid tasks get their exact code and parameter", prop, last, report, seed)


def _upload_video(client: _Client, path: Path) -> str:
    task = {"taskType": "mediaStorage", "taskUUID": str(uuid.uuid4()), "operation": "upload",
            "media": base64.b64encode(path.read_bytes()).decode()}
    response = client.post(task)
    assert response.status_code == 200, f"mediaStorage upload: HTTP {response.status_code}: {response.text[:300]}"
    return response.json()["data"][0]["mediaUUID"]


def _results(client: _Client, task: dict[str, Any], first: httpx.Response, deadline: float) -> list[dict[str, Any]]:
    assert first.status_code == 200, f"submit: HTTP {first.status_code}: {first.text[:300]}"
    items = first.json().get("data") or []
    if task.get("deliveryMethod") != "async":
        return items
    assert items and items[0].get("taskUUID") == task["taskUUID"], f"no ack: {first.text[:300]}"
    while time.monotonic() < deadline:
        response = client.post(get_response(task["taskUUID"]))
        assert response.status_code == 200, f"getResponse: HTTP {response.status_code}: {response.text[:300]}"
        items = response.json()["data"]
        assert items, "getResponse answered an empty data array"
        if all(i.get("status") == "success" for i in items):
            return items
        assert all(i.get("status") == "processing" for i in items), f"unexpected status: {items}"
        time.sleep(0.5)
    raise AssertionError("the task did not finish before the deadline")


def _check_items(client: _Client, items: list[dict[str, Any]], fields: dict[str, Any], spec: rs.SourceSpec,
                 workdir: Path) -> None:
    """Finished items of one task against the rules: count, seeds, cost, and each file probed."""
    resolution = fields.get("resolution", "720p")
    width, height = geometry.output_size(spec.width, spec.height, resolution, spec.rotation)
    rate = Fraction(fields["fps"]) if "fps" in fields else spec.rate
    audio = fields.get("settings", {}).get("preserveAudio", True) and spec.audio
    fmt = fields.get("outputFormat", "MP4")
    assert len(items) == fields.get("numberResults", 1), f"{len(items)} results for {fields.get('numberResults', 1)}"
    assert len({i["seed"] for i in items}) == len(items), "results share a seed"
    if "seed" in fields:
        assert items[0]["seed"] == fields["seed"], "the given seed is not echoed"
    for item in items:
        path = workdir / f"out-{uuid.uuid4().hex}"
        path.write_bytes(client.http.get(item["videoURL"]).content)
        problems = check_output(path, Expected(fmt, width, height, rate, spec.duration, audio))
        assert not problems, f"output {item['videoURL']}: " + "; ".join(problems)
        if fields.get("includeCost"):
            seconds = geometry.output_seconds(geometry.frame_count(spec.duration, rate), rate)
            expected = geometry.cost(resolution, seconds)
            assert abs(item.get("cost", -1) - expected) < 0.01, f"cost {item.get('cost')}, expected {expected}"
        path.unlink()


def _image_reference(image: bytes, form: str) -> str:
    b64 = base64.b64encode(image).decode()
    return b64 if form == "base64" else "data:image/png;base64," + b64


def check_lifecycle(client: _Client, examples: int, seed: int, report: Report, workdir: Path,
                    max_wait: float) -> None:
    last: dict[str, Any] = {}

    @hypothesis_seed(seed)
    @_settings(examples)
    @given(spec=rs.source_specs(), fields=rs.animate_fields(), image=rs.reference_images(),
           image_form=st.sampled_from(["base64", "dataURI"]))
    def prop(spec: rs.SourceSpec, fields: dict[str, Any], image: bytes, image_form: str) -> None:
        source = rs.render_source(spec, workdir / f"src-{uuid.uuid4().hex}.mp4")
        task = {"taskType": "videoInference", "taskUUID": str(uuid.uuid4()), "model": "prunaai:p-video@animate",
                "inputs": {"referenceImages": [_image_reference(image, image_form)],
                           "referenceVideos": [_upload_video(client, source)]},
                **fields}
        last["request"] = [{**task, "inputs": {"referenceImages": ["<image bytes>"],
                                               "referenceVideos": [f"<{spec}>"]}}]
        items = _results(client, task, client.post(task), time.monotonic() + max_wait)
        _check_items(client, items, fields, spec, workdir)
        source.unlink()

    _run_property("valid tasks produce videos that follow the output rules", prop, last, report, seed)


@dataclass
class _Submitted:
    task: dict[str, Any]
    fields: dict[str, Any]
    spec: rs.SourceSpec
    items: list[dict[str, Any]] | None = None  # once finished and checked


def check_stateful(client: _Client, examples: int, seed: int, report: Report, workdir: Path,
                   max_wait: float) -> None:
    """A hypothesis state machine over the async flow: hosted sources, interleaved submits
    and polls, reused UUIDs, unknown UUIDs, and earlier outputs fed back as sources."""
    last: dict[str, Any] = {}
    image = _image_reference(_small_image_bytes(), "dataURI")

    class Contract(RuleBasedStateMachine):
        sources = Bundle("sources")
        tasks = Bundle("tasks")

        @rule(target=sources, spec=rs.source_specs(max_seconds=1.0))
        def host_source(self, spec: rs.SourceSpec) -> tuple[str, rs.SourceSpec]:
            path = rs.render_source(spec, workdir / f"src-{uuid.uuid4().hex}.mp4")
            media = _upload_video(client, path)
            path.unlink()
            return media, spec

        @rule(target=tasks, source=sources, fields=rs.animate_fields())
        def submit(self, source: tuple[str, rs.SourceSpec], fields: dict[str, Any]) -> _Submitted:
            task = {"taskType": "videoInference", "taskUUID": str(uuid.uuid4()), "model": "prunaai:p-video@animate",
                    "inputs": {"referenceImages": [image], "referenceVideos": [source[0]]},
                    **fields, "deliveryMethod": "async"}
            last["request"] = [task]
            response = client.post(task)
            assert response.status_code == 200, f"submit: HTTP {response.status_code}: {response.text[:300]}"
            assert response.json()["data"] == [{"taskType": "videoInference", "taskUUID": task["taskUUID"]}], \
                f"ack: {response.text[:300]}"
            return _Submitted(task, {**fields, "deliveryMethod": "async"}, source[1])

        @rule(ref=tasks)
        def poll(self, ref: _Submitted) -> None:
            last["request"] = [get_response(ref.task["taskUUID"])]
            response = client.post(get_response(ref.task["taskUUID"]))
            assert response.status_code == 200, f"getResponse: HTTP {response.status_code}: {response.text[:300]}"
            items = response.json()["data"]
            assert items and all(i["taskUUID"] == ref.task["taskUUID"] for i in items), f"items: {items}"
            statuses = {i.get("status") for i in items}
            assert statuses <= {"processing", "success"} and len(statuses) == 1, f"statuses: {statuses}"
            if statuses == {"success"} and ref.items is None:
                _check_items(client, items, ref.fields, ref.spec, workdir)
                ref.items = items

        @rule(ref=tasks)
        def reuse_uuid(self, ref: _Submitted) -> None:
            last["request"] = [ref.task]
            errors = client.post(ref.task).json().get("errors") or []
            assert [(e.get("code"), e.get("taskUUID")) for e in errors] == [("conflictTaskUUID", ref.task["taskUUID"])], \
                f"reused UUID answered {errors}"

        @rule()
        def poll_unknown(self) -> None:
            unknown = str(uuid.uuid4())
            last["request"] = [get_response(unknown)]
            errors = client.post(get_response(unknown)).json().get("errors") or []
            assert [e.get("code") for e in errors] == ["taskNotFound"], f"unknown UUID answered {errors}"

        @rule(target=sources, ref=tasks)
        def output_as_source(self, ref: _Submitted) -> tuple[str, rs.SourceSpec]:
            """A finished output's videoUUID is a valid source; its geometry is the rule's."""
            if ref.items is None:
                deadline = time.monotonic() + max_wait
                while ref.items is None and time.monotonic() < deadline:
                    self.poll(ref)
                    time.sleep(0.2)
                assert ref.items is not None, "the task did not finish before the deadline"
            fields, spec = ref.fields, ref.spec
            width, height = geometry.output_size(spec.width, spec.height, fields.get("resolution", "720p"),
                                                 spec.rotation)
            rate = Fraction(fields["fps"]) if "fps" in fields else spec.rate
            audio = bool(fields.get("settings", {}).get("preserveAudio", True) and spec.audio)
            return ref.items[0]["videoUUID"], rs.SourceSpec(width, height, rate,
                                                             geometry.frame_count(spec.duration, rate), audio, 0)

    program: list[str] = []
    try:
        with with_reporter(program.append):  # hypothesis reports the shrunk steps here
            run_state_machine_as_test(Contract, settings=settings(
                max_examples=examples, stateful_step_count=8, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck)))
    except AssertionError as exc:
        steps = [*program, *getattr(exc, "__notes__", [])]  # newer hypothesis attaches them as notes
        report.findings.append(Finding("stateful", str(exc), {"request": last.get("request"),
                                                              "steps": "\n".join(steps)}))
    else:
        report.passed.append("stateful: interleaved submits, polls, reuse, unknown UUIDs, outputs as sources")


def verify(base_url: str, api_key: str, *, examples: int | None = None, profile: str = "ci", seed: int = 0,
           schemathesis: bool = True, max_wait: float = 600.0) -> Report:
    """Run the whole contract against ``base_url``; see the module docstring."""
    examples = examples or PROFILES[profile]
    report = Report()
    client = _Client(base_url, api_key, timeout=max_wait)
    with tempfile.TemporaryDirectory(prefix="runware-verify-") as tmp:
        workdir = Path(tmp)
        if schemathesis:
            finding = run_schemathesis(base_url, api_key, examples, seed, workdir)
            if finding:
                report.findings.append(finding)
            else:
                report.passed.append("schemathesis: documented statuses and schemas, no server errors")
        check_invalid_tasks(client, _small_image_uri(), "https://example.com/source.mp4", examples, seed, report)
        check_lifecycle(client, max(1, examples // 4), seed, report, workdir, max_wait)
        check_stateful(client, max(5, examples // 3), seed, report, workdir, max_wait)
    return report


def _small_image_bytes() -> bytes:
    from mock_server.fixtures import character_image

    buf = io.BytesIO()
    character_image(64, 96).save(buf, format="PNG")
    return buf.getvalue()


def _small_image_uri() -> str:
    return _image_reference(_small_image_bytes(), "dataURI")
