"""The output geometry rule: size, frame rate, frame count and price of an output.

[inferred] The short side becomes 720 or 1080; the long side keeps the source's
displayed aspect ratio, rounded to an even number (H.264 in yuv420p needs even sizes).
Rotation metadata of ±90° swaps the stored width and height first.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from contracts.choices import COMPUTE_SECONDS_PER_OUTPUT_SECOND, PRICE_PER_SECOND

SHORT_SIDE = {"720p": 720, "1080p": 1080}


def displayed_size(width: int, height: int, rotation: int | float | None) -> tuple[int, int]:
    """Width and height as a player shows them."""
    if rotation is not None and int(round(rotation)) % 180 != 0:
        return height, width
    return width, height


def output_size(width: int, height: int, resolution: str, rotation: int | float | None = 0) -> tuple[int, int]:
    """The output's width and height for a source of this (stored) size and rotation."""
    w, h = displayed_size(width, height, rotation)
    short = SHORT_SIDE[resolution]
    if w <= h:
        return short, _even(h * short / w)
    return _even(w * short / h), short


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def output_rate(source_rate: Fraction, fps: int | None) -> Fraction:
    """The requested rate, or the source's exact rate (30000/1001 stays 30000/1001)."""
    return Fraction(fps) if fps else Fraction(source_rate)


def frame_count(duration: Fraction | float, rate: Fraction) -> int:
    """Frames needed so the output lasts as long as the source."""
    return max(1, int(round(Fraction(duration) * rate)))


def output_seconds(frames: int, rate: Fraction) -> float:
    return float(frames / rate)


def duration_tolerance(rate: Fraction) -> float:
    """How far an output's duration may be from the source's: max(50 ms, 1.5 frames)."""
    return max(0.05, 1.5 / float(rate))


def cost(resolution: str, seconds: float, results: int = 1) -> float:
    """Price in USD: per second of output, per result [doc]."""
    return round(PRICE_PER_SECOND[resolution] * seconds * results, 6)


def generation_seconds(seconds: float, time_scale: float) -> float:
    """Simulated compute time of one output."""
    return seconds * COMPUTE_SECONDS_PER_OUTPUT_SECOND * time_scale


@dataclass(frozen=True)
class OutputPlan:
    """What one output must be, derived from the source and the task."""

    width: int
    height: int
    rate: Fraction
    frames: int

    @property
    def seconds(self) -> float:
        return output_seconds(self.frames, self.rate)
