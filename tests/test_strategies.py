"""The public strategies generate what they promise, checked against the fake's own rules
and against real decoding."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings

from contracts import strategies as rs
from contracts.errors import ApiError
from contracts.probe import probe_video
from contracts.rules import is_uuid_v4, validate_animate
from mock_server.media import load_image


@given(rs.valid_animate_tasks("https://x.test/a.png", "https://x.test/b.mp4"))
def test_valid_tasks_validate(task):
    parsed = validate_animate(task)
    assert is_uuid_v4(parsed.taskUUID)


@given(rs.invalid_animate_tasks())
def test_invalid_tasks_get_their_code(case):
    with pytest.raises(ApiError) as info:
        validate_animate(case.task)
    assert (info.value.code, info.value.parameter) == (case.code, case.parameter)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=rs.source_specs(max_seconds=1.0))
def test_source_specs_render_to_what_they_say(tmp_path, spec):
    path = rs.render_source(spec, tmp_path / "src.mp4")
    info = probe_video(path)
    assert (info.stored_width, info.stored_height) == (spec.width, spec.height)
    assert info.rate == spec.rate
    assert abs(float(info.duration) - float(spec.duration)) <= max(0.05, 1.5 / float(spec.rate))
    assert info.has_audio == spec.audio
    assert info.rotation % 360 == spec.rotation % 360


@settings(max_examples=10, deadline=None)
@given(data=rs.reference_images())
def test_reference_images_decode(data):
    assert load_image(data).size[0] >= 16


@given(rs.fault_plans("getResponse"), rs.job_rules())
def test_fault_plans_and_rules_are_well_formed(plan, rule):
    assert plan.count >= 1 and plan.taskType == "getResponse"
    assert rule.polls >= 0 and rule.error in (None, "inferenceFailed")
