"""Conformance reports: JUnit XML (one test case per property) and a self-contained HTML
page (no external assets), plus the console summary table."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.table import Table

from contracts.conform import PROPERTIES, ConformReport, ExampleResult


def _case(example: ExampleResult) -> dict:
    return {"job": example.job, "scenario": example.scenario.__dict__, "clientError": example.outcome.error,
            "videoURL": example.outcome.video_url, "requests": example.requests}


def summary_table(report: ConformReport) -> Table:
    table = Table(title=f"Conformance of {report.client}")
    table.add_column("property")
    table.add_column("checked", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("verdict")
    checked, failed = report.checked(), report.failures()
    for name, text in PROPERTIES.items():
        verdict = "[red]FAIL[/]" if failed[name] else ("[green]pass[/]" if checked[name] else "[dim]n/a[/]")
        table.add_row(f"{name}\n[dim]{text}[/]", str(checked[name]), str(failed[name]), verdict)
    return table


def write_junit(report: ConformReport, path: Path) -> None:
    failed, checked = report.failures(), report.checked()
    suite = ET.Element("testsuite", name=f"conform: {report.client}", tests=str(len(PROPERTIES)),
                       failures=str(sum(1 for n in failed.values() if n)),
                       skipped=str(sum(1 for n in checked.values() if not n)), time=f"{report.seconds:.2f}")
    for name, text in PROPERTIES.items():
        case = ET.SubElement(suite, "testcase", classname="runware_mock.conform", name=name)
        if failed[name]:
            example = report.counterexamples.get(name)
            message = example.reasons.get(name, text) if example else text
            failure = ET.SubElement(case, "failure", message=message)
            failure.text = json.dumps(_case(example), indent=2, default=str) if example else text
        elif not checked[name]:
            ET.SubElement(case, "skipped", message="no example exercised this property")
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}.fail{color:#b00;font-weight:600}
.pass{color:#070}.na{color:#888}pre{background:#f6f6f6;padding:.6em;overflow:auto;max-width:70em}"""


def write_html(report: ConformReport, path: Path) -> None:
    failed, checked = report.failures(), report.checked()
    rows = []
    for name, text in PROPERTIES.items():
        cls, word = ("fail", "FAIL") if failed[name] else (("pass", "pass") if checked[name] else ("na", "n/a"))
        rows.append(f"<tr><td><b>{name}</b><br>{html.escape(text)}</td><td>{checked[name]}</td>"
                    f"<td>{failed[name]}</td><td class={cls}>{word}</td></tr>")
    cases = []
    for name, example in report.counterexamples.items():
        cases.append(f"<h3>{name}</h3><p>{html.escape(example.reasons.get(name, ''))}</p>"
                     f"<pre>{html.escape(json.dumps(_case(example), indent=2, default=str))}</pre>")
    examples = "".join(
        f"<tr><td>{i + 1}</td><td>{html.escape(e.scenario.kind)}</td><td>{html.escape(json.dumps(e.job, default=str))}</td>"
        f"<td class={'fail' if e.failed else 'pass'}>{html.escape(', '.join(e.failed) or 'ok')}</td>"
        f"<td>{e.outcome.seconds:.1f}s</td></tr>" for i, e in enumerate(report.examples))
    verdict = "conforms" if report.ok else "breaks the contract"
    page = (f"<!doctype html><html><head><meta charset=utf-8><title>conform: {html.escape(report.client)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{html.escape(report.client)} {verdict}</h1>"
            f"<p>{len(report.examples)} examples in {report.seconds:.1f}s.</p>"
            f"<table><tr><th>property</th><th>checked</th><th>failed</th><th>verdict</th></tr>{''.join(rows)}</table>"
            f"<h2>Minimal counterexamples</h2>{''.join(cases) or '<p>none</p>'}"
            f"<h2>Examples</h2><table><tr><th>#</th><th>scenario</th><th>job</th><th>result</th><th>time</th></tr>"
            f"{examples}</table></body></html>")
    path.write_text(page, encoding="utf-8")
