"""pytest plugin of runware-mock (registered through the ``pytest11`` entry point).

Fixtures:

- ``runware_mock``: the fake, instant (time scale 0), in a thread on a free port, for
  the whole session; ``.rest_url``, ``.ws_url``, ``.fixture_url(name)``, and the control
  API as ``.journal``, ``.faults``, ``.jobs`` (and ``.admin``). With
  ``--runware-mock-url URL`` it is an already-running fake instead.
- ``runware_mock_conform``: ``runware_mock_conform(client="pkg.mod:function")`` runs the
  conform kit on a client against that fake and returns its report. The client can also
  come from ``--runware-mock-client`` (``module:function``) or
  ``--runware-mock-command`` (a command template).

Example::

    def test_my_client_conforms(runware_mock_conform):
        report = runware_mock_conform(client="myapp.video:animate", examples=10)
        assert report.ok, report.failures()
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from contracts.server import LiveServer, RemoteServer


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("runware-mock")
    group.addoption("--runware-mock-url", default=None, help="Use this running fake instead of starting one.")
    group.addoption("--runware-mock-client", default=None, help="Client under test for runware_mock_conform "
                    "(module:function).")
    group.addoption("--runware-mock-command", default=None, help="Command-line client under test "
                    "for runware_mock_conform (a template, see contracts/adapters.py).")


@pytest.fixture(scope="session")
def runware_mock(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[LiveServer | RemoteServer]:
    """The fake for this test session."""
    url = request.config.getoption("--runware-mock-url")
    if url:
        remote = RemoteServer(url)
        yield remote
        remote.close()
        return
    with LiveServer(tmp_path_factory.mktemp("runware-mock"), time_scale=0.0) as server:
        yield server


@pytest.fixture
def runware_mock_conform(request: pytest.FixtureRequest, runware_mock: LiveServer | RemoteServer
                         ) -> Callable[..., Any]:
    """Run the conform kit on a client; see the module docstring."""
    from contracts.adapters import adapter_for
    from contracts.conform import Conformer

    def run(client: str | None = None, command: str | None = None, **options: Any) -> Any:
        client = client or request.config.getoption("--runware-mock-client")
        command = command or request.config.getoption("--runware-mock-command")
        if not client and not command:
            pytest.skip("no client under test: pass client=..., --runware-mock-client or --runware-mock-command")
        return Conformer(adapter_for(client, command), runware_mock.base_url, **options).run()

    return run
