"""Run-time settings of one fake server. Defaults need no configuration at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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

    def key_ok(self, key: object) -> bool:
        if not isinstance(key, str) or not key.strip():
            return False
        return not self.api_keys or key in self.api_keys
