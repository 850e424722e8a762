"""Presentation of results on the terminal (rich tables), kept out of the CLI module."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .run import RunReport

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)


def error_line(message: str) -> None:
    err_console.print(f"[bold red]diptych: error:[/] {message}", markup=True, soft_wrap=True)


def run_table(report: RunReport) -> Table:
    table = Table(title="Diptych run", show_lines=False)
    for col, justify in (
        ("document", "left"),
        ("languages", "left"),
        ("sentences", "right"),
        ("translated", "right"),
        ("passed through", "right"),
        ("time (s)", "right"),
    ):
        table.add_column(col, justify=justify)
    for d in report.documents:
        langs = ", ".join(f"{k}:{v}" for k, v in sorted(d.languages.items(), key=lambda kv: -kv[1]))
        table.add_row(escape(d.id), escape(f"{d.lang} ({langs})"), str(d.sentences), str(d.translated), str(d.passed_through), f"{d.seconds:.2f}")
    total = report.documents
    table.add_row(
        f"[bold]{len(total)} documents[/]",
        "",
        str(sum(d.sentences for d in total)),
        str(sum(d.translated for d in total)),
        str(sum(d.passed_through for d in total)),
        f"{report.seconds:.2f}",
    )
    return table


def print_run(report: RunReport, as_json: bool) -> None:
    # The table goes to stderr when --json is asked for, so stdout stays machine-readable.
    console = err_console if as_json else out_console
    console.print(run_table(report))
    for d in report.documents:
        if not d.translation_needed:
            console.print(f"{escape(d.id)}: written in {d.lang}, no translation needed; no model loaded for it")
    for lang, model in sorted(report.models.items()):
        console.print(f"model {lang}: {model}")
    for message in report.errors:
        error_line(message)
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")


def print_models(rows: list[dict[str, str]]) -> None:
    """One short paragraph per language: readable in any terminal width and in logs."""
    for row in rows:
        out_console.print(f"[bold]{row['lang']}[/]  {escape(row['model'])}  ({row['origin']})", soft_wrap=True)
        if row["available"] == "yes":
            out_console.print(f"    available offline: yes, {row['where']} at revision {escape(row['revision'])}")
            out_console.print(f"    {escape(row['path'])}", soft_wrap=True)
        else:
            out_console.print("    available offline: no (`diptych models download " + row["lang"] + "` stores it under models/)")
