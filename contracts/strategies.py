"""Public hypothesis strategies for the P-Video-Animate contract.

- :func:`animate_fields` / :func:`valid_animate_tasks`: any valid combination of the
  optional fields and input forms;
- :func:`invalid_animate_tasks`: an invalid task paired with the exact error code and
  parameter the service must answer;
- :func:`source_specs`: source videos (aspect ratio, NTSC or integer rate, duration,
  audio, rotation), rendered to real files on the fly with :func:`render_source`;
- :func:`reference_images`: small images in every accepted format;
- :func:`fault_plans` / :func:`job_rules`: what the fake should do wrong, and when.

Example::

    from hypothesis import given
    from contracts import strategies as rs

    @given(rs.valid_animate_tasks(image_url, video_url))
    def test_client_accepts(task): ...
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from contracts import choices
from contracts.admin import FaultPlan, JobRule
from contracts.cases import INVALID_CASES, InvalidCase
from contracts.examples import animate_task

#: Aspect ratios (displayed) the sources cover.
ASPECTS = [(16, 9), (9, 16), (1, 1), (4, 3), (3, 4), (21, 9), (683, 384)]  # 683:384 is 1366x768
#: Frame rates: integer and NTSC.
RATES = [Fraction(24), Fraction(25), Fraction(30), Fraction(24000, 1001), Fraction(30000, 1001), Fraction(50)]


def task_uuids() -> st.SearchStrategy[str]:
    return st.uuids(version=4).map(str)


def animate_fields() -> st.SearchStrategy[dict[str, Any]]:
    """Optional fields of a valid animate task (any subset, any valid value)."""
    return st.fixed_dictionaries({}, optional={
        "positivePrompt": st.text(min_size=1, max_size=80).filter(str.strip),
        "resolution": st.sampled_from(["720p", "1080p"]),
        "fps": st.sampled_from([24, 48]),
        "seed": st.integers(choices.SEED_MIN, choices.SEED_MAX),
        "settings": st.fixed_dictionaries({}, optional={"preserveAudio": st.booleans()}),
        "outputType": st.just("URL"),
        "outputFormat": st.sampled_from(["MP4", "MOV", "WEBM"]),
        "outputQuality": st.integers(choices.OUTPUT_QUALITY_MIN, choices.OUTPUT_QUALITY_MAX),
        "includeCost": st.booleans(),
        "numberResults": st.integers(1, 2),
        "deliveryMethod": st.sampled_from(["sync", "async"]),
    })


def valid_animate_tasks(image: str | st.SearchStrategy[str], video: str | st.SearchStrategy[str]
                        ) -> st.SearchStrategy[dict[str, Any]]:
    """Complete valid tasks; ``image``/``video`` are values or strategies of input forms."""
    images = image if isinstance(image, st.SearchStrategy) else st.just(image)
    videos = video if isinstance(video, st.SearchStrategy) else st.just(video)
    return st.builds(lambda i, v, fields, u: {**animate_task(i, v, **fields), "taskUUID": u},
                     images, videos, animate_fields(), task_uuids())


@dataclass(frozen=True)
class InvalidTask:
    task: dict[str, Any]
    code: str
    parameter: str
    case: str


def invalid_animate_tasks(image: str = "https://example.com/a.png", video: str = "https://example.com/b.mp4"
                          ) -> st.SearchStrategy[InvalidTask]:
    """A valid task broken in one way, with the code and parameter the answer must carry."""
    def build(case: InvalidCase, base: dict[str, Any]) -> InvalidTask:
        return InvalidTask(case.apply(base), case.code, case.parameter, case.name)
    return st.builds(build, st.sampled_from(INVALID_CASES), valid_animate_tasks(image, video))


@dataclass(frozen=True)
class SourceSpec:
    """A source video to render: stored size, rate, frames, audio, rotation."""

    width: int
    height: int
    rate: Fraction
    frames: int
    audio: bool
    rotation: int

    @property
    def duration(self) -> Fraction:
        return self.frames / self.rate


@st.composite
def source_specs(draw: st.DrawFn, max_seconds: float = 2.0) -> SourceSpec:
    """Small sources (short side 96–240 px) covering aspect, rate, duration, audio, rotation."""
    aw, ah = draw(st.sampled_from(ASPECTS))
    short = draw(st.integers(48, 120)) * 2
    if aw >= ah:
        height, width = short, max(2, round(short * aw / ah / 2) * 2)
    else:
        width, height = short, max(2, round(short * ah / aw / 2) * 2)
    rotation = draw(st.sampled_from([0, 0, 90, -90, 180]))
    if rotation in (90, -90):  # stored sideways, shown as the aspect says
        width, height = height, width
    rate = draw(st.sampled_from(RATES))
    frames = draw(st.integers(max(2, int(rate * Fraction(1, 4))), int(rate * Fraction(max_seconds))))
    return SourceSpec(width, height, rate, frames, draw(st.booleans()), rotation)


def render_source(spec: SourceSpec, path: Path) -> Path:
    """Write the source as a real H.264 MP4 (AAC audio when asked)."""
    from mock_server.fixtures import VideoFixture, write_video

    write_video(VideoFixture(path.name, spec.width, spec.height, spec.rate, spec.frames,
                             "aac" if spec.audio else None, rotation=spec.rotation), path)
    return path


@st.composite
def reference_images(draw: st.DrawFn) -> bytes:
    """An image file (PNG, JPEG, WEBP, BMP or GIF) of a random small size."""
    from mock_server.fixtures import character_image

    width, height = draw(st.integers(16, 256)), draw(st.integers(16, 256))
    fmt = draw(st.sampled_from(["PNG", "JPEG", "WEBP", "BMP", "GIF"]))
    buf = io.BytesIO()
    character_image(width, height, hue=draw(st.integers(0, 100))).save(buf, format=fmt)
    return buf.getvalue()


def image_forms(data: bytes, url: str | None = None) -> st.SearchStrategy[str]:
    """The ways one image can be sent: base64, data URI, or a URL where it is served."""
    b64 = base64.b64encode(data).decode()
    forms = [st.just(b64), st.just("data:image/png;base64," + b64)]
    if url:
        forms.append(st.just(url))
    return st.one_of(forms)


def fault_plans(task_type: str | None = None) -> st.SearchStrategy[FaultPlan]:
    """Faults a client must survive: transient errors, slowness, drops, garbage."""
    transient = st.builds(FaultPlan, action=st.just("error"), status=st.sampled_from([429, 503, 504]),
                          count=st.integers(1, 2), taskType=st.just(task_type))
    slow = st.builds(FaultPlan, action=st.just("latency"), latency=st.floats(0.05, 0.5), count=st.integers(1, 2),
                     taskType=st.just(task_type))
    drop = st.builds(FaultPlan, action=st.just("close"), transport=st.just("ws"), count=st.just(1),
                     taskType=st.just(task_type))
    garbage = st.builds(FaultPlan, action=st.just("malformed"), count=st.just(1), taskType=st.just(task_type))
    return st.one_of(transient, slow, drop, garbage)


def job_rules(task_uuid: str | None = None) -> st.SearchStrategy[JobRule]:
    """Slow processing (held for polls or seconds), then success or a failed generation."""
    return st.builds(JobRule, taskUUID=st.just(task_uuid), polls=st.integers(0, 4),
                     seconds=st.sampled_from([0.0, 0.5, 1.0]),
                     error=st.sampled_from([None, None, "inferenceFailed"]))

