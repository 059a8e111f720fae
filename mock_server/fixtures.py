"""Small source media made on demand, so examples work offline with plain URLs.

Nothing binary is committed: each fixture is described here and rendered the first
time it is asked for (``/fixtures/<name>`` on the server, ``scripts/make_fixtures.py``
on disk). Together they cover the source shapes the output rules care about.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw


@dataclass(frozen=True)
class VideoFixture:
    name: str
    width: int  # stored size
    height: int
    rate: Fraction
    frames: int
    audio: str | None  # None, "aac" or "pcm_s16le"
    rotation: int = 0
    container: str = "mp4"

    @property
    def duration(self) -> Fraction:
        return self.frames / self.rate


VIDEOS: dict[str, VideoFixture] = {
    f.name: f
    for f in [
        VideoFixture("landscape-16x9-audio.mp4", 640, 360, Fraction(25), 75, "aac"),
        VideoFixture("portrait-9x16.mp4", 360, 640, Fraction(30), 60, "aac"),
        VideoFixture("square-noaudio.mp4", 480, 480, Fraction(24), 48, None),
        VideoFixture("ntsc-1366x768.mp4", 1366, 768, Fraction(30000, 1001), 60, "aac"),
        # A phone clip: stored landscape, shown portrait, PCM audio as phones' .mov often have.
        VideoFixture("phone-rotated.mov", 640, 360, Fraction(30), 45, "pcm_s16le", rotation=-90, container="mov"),
    ]
}

IMAGES: dict[str, tuple[int, int, str]] = {
    "character-portrait.png": (512, 768, "PNG"),
    "character-square.jpg": (512, 512, "JPEG"),
    "character-landscape.webp": (768, 512, "WEBP"),
}

CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
}

_lock = threading.Lock()


def names() -> list[str]:
    return sorted([*VIDEOS, *IMAGES])


def ensure(directory: Path, name: str) -> Path:
    """The fixture's path in ``directory``, rendering it first if needed."""
    if name not in VIDEOS and name not in IMAGES:
        raise KeyError(name)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    with _lock:
        if not path.exists():
            tmp = directory / f".{uuid.uuid4().hex}.{name}"
            try:
                if name in VIDEOS:
                    write_video(VIDEOS[name], tmp)
                else:
                    _write_image(name, tmp)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
    return path


def character_image(width: int, height: int, hue: int = 0) -> Image.Image:
    """A simple figure on a gradient: enough to tell the output shows the reference image."""
    y = np.linspace(0, 1, height)[:, None]
    x = np.linspace(0, 1, width)[None, :]
    bg = np.stack([60 + 120 * x + 0 * y, 90 + 100 * y + 0 * x, 160 + 0 * x + 60 * y], axis=-1)
    img = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    cx, s = width // 2, min(width, height)
    d.ellipse([cx - s // 8, height // 6, cx + s // 8, height // 6 + s // 4], fill=(240, 200, 160))
    d.rectangle([cx - s // 6, height // 6 + s // 4, cx + s // 6, height * 5 // 6], fill=(200 - hue, 40, 60 + hue))
    return img


def _write_image(name: str, path: Path) -> None:
    width, height, fmt = IMAGES[name]
    character_image(width, height).save(path, format=fmt)


def write_video(spec: VideoFixture, path: Path) -> None:
    with av.open(str(path), "w", format=spec.container) as out:
        video = out.add_stream("libx264", rate=spec.rate)
        video.width, video.height, video.pix_fmt = spec.width, spec.height, "yuv420p"
        video.codec_context.options = {"preset": "ultrafast", "crf": "30"}
        if spec.rotation:
            video.set_display_rotation(spec.rotation)
        audio = None
        if spec.audio:
            audio = out.add_stream(spec.audio, rate=44100)
            audio.layout = "stereo"
        yy, xx = np.mgrid[0 : spec.height, 0 : spec.width]
        for i in range(spec.frames):
            # A diagonal band that moves: the "motion" of the source.
            phase = (xx + yy + 8 * i) % 128
            frame_rgb = np.stack([phase * 2, 255 - phase * 2, np.full_like(phase, 96)], axis=-1).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(frame_rgb, format="rgb24")
            frame.pts = i
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if audio is not None:
            _write_tone(out, audio, float(spec.duration))


def _write_tone(out: av.container.OutputContainer, stream: av.audio.stream.AudioStream, seconds: float) -> None:
    rate, step, total = 44100, 1024, int(44100 * seconds)
    fmt = "s16" if stream.codec_context.name.startswith("pcm") else "fltp"
    for start in range(0, total, step):
        n = min(step, total - start)
        t = (np.arange(n) + start) / rate
        tone = 0.2 * np.sin(2 * np.pi * 440 * t)
        if fmt == "s16":
            samples = (tone * 32767).astype(np.int16)
            arr = np.repeat(samples, 2)[None, :]  # packed stereo
        else:
            samples = tone.astype(np.float32)
            arr = np.stack([samples, samples])
        frame = av.AudioFrame.from_ndarray(arr, format=fmt, layout="stereo")
        frame.sample_rate, frame.pts = rate, start
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
