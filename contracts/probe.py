"""Reading a media file's facts in-process with PyAV, and checking an output against
what the contract says it must be.

The server uses :func:`probe_video` to read sources; tests and the verify kit use it
plus :func:`check_output` to decode what was produced. One reader for both sides means
the fake and its checks cannot disagree about what a file is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av

from contracts.geometry import displayed_size, duration_tolerance


@dataclass(frozen=True)
class VideoInfo:
    """What a video file is, as a player sees it."""

    container: str
    codec: str
    pix_fmt: str | None
    width: int  # displayed (rotation applied)
    height: int
    stored_width: int
    stored_height: int
    rotation: int
    rate: Fraction
    duration: Fraction
    frames: int | None
    audio_codec: str | None
    audio_rate: int | None = None
    moov_first: bool | None = None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None


class NotAVideo(ValueError):
    """The file has no decodable video stream."""


def _rotation(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> int:
    # PyAV reports a phone clip's rotation on its decoded frames, not on the stream.
    for frame in container.decode(stream):
        return int(round(getattr(frame, "rotation", 0) or 0))
    raise NotAVideo("the video stream has no decodable frame")


def _moov_first(path: Path) -> bool | None:
    head = path.read_bytes()
    moov, mdat = head.find(b"moov"), head.find(b"mdat")
    if moov < 0 or mdat < 0:
        return None
    return moov < mdat


def probe_video(path: str | Path) -> VideoInfo:
    """Probe a video file; raise :class:`NotAVideo` if it is not one."""
    path = Path(path)
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise NotAVideo(f"not a readable media file: {exc}") from None
    try:
        if not container.streams.video:
            raise NotAVideo("the file has no video stream")
        stream = container.streams.video[0]
        if stream.codec_context.name in ("png", "mjpeg", "bmp", "gif", "webp") and (stream.frames or 0) <= 1:
            raise NotAVideo("the file is a still image, not a video")
        rate = stream.average_rate or stream.guessed_rate
        if not rate:
            raise NotAVideo("the video stream has no frame rate")
        if container.duration is not None:
            duration = Fraction(container.duration, av.time_base)
        elif stream.duration is not None and stream.time_base is not None:
            duration = stream.duration * stream.time_base
        else:
            raise NotAVideo("the video has no duration")
        width, height = stream.codec_context.width, stream.codec_context.height
        if not width or not height:
            raise NotAVideo("the video stream has no size")
        audio = container.streams.audio[0] if container.streams.audio else None
        codec, pix_fmt, frames = stream.codec_context.name, stream.codec_context.pix_fmt, stream.frames or None
        fmt = container.format.name
        rotation = _rotation(container, stream)
    except av.FFmpegError as exc:
        raise NotAVideo(f"the video could not be decoded: {exc}") from None
    finally:
        container.close()
    shown_w, shown_h = displayed_size(width, height, rotation)
    return VideoInfo(
        container=fmt,
        codec=codec,
        pix_fmt=pix_fmt,
        width=shown_w,
        height=shown_h,
        stored_width=width,
        stored_height=height,
        rotation=rotation,
        rate=Fraction(rate),
        duration=duration,
        frames=frames,
        audio_codec=audio.codec_context.name if audio else None,
        audio_rate=audio.codec_context.sample_rate if audio else None,
        moov_first=_moov_first(path) if ("mp4" in fmt or "mov" in fmt) else None,
    )


@dataclass(frozen=True)
class Expected:
    """What an output must be, per the contract."""

    output_format: str  # MP4 / MOV / WEBM
    width: int
    height: int
    rate: Fraction
    duration: Fraction
    audio: bool


@dataclass
class Check:
    problems: list[str] = field(default_factory=list)

    def expect(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(what)


def count_decoded_frames(path: str | Path) -> tuple[int, bool]:
    """Decode every frame; return the count and whether pts strictly increased."""
    with av.open(str(path)) as container:
        last, count, increasing = None, 0, True
        for frame in container.decode(video=0):
            if last is not None and frame.pts is not None and frame.pts <= last:
                increasing = False
            last = frame.pts
            count += 1
    return count, increasing


def check_output(path: str | Path, expected: Expected, decode_all: bool = True) -> list[str]:
    """Every way the file at ``path`` breaks the contract (empty when it conforms)."""
    c = Check()
    try:
        info = probe_video(path)
    except NotAVideo as exc:
        return [f"not a playable video: {exc}"]
    if expected.output_format in ("MP4", "MOV"):
        c.expect(info.codec == "h264", f"codec {info.codec}, expected h264")
        c.expect(info.pix_fmt == "yuv420p", f"pix_fmt {info.pix_fmt}, expected yuv420p")
        c.expect(info.moov_first is True, "moov atom is not before mdat (no faststart)")
        if expected.audio:
            c.expect(info.audio_codec == "aac", f"audio {info.audio_codec}, expected aac")
    else:
        c.expect(info.codec in ("vp8", "vp9", "libvpx", "libvpx-vp9"), f"codec {info.codec}, expected vp8/vp9")
        c.expect("webm" in info.container or "matroska" in info.container, f"container {info.container}")
        if expected.audio:
            c.expect(info.audio_codec in ("opus", "vorbis", "libopus"), f"audio {info.audio_codec}, expected opus")
    c.expect((info.width, info.height) == (expected.width, expected.height),
             f"size {info.width}x{info.height}, expected {expected.width}x{expected.height}")
    c.expect(abs(float(info.rate) - float(expected.rate)) <= 0.01, f"rate {info.rate}, expected {expected.rate}")
    tol = duration_tolerance(expected.rate)
    c.expect(abs(float(info.duration) - float(expected.duration)) <= tol,
             f"duration {float(info.duration):.4f}s, expected {float(expected.duration):.4f}s ± {tol:.3f}")
    c.expect(info.has_audio == expected.audio, f"audio present={info.has_audio}, expected {expected.audio}")
    if decode_all:
        frames, increasing = count_decoded_frames(path)
        c.expect(frames > 0, "no frame decodes")
        c.expect(increasing, "frame pts do not increase")
    return c.problems
