"""Resolving ``referenceImages`` / ``referenceVideos`` entries into decoded media.

An image may be an http(s) URL, a data URI, raw base64, or the UUID of an upload or
earlier output; a video a URL or a UUID. Downloads are capped in size and time and
stored content-addressed in the media folder, so a source used twice is fetched once
per server run and probed once.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import os
import re
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import httpx
from PIL import Image

from contracts import choices
from contracts.errors import ApiError
from contracts.probe import NotAVideo, VideoInfo, probe_video
from mock_server import fixtures
from mock_server.media import NotAnImage, load_image
from mock_server.store import Store

_DATA_URI = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?:;[\w=.+-]+)*;base64,(?P<data>.*)$", re.S)


@dataclass(frozen=True)
class ResolvedImage:
    image: Image.Image
    digest: str


@dataclass(frozen=True)
class ResolvedVideo:
    path: Path
    info: VideoInfo
    digest: str


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class InputResolver:
    """Turns request strings into decoded media; every failure is an :class:`ApiError`."""

    def __init__(self, store: Store, http: httpx.AsyncClient, cache_size: int = 32) -> None:
        self._store = store
        self._http = http
        self._images: OrderedDict[str, Image.Image] = OrderedDict()
        self._probes: OrderedDict[str, VideoInfo] = OrderedDict()
        self._cache_size = cache_size
        self._inputs_dir = store.data_dir / "inputs"
        self._inputs_dir.mkdir(parents=True, exist_ok=True)

    async def image(
        self, value: str, parameter: str = "inputs.referenceImages", base_url: str | None = None
    ) -> ResolvedImage:
        data = await self.read(value, parameter, choices.IMAGE_MAX_BYTES, kinds=("image",), what="reference image",
                               base_url=base_url)
        return await self.decode_image(data, parameter)

    async def decode_image(self, data: bytes, parameter: str) -> ResolvedImage:
        digest = hashlib.sha256(data).hexdigest()
        cached = self._images.get(digest)
        if cached is None:
            try:
                cached = await asyncio.to_thread(load_image, data)
            except NotAnImage as exc:
                raise ApiError("invalidImage", parameter, f"The image could not be decoded: {exc}.") from None
            self._remember(self._images, digest, cached)
        return ResolvedImage(cached, digest)

    async def read(
        self, value: str, parameter: str, max_bytes: int, *, kinds: tuple[str, ...], what: str,
        base_url: str | None = None,
    ) -> bytes:
        """Bytes behind a URL, a stored media UUID, a data URI or raw base64."""
        if _is_url(value):
            own = await self._own_file(value, base_url)
            if own is not None:
                return own.read_bytes()
            return await self._fetch(value, parameter, max_bytes)
        if _is_uuid(value):
            return self._stored(value, parameter, kinds).read_bytes()
        match = _DATA_URI.match(value)
        payload = match.group("data") if match else value
        try:
            data = base64.b64decode(payload.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(
                "invalidImage" if "image" in kinds else "invalidMedia",
                parameter,
                f"The {what} is not a URL, UUID, data URI or base64 data.",
            ) from None
        if not data:
            raise ApiError("invalidImage" if "image" in kinds else "invalidMedia", parameter, f"The {what} is empty.")
        if len(data) > max_bytes:
            raise ApiError("mediaFetchFailed", parameter, f"The {what} is larger than {max_bytes} bytes.")
        return data

    async def video(
        self, value: str, parameter: str = "inputs.referenceVideos", base_url: str | None = None
    ) -> ResolvedVideo:
        own = await self._own_file(value, base_url) if _is_url(value) else None
        if own is not None:
            path, digest = own, f"file:{own}"  # fixtures and stored media never change
        elif _is_url(value):
            data = await self._fetch(value, parameter, choices.VIDEO_MAX_BYTES)
            path, digest = self.keep(data)
        elif _is_uuid(value):
            path = self._stored(value, parameter, ("video", "output"))
            digest = f"media:{value}"
        else:
            raise ApiError("invalidReferenceVideos", parameter, "The reference video must be a URL or a media UUID.")
        return ResolvedVideo(path, await self.probe(path, digest, parameter), digest)

    def keep(self, data: bytes) -> tuple[Path, str]:
        """Store downloaded bytes content-addressed (atomically) and return path and digest."""
        digest = hashlib.sha256(data).hexdigest()
        path = self._inputs_dir / f"{digest}.bin"
        if not path.exists():
            tmp = path.with_name(f".{digest}.{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        return path, digest

    async def probe(self, path: Path, digest: str, parameter: str) -> VideoInfo:
        """Probe a source once per content; a file that is not a usable video is ``invalidVideo``."""
        info = self._probes.get(digest)
        if info is None:
            try:
                info = await asyncio.to_thread(probe_video, path)
            except NotAVideo as exc:
                raise ApiError("invalidVideo", parameter, f"The reference video could not be used: {exc}.") from None
            if info.duration <= 0 or info.duration > choices.SOURCE_MAX_SECONDS:
                raise ApiError(
                    "invalidVideo",
                    parameter,
                    f"The reference video lasts {float(info.duration):.2f}s; it must last more than 0"
                    f" and at most {choices.SOURCE_MAX_SECONDS:g}s.",
                )
            self._remember(self._probes, digest, info)
        return info

    async def _own_file(self, url: str, base_url: str | None) -> Path | None:
        """A URL served by this very fake (its fixtures or media), read from disk.

        Clients commonly point inputs at the fake's own ``/fixtures`` or at an earlier
        ``videoURL``; going through HTTP to ourselves would only add load. Anything not
        found locally falls back to a real fetch, so the answers stay the same."""
        if not base_url or not url.startswith(base_url + "/"):
            return None
        kind, _, name = url[len(base_url) + 1 :].partition("/")
        if not name or "/" in name or "?" in name:
            return None
        if kind == "fixtures":
            try:
                return await asyncio.to_thread(fixtures.ensure, self._store.data_dir / "fixtures", name)
            except KeyError:
                return None
        if kind == "media":
            row = self._store.media_by_filename(name)
            if row is None or (row.expires_at is not None and row.expires_at <= time.time()):
                return None
            path = self._store.media_path(row.filename)
            return path if path.exists() else None
        return None

    def _stored(self, media_uuid: str, parameter: str, kinds: tuple[str, ...]) -> Path:
        row = self._store.get_media(media_uuid)
        if row is None or row.kind not in kinds:
            raise ApiError("mediaNotFound", parameter, f"No {' or '.join(kinds)} with UUID {media_uuid} exists.")
        path = self._store.media_path(row.filename)
        if not path.exists():
            raise ApiError("mediaNotFound", parameter, f"The media {media_uuid} was deleted.")
        return path

    async def _fetch(self, url: str, parameter: str, max_bytes: int) -> bytes:
        """Download with size and time caps; a refused connection is retried briefly
        (a server resuming work at start-up may fetch from itself before it listens)."""
        for delay in (*choices.FETCH_CONNECT_RETRIES, None):
            try:
                return await self._fetch_once(url, parameter, max_bytes)
            except httpx.ConnectError:
                if delay is None:
                    raise ApiError("mediaFetchFailed", parameter, f"Downloading {url} failed: connection refused.") from None
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _fetch_once(self, url: str, parameter: str, max_bytes: int) -> bytes:
        try:
            async with self._http.stream("GET", url, timeout=choices.FETCH_TIMEOUT_SECONDS) as response:
                if response.status_code >= 400:
                    raise ApiError(
                        "mediaFetchFailed", parameter, f"Downloading {url} answered HTTP {response.status_code}."
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise ApiError("mediaFetchFailed", parameter, f"{url} is larger than {max_bytes} bytes.")
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ApiError("mediaFetchFailed", parameter, f"{url} is larger than {max_bytes} bytes.")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.ConnectError:
            raise
        except httpx.HTTPError as exc:
            raise ApiError("mediaFetchFailed", parameter, f"Downloading {url} failed: {type(exc).__name__}.") from None

    def _remember(self, cache: OrderedDict, key: str, value: object) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > self._cache_size:
            cache.popitem(last=False)
