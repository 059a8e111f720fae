"""Hypothesis profiles shared by the test suite and the kit: ``ci`` (bounded, the default)
and ``thorough`` (many more examples). Select with ``--hypothesis-profile`` in pytest or
``--profile`` on ``runware-mock verify`` / ``conform``."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

PROFILES = {"ci": 20, "thorough": 300}


def register() -> None:
    for name, examples in PROFILES.items():
        settings.register_profile(name, max_examples=examples, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


register()
