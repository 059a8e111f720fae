"""pytest plugin: a ``runware_mock`` fixture serving the fake on a free port.

Registered through the ``pytest11`` entry point, so installing runware-mock is enough:

    def test_my_client(runware_mock):
        client = MyClient(base_url=runware_mock.rest_url, api_key="any")
"""

from __future__ import annotations

from typing import Iterator

import pytest

from contracts.server import LiveServer


@pytest.fixture(scope="session")
def runware_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The fake, instant (time scale 0), in a thread, for the whole test session."""
    with LiveServer(tmp_path_factory.mktemp("runware-mock"), time_scale=0.0) as server:
        yield server
