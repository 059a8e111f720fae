"""``runware-mock``: the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from contracts.choices import DEFAULT_TIME_SCALE

app = typer.Typer(help="A faithful local fake of the Runware videoInference API (P-Video-Animate).", no_args_is_help=True)
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """runware-mock: fake Runware server and contract test kit."""


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 inside a container)."),
    port: int = typer.Option(8000, help="TCP port."),
    data_dir: Optional[Path] = typer.Option(None, help="Where the SQLite store and media live."),
    time_scale: float = typer.Option(
        DEFAULT_TIME_SCALE, min=0.0, help="Simulated generation time = output seconds × 5 × this. 0 is instant."
    ),
    api_key: list[str] = typer.Option([], help="Accept only these keys (repeatable). Default: any non-empty key."),
    public_url: str = typer.Option("", help="Base URL used in videoURL links (default: the URL clients use)."),
    log_level: str = typer.Option("info", help="uvicorn log level: debug, info, warning, error."),
) -> None:
    """Start the fake server."""
    import uvicorn

    from mock_server.app import create_app
    from mock_server.config import Settings

    settings = Settings(time_scale=time_scale, api_keys=frozenset(api_key), public_url=public_url)
    if data_dir is not None:
        settings.data_dir = data_dir
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    console.print("[bold green]runware-mock[/] serving P-Video-Animate")
    console.print(f"  REST       http://{shown}:{port}/v1")
    console.print(f"  WebSocket  ws://{shown}:{port}/v1")
    console.print(f"  fixtures   http://{shown}:{port}/fixtures/landscape-16x9-audio.mp4")
    console.print(f"  data dir   {settings.data_dir}")
    console.print(f"  time scale {time_scale:g} (output seconds × 5 × scale)")
    console.print(f"  API keys   {'any non-empty key' if not api_key else f'{len(api_key)} configured'}")
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, **settings.uvicorn_options())


@app.command()
def schema(
    task: Optional[str] = typer.Option(None, help="Print the JSON Schema of one task or result model instead."),
    server_url: Optional[str] = typer.Option(None, help="Add a servers entry to the document."),
) -> None:
    """Print the OpenAPI 3.1 document of POST /v1 (the same as the server's /openapi.json)."""
    from contracts.openapi import openapi_document, task_schemas

    if task is None:
        print(json.dumps(openapi_document(server_url), indent=2))
        return
    schemas = task_schemas()
    if task not in schemas:
        console.print(f"[red]no model {task!r}[/]; known: {', '.join(sorted(schemas))}")
        raise typer.Exit(2)
    print(json.dumps(schemas[task], indent=2))


@app.command()
def verify(
    base_url: str = typer.Option(..., help="Server to verify, e.g. http://127.0.0.1:8000 or https://api.runware.ai"),
    api_key: str = typer.Option("verify-key", envvar="RUNWARE_API_KEY", help="API key (RUNWARE_API_KEY)."),
    profile: str = typer.Option("ci", help="Hypothesis profile: ci (bounded) or thorough."),
    examples: Optional[int] = typer.Option(None, help="Examples per property (overrides the profile)."),
    seed: int = typer.Option(0, help="Hypothesis seed, for reproducing a failure."),
    schemathesis: bool = typer.Option(True, help="Also run schemathesis over the OpenAPI document."),
) -> None:
    """Run the contract against any server (the fake in CI, the real API for drift)."""
    from contracts.verify import verify as run

    report = run(base_url, api_key, examples=examples, profile=profile, seed=seed, schemathesis=schemathesis)
    for name in report.passed:
        console.print(f"[green]PASS[/] {name}")
    for finding in report.findings:
        console.print(f"[red]FAIL[/] {finding.check}\n{finding.detail}")
        if finding.reproducer:
            console.print("[bold]reproducer:[/]")
            reproducer = dict(finding.reproducer) if isinstance(finding.reproducer, dict) else finding.reproducer
            steps = reproducer.pop("steps", None) if isinstance(reproducer, dict) else None
            print(json.dumps(reproducer, indent=2, default=str))
            if steps:
                print(steps)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def conform(
    client: Optional[str] = typer.Option(None, "--client", help="Python callable under test: package.module:function."),
    command: Optional[str] = typer.Option(None, help="Command-line client template, e.g. 'mycli --job {job}'."),
    base_url: Optional[str] = typer.Option(None, help="A running fake to use (default: start one)."),
    profile: str = typer.Option("ci", help="Hypothesis profile: ci (bounded) or thorough."),
    examples: Optional[int] = typer.Option(None, help="Examples (overrides the profile)."),
    seed: int = typer.Option(0, help="Hypothesis seed, for reproducing a failure."),
    deadline: float = typer.Option(30.0, help="Seconds a client may take for one job."),
    min_poll_interval: float = typer.Option(0.25, help="Polls of one task closer than this are abusive."),
    scenario: list[str] = typer.Option([], help="Restrict to these scenarios (repeatable)."),
    junit: Optional[Path] = typer.Option(None, help="Write a JUnit XML report here."),
    html: Optional[Path] = typer.Option(None, help="Write a self-contained HTML report here."),
) -> None:
    """Run a client under test against the fake with generated jobs and fault plans."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from contracts.adapters import adapter_for
    from contracts.conform import SCENARIOS, Conformer
    from contracts.profiles import PROFILES
    from contracts.report import summary_table, write_html, write_junit
    from contracts.server import LiveServer

    unknown = set(scenario) - set(SCENARIOS)
    if unknown:
        console.print(f"[red]unknown scenario {sorted(unknown)}[/]; known: {', '.join(SCENARIOS)}")
        raise typer.Exit(2)
    try:
        adapter = adapter_for(client, command)
    except ValueError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    count = examples or PROFILES[profile]
    server = None if base_url else LiveServer().start()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
            task = bar.add_task(f"conform {adapter.name}", total=count)

            def tick(result) -> None:
                bar.update(task, advance=1, total=max(count, bar.tasks[0].completed + 1))

            runner = Conformer(adapter, base_url or server.base_url, examples=count, seed=seed, deadline=deadline,
                               min_poll_interval=min_poll_interval, scenario_kinds=tuple(scenario) or SCENARIOS,
                               on_example=tick)
            report = runner.run()
    finally:
        if server is not None:
            server.close()
    console.print(summary_table(report))
    for name, example in report.counterexamples.items():
        console.print(f"[red]{name}[/]: {example.reasons.get(name, '')}")
        console.print(f"  reproduce: job={json.dumps(example.job, default=str)} scenario={example.scenario}"
                      f" (--seed {seed})")
    if junit:
        write_junit(report, junit)
    if html:
        write_html(report, html)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def example(
    name: str = typer.Argument("animate-guide", help="Which example request to print."),
    base_url: str = typer.Option("http://127.0.0.1:8000", help="Where the fake serves its fixtures."),
) -> None:
    """Print an example request with fresh task UUIDs (pipe it to curl -d @-)."""
    from contracts.examples import example_requests

    examples = example_requests(base_url.rstrip("/"))
    if name not in examples:
        console.print(f"[red]no example {name!r}[/]; known: {', '.join(examples)}")
        raise typer.Exit(2)
    print(json.dumps(examples[name], indent=2))


if __name__ == "__main__":
    app()
