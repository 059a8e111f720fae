"""Rendering real, playable outputs fast.

The first time an output geometry is seen (reference image × size × rate × codec ×
quality), a short closed GOP is encoded and kept. Every output then remuxes those
packets in a loop with new timestamps, plus the source's audio, so a warm 20 s 1080p
render costs milliseconds. The picture is the reference image, cover-fitted, with a
bar that moves across each GOP: a visible stand-in for "the image's character moving".
"""

from __future__ import annotations

import io
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, UnidentifiedImageError

from contracts.choices import IMAGE_MAX_PIXELS
from contracts.geometry import OutputPlan

#: Pillow formats accepted as reference images [doc: jpeg, png, webp, bmp, gif].
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "GIF", "MPO"}

#: Output format → (container format, video codec, audio codec, codecs that can be copied).
FORMATS = {
    "MP4": ("mp4", "libx264", "aac", {"aac"}),
    "MOV": ("mov", "libx264", "aac", {"aac"}),
    "WEBM": ("webm", "libvpx", "libopus", {"opus", "vorbis"}),
}
CONTENT_TYPES = {"MP4": "video/mp4", "MOV": "video/quicktime", "WEBM": "video/webm"}
EXTENSIONS = {"MP4": "mp4", "MOV": "mov", "WEBM": "webm"}


class NotAnImage(ValueError):
    """Bytes that do not decode as a supported image."""


def load_image(data: bytes) -> Image.Image:
    """Decode and fully load an image (Pillow is lazy: verify by loading)."""
    try:
        img = Image.open(io.BytesIO(data))
        fmt = img.format
        if img.width * img.height > IMAGE_MAX_PIXELS:
            raise NotAnImage(f"{img.width}x{img.height} is more than {IMAGE_MAX_PIXELS} pixels")
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise NotAnImage(f"not a decodable image: {exc}") from None
    if fmt not in IMAGE_FORMATS:
        raise NotAnImage(f"unsupported image format {fmt}")
    return img.convert("RGB")


def _cover(img: Image.Image, width: int, height: int) -> Image.Image:
    """Crop the image to the output's aspect ratio around its centre, then scale."""
    src_w, src_h = img.size
    target = width / height
    if src_w / src_h > target:
        crop_w = max(1, round(src_h * target))
        left = (src_w - crop_w) // 2
        img = img.crop((left, 0, left + crop_w, src_h))
    else:
        crop_h = max(1, round(src_w / target))
        top = (src_h - crop_h) // 2
        img = img.crop((0, top, src_w, top + crop_h))
    return img.resize((width, height), Image.Resampling.BILINEAR)


def _crf(quality: int) -> int:
    """outputQuality 20–99 → CRF 42–18 (higher quality, lower CRF; 95 → 19)."""
    return int(round(18 + (99 - quality) * 24 / 79))


def gop_length(rate: Fraction) -> int:
    """About half a second of frames: short enough to encode fast, long enough to see motion."""
    return max(6, min(30, int(round(rate / 2))))


@dataclass(frozen=True)
class GopKey:
    image_digest: str
    width: int
    height: int
    rate: Fraction
    codec: str
    quality: int


class Renderer:
    """Encodes GOPs once per geometry and remuxes them into outputs.

    The cache is bounded (LRU) and owned by the renderer instance the app creates.
    """

    def __init__(self, max_gops: int = 64) -> None:
        self._gops: OrderedDict[GopKey, bytes] = OrderedDict()
        self._max = max_gops
        self._lock = threading.Lock()
        self._building: dict[GopKey, threading.Lock] = {}
        self._audio_tracks: OrderedDict[tuple[str, str], bytes | None] = OrderedDict()

    def _gop(self, key: GopKey, image: Image.Image) -> bytes:
        with self._lock:
            if key in self._gops:
                self._gops.move_to_end(key)
                return self._gops[key]
            build_lock = self._building.setdefault(key, threading.Lock())
        with build_lock:  # one thread encodes a geometry; others wait for it
            with self._lock:
                if key in self._gops:
                    return self._gops[key]
            data = _encode_gop(key, image)
            with self._lock:
                self._gops[key] = data
                self._building.pop(key, None)
                while len(self._gops) > self._max:
                    self._gops.popitem(last=False)
            return data

    def cached(self, key: GopKey) -> bool:
        with self._lock:
            return key in self._gops

    def _audio(self, source: Path, output_format: str) -> bytes | None:
        """The source's audio as a small file in the output's audio codec, made once per
        source: copying or transcoding it per request would dominate a warm render."""
        family = FORMATS[output_format][2]
        key = (str(source), family)
        with self._lock:
            if key in self._audio_tracks:
                self._audio_tracks.move_to_end(key)
                return self._audio_tracks[key]
        data = _extract_audio(source, output_format)
        with self._lock:
            self._audio_tracks[key] = data
            while len(self._audio_tracks) > self._max:
                self._audio_tracks.popitem(last=False)
        return data

    def render(
        self,
        *,
        image: Image.Image,
        image_digest: str,
        source: Path,
        plan: OutputPlan,
        output_format: str,
        quality: int,
        audio: bool,
        seed: int,
        out_path: Path,
    ) -> None:
        """Write one output to ``out_path`` atomically (a temp file, then a rename)."""
        fmt, vcodec, _, _ = FORMATS[output_format]
        key = GopKey(image_digest, plan.width, plan.height, plan.rate, vcodec, quality)
        gop = self._gop(key, image)
        track = self._audio(source, output_format) if audio else None
        tmp = out_path.with_name(f".{out_path.name}.tmp")
        try:
            _remux(gop, track, plan, output_format, seed, tmp)
            os.replace(tmp, out_path)
        finally:
            tmp.unlink(missing_ok=True)


def _encode_gop(key: GopKey, image: Image.Image) -> bytes:
    """Encode one closed GOP (an IDR then P-frames, no B-frames) into a small file."""
    g = gop_length(key.rate)
    crf = _crf(key.quality)
    base = av.VideoFrame.from_image(_cover(image, key.width, key.height)).reformat(format="yuv420p")
    planes = base.to_ndarray()  # (h*3/2, w) luma then chroma
    buf = io.BytesIO()
    container_format = "mp4" if key.codec == "libx264" else "webm"
    with av.open(buf, "w", format=container_format) as out:
        stream = out.add_stream(key.codec, rate=key.rate)
        stream.width, stream.height, stream.pix_fmt = key.width, key.height, "yuv420p"
        if key.codec == "libx264":
            stream.codec_context.options = {
                "preset": "ultrafast", "tune": "stillimage", "bframes": "0", "crf": str(crf),
                "g": str(g), "keyint_min": str(g), "sc_threshold": "0", "forced-idr": "1",
            }
        else:
            stream.bit_rate = 2_000_000
            stream.codec_context.options = {
                "deadline": "realtime", "cpu-used": "8", "auto-alt-ref": "0", "lag-in-frames": "0",
                "crf": str(min(63, crf + 4)), "g": str(g), "keyint_min": str(g),
            }
        bar_h = max(4, key.height // 60)
        y0 = key.height - 3 * bar_h
        for i in range(g):
            arr = planes.copy()
            x1 = max(1, (i + 1) * key.width // g)
            arr[y0 : y0 + bar_h, :x1] = 235  # a white bar growing across the GOP
            frame = av.VideoFrame.from_ndarray(arr, format="yuv420p")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def _remux(gop: bytes, track: bytes | None, plan: OutputPlan, output_format: str, seed: int, path: Path) -> None:
    fmt = FORMATS[output_format][0]
    options = {"movflags": "faststart"} if fmt in ("mp4", "mov") else {}
    with av.open(io.BytesIO(gop)) as gop_in, av.open(str(path), "w", format=fmt, options=options) as out:
        out.metadata["comment"] = f"runware-mock seed={seed}"
        template = gop_in.streams.video[0]
        vout = out.add_stream_from_template(template)
        packets = [(bytes(p), p.is_keyframe) for p in gop_in.demux(template) if p.size]
        audio_in = av.open(io.BytesIO(track)) if track is not None else None
        try:
            aout = out.add_stream_from_template(audio_in.streams.audio[0]) if audio_in is not None else None
            tb = template.time_base
            # Timestamp units per frame as an exact ratio, in integers: Fraction arithmetic per
            # packet would cost more than the muxing itself.
            ticks = 1 / (plan.rate * tb)
            num, den = ticks.numerator, ticks.denominator
            g = len(packets)
            pts = 0
            for i in range(plan.frames):
                data, keyframe = packets[i % g]
                packet = av.Packet(data)
                next_pts = ((i + 1) * num * 2 + den) // (2 * den)  # round((i + 1) * ticks)
                packet.pts = packet.dts = pts
                packet.duration = next_pts - pts
                packet.is_keyframe = keyframe
                packet.time_base = tb
                packet.stream = vout
                out.mux(packet)
                pts = next_pts
            if audio_in is not None and aout is not None:
                stream = audio_in.streams.audio[0]
                end = math.ceil(Fraction(plan.seconds) / stream.time_base)  # in the audio's units
                for packet in audio_in.demux(stream):
                    if packet.size == 0 or packet.pts is None:
                        continue
                    if packet.pts >= end:
                        break
                    packet.stream = aout
                    out.mux(packet)
        finally:
            if audio_in is not None:
                audio_in.close()


def _extract_audio(source: Path, output_format: str) -> bytes | None:
    """Copy (AAC into MP4/MOV, Opus/Vorbis into WEBM) or transcode the source's first
    audio track into a small standalone file; None when the source has no audio."""
    _, _, acodec, copyable = FORMATS[output_format]
    holder = "webm" if acodec == "libopus" else "mp4"
    with av.open(str(source)) as src:
        if not src.streams.audio:
            return None
        audio_in = src.streams.audio[0]
        buf = io.BytesIO()
        with av.open(buf, "w", format=holder) as out:
            if audio_in.codec_context.name in copyable:
                aout = out.add_stream_from_template(audio_in)
                for packet in src.demux(audio_in):
                    if packet.size and packet.pts is not None:
                        packet.stream = aout
                        out.mux(packet)
            else:
                rate = 48000 if acodec == "libopus" else audio_in.codec_context.sample_rate
                aout = out.add_stream(acodec, rate=rate)
                aout.layout = "stereo" if audio_in.codec_context.channels >= 2 else "mono"
                for frame in src.decode(audio_in):
                    frame.pts = None
                    for packet in aout.encode(frame):
                        out.mux(packet)
                for packet in aout.encode(None):
                    out.mux(packet)
    return buf.getvalue()
