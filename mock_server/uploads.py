"""``imageUpload`` and ``mediaStorage``: hosting a client's media on the fake.

Uploaded UUIDs then work as ``referenceImages`` / ``referenceVideos`` entries, which is
how a client uses local files without a public URL.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from contracts import choices
from contracts.errors import ApiError
from contracts.models import ImageUploadTask, MediaStorageTask
from contracts.rules import validate_task
from mock_server.inputs import InputResolver
from mock_server.store import Store

_IMAGE_TYPES = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp"),
                "BMP": ("bmp", "image/bmp"), "GIF": ("gif", "image/gif"), "MPO": ("jpg", "image/jpeg")}
_VIDEO_TYPES = {"mp4": ("mp4", "video/mp4"), "mov": ("mov", "video/quicktime"), "webm": ("webm", "video/webm"),
                "matroska": ("mkv", "video/x-matroska")}


def _image_type(data: bytes) -> tuple[str, str]:
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(data)) as img:
        return _IMAGE_TYPES.get(img.format or "", ("png", "image/png"))


class UploadService:
    def __init__(self, store: Store, resolver: InputResolver) -> None:
        self.store = store
        self.resolver = resolver

    def _save(self, data: bytes, kind: str, extension: str, content_type: str, digest: str) -> tuple[str, str]:
        media_uuid, path = self.store.new_media_path(extension)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.store.add_media(media_uuid, kind, path.name, content_type, digest=digest)
        return media_uuid, path.name

    async def image_upload(self, task: dict[str, Any], base_url: str) -> list[dict[str, Any]]:
        parsed = validate_task(ImageUploadTask, task)
        task_uuid, value = parsed.taskUUID, parsed.image
        data = await self.resolver.read(value, "image", choices.IMAGE_MAX_BYTES, kinds=("image",), what="image",
                                        base_url=base_url)
        resolved = await self.resolver.decode_image(data, "image")
        extension, content_type = await asyncio.to_thread(_image_type, data)
        media_uuid, name = self._save(data, "image", extension, content_type, resolved.digest)
        return [{"taskType": "imageUpload", "taskUUID": task_uuid, "imageUUID": media_uuid,
                 "imageURL": f"{base_url}/media/{name}"}]

    async def media_storage(self, task: dict[str, Any], base_url: str) -> list[dict[str, Any]]:
        parsed = validate_task(MediaStorageTask, task)
        task_uuid, operation, value = parsed.taskUUID, parsed.operation, parsed.media
        if operation == "delete":
            if not self.store.delete_media(value):
                raise ApiError("mediaNotFound", "media", f"No media with UUID {value} exists.")
            return [{"taskType": "mediaStorage", "taskUUID": task_uuid, "operation": "delete", "mediaUUID": value}]
        data = await self.resolver.read(
            value, "media", choices.VIDEO_MAX_BYTES, kinds=("image", "video", "output"), what="media",
            base_url=base_url,
        )
        try:
            resolved = await self.resolver.decode_image(data, "media")
            extension, content_type = await asyncio.to_thread(_image_type, data)
            kind, digest = "image", resolved.digest
        except ApiError:
            path, digest = self.resolver.keep(data)
            try:
                info = await self.resolver.probe(path, digest, "media")
            except ApiError:
                raise ApiError("invalidMedia", "media", "media is neither a decodable image nor a video.") from None
            fmt = next((k for k in _VIDEO_TYPES if k in info.container), "mp4")
            extension, content_type = _VIDEO_TYPES[fmt]
            kind = "video"
        media_uuid, name = self._save(data, kind, extension, content_type, digest)
        return [{"taskType": "mediaStorage", "taskUUID": task_uuid, "operation": "upload", "mediaUUID": media_uuid,
                 "mediaURL": f"{base_url}/media/{name}"}]
