"""Run-time settings of one fake server. Defaults need no configuration at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contracts import choices
from contracts.choices import DEFAULT_TIME_SCALE
from mock_server.store import default_data_dir


@dataclass
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    #: Simulated generation time = output seconds × 5 × time_scale; 0 is instant.
    time_scale: float = DEFAULT_TIME_SCALE
    #: Accepted API keys; empty means any non-empty key is accepted.
    api_keys: frozenset[str] = frozenset()
    #: Base URL for output links; empty means "the URL the client used".
    public_url: str = ""
    #: WebSocket idle close and undelivered-result retention, in seconds.
    ws_idle_seconds: float = choices.WS_IDLE_SECONDS
    ws_resume_seconds: float = choices.WS_RESUME_SECONDS
    ws_max_frame_bytes: int = choices.WS_MAX_FRAME_BYTES
    #: Delivery retry pacing (tests shorten it).
    delivery_first_backoff: float = choices.DELIVERY_FIRST_BACKOFF_SECONDS

    def uvicorn_options(self) -> dict[str, object]:
        """Options every way of running the app passes to uvicorn.

        uvicorn's own frame limit sits above ours, so an oversize frame gets an ``errors``
        frame instead of a close; per-message compression is off because the official
        SDKs do not need it and it costs more CPU than it saves on loopback (p99 ack
        latency of 200 simultaneous sessions halves)."""
        return {"ws_max_size": 2 * self.ws_max_frame_bytes + 1024, "ws_per_message_deflate": False}

    def key_ok(self, key: object) -> bool:
        if not isinstance(key, str) or not key.strip():
            return False
        return not self.api_keys or key in self.api_keys
