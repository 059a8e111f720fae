"""Provider verification: the fake passes its own contract, and a broken provider is caught
with a reproducer. The OpenAPI document is the one the server serves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from contracts.openapi import openapi_document, task_schemas
from contracts.server import LiveServer
from contracts.verify import verify


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("verify"), api_keys=frozenset({"verify-key"})) as srv:
        yield srv


def test_openapi_document_is_served_and_printed(keyed):
    served = httpx.get(f"{keyed.base_url}/openapi.json").json()
    assert served == openapi_document()
    printed = subprocess.run([str(Path(sys.executable).parent / "runware-mock"), "schema"], capture_output=True,
                             text=True, check=True).stdout
    assert json.loads(printed) == served
    post = served["paths"]["/v1"]["post"]
    assert {"400", "401", "402", "403", "429", "500", "503", "504"} <= set(post["responses"])
    task_types = {s["$ref"].rsplit("/", 1)[1] for s in served["components"]["schemas"]["Task"]["oneOf"]}
    assert {"AnimateTask", "GetResponseTask", "ImageUploadTask", "MediaStorageTask", "PingTask"} <= task_types
    assert served["paths"].keys() == {"/v1"}  # admin, media and fixtures are not the contract


def test_task_json_schema_is_standalone():
    schema = task_schemas()["AnimateTask"]
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"]["fps"]["anyOf"][0]["enum"] == [24, 48]
    assert schema["additionalProperties"] is False


def test_fake_passes_its_own_contract(keyed):
    report = verify(keyed.base_url, "verify-key", examples=12, seed=1)
    assert report.ok, "\n".join(f"{f.check}: {f.detail[-1500:]}" for f in report.findings)
    assert len(report.passed) == 4


def test_broken_provider_is_caught_with_a_reproducer(keyed):
    keyed.faults.add("error", count=1000, taskType="videoInference", status=503)
    try:
        report = verify(keyed.base_url, "verify-key", examples=5, seed=2, schemathesis=False)
    finally:
        keyed.faults.clear()
    assert not report.ok
    failed = {f.check: f for f in report.findings}
    invalid = failed["invalid tasks get their exact code and parameter"]
    assert "HTTP 503" in invalid.detail
    assert invalid.reproducer["hypothesisSeed"] == 2
    assert invalid.reproducer["request"][0]["taskType"] == "videoInference"
    stateful = failed["stateful"]
    assert "HTTP 503" in stateful.detail and "state = Contract()" in stateful.reproducer["steps"]
