"""Deliberately faulty clients, each breaking the contract in one way."""

from __future__ import annotations

from typing import Any

from tests.clients.reference import Behaviour, animate

FIXED_UUID = "0b3b7d2e-6a4f-4c1e-9d3a-2f1e0c9b8a77"


def good(job: dict[str, Any], server: dict[str, str]) -> str:
    return animate(job, server)


def two_images(job: dict[str, Any], server: dict[str, str]) -> str:
    return animate(job, server, Behaviour(extra_image=True))


def reuses_uuid(job: dict[str, Any], server: dict[str, str]) -> str:
    return animate(job, server, Behaviour(fixed_uuid=FIXED_UUID))


def ignores_429(job: dict[str, Any], server: dict[str, str]) -> str:
    return animate(job, server, Behaviour(retry_transient=False))


def tight_loop(job: dict[str, Any], server: dict[str, str]) -> str:
    return animate(job, server, Behaviour(poll_interval=0.0))


def never_gives_up(job: dict[str, Any], server: dict[str, str]) -> str:
    return animate(job, server, Behaviour(give_up_on_failure=False))
