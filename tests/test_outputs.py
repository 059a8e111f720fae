"""Every output is decoded back and checked: codec, size, rate, duration, audio.

Expected values come from the fixture's own description (what was written), not from
probing the source, so the fake's reading of its inputs is under test too.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import httpx
import pytest

from contracts.geometry import output_size
from contracts.probe import Expected, check_output
from mock_server import fixtures
from tests.conftest import post

RESOLUTIONS = ["720p", "1080p"]
RATES = [None, 24, 48]
#: The geometry rule on each fixture, written out by hand (displayed size after rotation).
SIZES = {
    ("landscape-16x9-audio.mp4", "720p"): (1280, 720),
    ("landscape-16x9-audio.mp4", "1080p"): (1920, 1080),
    ("portrait-9x16.mp4", "720p"): (720, 1280),
    ("portrait-9x16.mp4", "1080p"): (1080, 1920),
    ("square-noaudio.mp4", "720p"): (720, 720),
    ("square-noaudio.mp4", "1080p"): (1080, 1080),
    ("ntsc-1366x768.mp4", "720p"): (1280, 720),
    ("ntsc-1366x768.mp4", "1080p"): (1920, 1080),
    ("phone-rotated.mov", "720p"): (720, 1280),
    ("phone-rotated.mov", "1080p"): (1080, 1920),
}


def _download(url: str, tmp_path: Path, name: str) -> Path:
    response = httpx.get(url, timeout=60)
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def _matrix():
    for name in fixtures.VIDEOS:
        for resolution in RESOLUTIONS:
            for fps in RATES:
                for audio in (True, False):
                    yield pytest.param(name, resolution, fps, audio, id=f"{name}-{resolution}-{fps or 'src'}-{'a' if audio else 'na'}")


@pytest.mark.parametrize("name,resolution,fps,audio", list(_matrix()))
def test_output_matches_contract(api, server, image_url, task, tmp_path, name, resolution, fps, audio):
    spec = fixtures.VIDEOS[name]
    fields = {"resolution": resolution, "settings": {"preserveAudio": audio}}
    if fps:
        fields["fps"] = fps
    body = task(**fields)
    body["inputs"]["referenceVideos"] = [server.fixture_url(name)]
    response = post(api, body)
    assert response.status_code == 200, response.text
    (item,) = response.json()["data"]
    assert item["taskUUID"] == body["taskUUID"] and item["videoURL"].endswith(".mp4")
    path = _download(item["videoURL"], tmp_path, "out.mp4")
    width, height = SIZES[(name, resolution)]
    expected = Expected("MP4", width, height, Fraction(fps) if fps else spec.rate, spec.duration,
                        audio=audio and spec.audio is not None)
    assert check_output(path, expected) == []


@pytest.mark.parametrize("fmt,name", [("MOV", "landscape-16x9-audio.mp4"), ("WEBM", "landscape-16x9-audio.mp4"),
                                       ("WEBM", "phone-rotated.mov"), ("MOV", "phone-rotated.mov"),
                                       ("WEBM", "square-noaudio.mp4")])
def test_other_formats(api, server, task, tmp_path, fmt, name):
    spec = fixtures.VIDEOS[name]
    body = task(outputFormat=fmt, fps=24)
    body["inputs"]["referenceVideos"] = [server.fixture_url(name)]
    response = post(api, body)
    assert response.status_code == 200, response.text
    (item,) = response.json()["data"]
    path = _download(item["videoURL"], tmp_path, f"out.{fmt.lower()}")
    width, height = output_size(spec.width, spec.height, "720p", spec.rotation)
    assert check_output(path, Expected(fmt, width, height, Fraction(24), spec.duration, spec.audio is not None)) == []
    served = httpx.head(item["videoURL"])
    assert served.headers["content-type"] == {"MOV": "video/quicktime", "WEBM": "video/webm"}[fmt]


@pytest.mark.parametrize("size,resolution,rotation,expected", [
    ((1366, 768), "720p", 0, (1280, 720)),
    ((852, 480), "720p", 0, (1278, 720)),
    ((853, 480), "1080p", 0, (1920, 1080)),
    ((1080, 1920), "720p", 0, (720, 1280)),
    ((1000, 1000), "1080p", 0, (1080, 1080)),
    ((1920, 1080), "720p", 90, (720, 1280)),
    ((1920, 1080), "720p", -90, (720, 1280)),
    ((1920, 1080), "1080p", 180, (1920, 1080)),
])
def test_geometry_rule(size, resolution, rotation, expected):
    assert output_size(*size, resolution, rotation) == expected


def test_ntsc_rate_is_kept_exactly(api, server, task, tmp_path):
    from contracts.probe import probe_video

    body = task()
    body["inputs"]["referenceVideos"] = [server.fixture_url("ntsc-1366x768.mp4")]
    (item,) = post(api, body).json()["data"]
    info = probe_video(_download(item["videoURL"], tmp_path, "ntsc.mp4"))
    assert info.rate == Fraction(30000, 1001)
    assert info.frames == 60


def test_output_is_served_with_range_support(api, task):
    (item,) = post(api, task()).json()["data"]
    whole = httpx.get(item["videoURL"])
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers.get("accept-ranges") == "bytes"
    part = httpx.get(item["videoURL"], headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == whole.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole.content)}"
