"""Presentation of results on the terminal (rich tables), kept out of the CLI module."""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # the report's type only: printing a line must not load the pipeline
    from .jobs.run import RunReport

err_console = Console(stderr=True, highlight=False)
# a rate measured over less time than this is noise (a batch that came back at once)
MIN_RATE_SECONDS = 0.5
# how often the plain progress log (no terminal) prints a line
LOG_EVERY_SECONDS = 5.0
out_console = Console(highlight=False)


def error_line(message: str) -> None:
    err_console.print(f"[bold red]diptych: error:[/] {escape(message)}", markup=True, soft_wrap=True)


def usage_line(command: str, message: str, help_command: str) -> None:
    """A usage error in the usual form: ``diptych run: no such option --bogus``."""
    err_console.print(f"[bold red]{escape(command)}:[/] {escape(message)} (see {escape(help_command)})", markup=True, soft_wrap=True)


# difflib's similarity from which an unknown option is taken for a typo: "--jsn" and
# "--json" score 0.91, "--modle" and "--model" 0.86, "--beam" and "--beam-size" 0.71,
# while "--bogus" and "--out" (no typo of each other) score 0.67
CLOSE_MATCH = 0.7


def usage_error(exc: Exception) -> int:
    """One line for a usage error of the framework's (unknown option or command, bad or
    missing value), naming the command it was made on and its help. Returns the exit code.

    The error is read by its public attributes, not by its class: of its usage errors
    Typer exports only their base (:class:`typer.TyperException`) and ``BadParameter``.
    An unknown option is the one that carries ``possibilities`` (what it could have been)."""
    import difflib

    ctx = getattr(exc, "ctx", None)
    option = getattr(exc, "option_name", None)
    if option and hasattr(exc, "possibilities"):
        message = f"no such option {option}"
        # the framework offers loose matches ("--bogus": "--out"); only near misses are worth naming
        close = difflib.get_close_matches(option, exc.possibilities or [], n=2, cutoff=CLOSE_MATCH)
        if close:
            message += f" (did you mean {' or '.join(close)}?)"
    else:
        message = exc.format_message().strip().rstrip(".")
        message = message[:1].lower() + message[1:]
    where = ctx.command_path if ctx is not None else "diptych"
    usage_line(where, " ".join(message.split()), f"{where} --help")
    return getattr(exc, "exit_code", 2)


def warning_line(message: str) -> None:
    err_console.print(f"[bold yellow]diptych: warning:[/] {escape(message)}", markup=True, soft_wrap=True)


@contextmanager
def progress_reporter() -> Iterator[Callable[[int, int, int, int], None]]:
    """One bar for the whole run on a terminal (sentences, documents done of all, sentences/s,
    time left); a plain log line every few seconds otherwise. The callback takes
    ``(sentences_done, sentences_total, documents_done, documents_total)``."""
    if err_console.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[docs]}"),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
        with Progress(*columns, console=err_console, transient=False) as progress:
            state: dict = {}

            def update(done: int, total: int, docs_done: int, docs_total: int) -> None:
                # the rate counts what was translated since the first tick: the first tick may
                # bring hundreds of cached sentences at once, which took no time at all
                if "task" not in state:
                    state.update(task=progress.add_task("translating", total=total, docs="", rate=""), started=time.perf_counter(), first=done)
                elapsed = time.perf_counter() - state["started"]
                rate = f"{(done - state['first']) / elapsed:.1f} sent/s" if elapsed >= MIN_RATE_SECONDS and done > state["first"] else ""
                progress.update(state["task"], completed=done, total=total, docs=f"{docs_done}/{docs_total} documents", rate=rate)

            yield update
        return

    last = {"at": 0.0, "started": time.perf_counter()}

    def log(done: int, total: int, docs_done: int, docs_total: int) -> None:
        now = time.perf_counter()
        if (done < total or docs_done < docs_total) and now - last["at"] < LOG_EVERY_SECONDS:
            return
        last["at"] = now
        err_console.print(f"translated {done}/{total} sentences, {docs_done}/{docs_total} documents done", soft_wrap=True, highlight=False)

    yield log


def run_table(report: "RunReport") -> Table:
    table = Table(title="Diptych run")
    table.add_column("document", no_wrap=True, overflow="ellipsis", max_width=20)
    for col in ("lang", "sentences", "translated", "as is", "cached", "sec"):
        table.add_column(col, justify="left" if col == "lang" else "right")
    for d in report.documents:
        table.add_row(escape(d.id), d.lang, str(d.sentences), str(d.translated), str(d.passed_through), str(d.from_cache), f"{d.seconds:.2f}")
    docs = report.documents
    table.add_row(
        f"[bold]{len(docs)} document{'s' if len(docs) != 1 else ''}[/]",
        "",
        str(sum(d.sentences for d in docs)),
        str(sum(d.translated for d in docs)),
        str(sum(d.passed_through for d in docs)),
        str(sum(d.from_cache for d in docs)),
        f"{report.seconds:.2f}",
    )
    return table


def print_run(report: "RunReport", as_json: bool) -> None:
    # The table goes to stderr when --json is asked for, so stdout stays machine-readable.
    console = err_console if as_json else out_console
    if report.documents:  # a run that wrote no document has nothing to sum up: its errors say why
        console.print(run_table(report))
        for d in report.documents:
            if not d.translation_needed:
                console.print(f"{escape(d.id)}: written in {d.lang}, no translation needed", soft_wrap=True)
        for lang, model in sorted(report.models.items()):
            console.print(f"model {lang}: {escape(model)}", soft_wrap=True)
        if report.backend:
            console.print(f"backend: {escape(report.backend)}", soft_wrap=True)
        if report.cache:
            console.print(f"cache: {escape(report.cache)}", soft_wrap=True)
        if report.glossary:
            console.print(f"glossary: {escape(report.glossary)}", soft_wrap=True)
    for message in report.warnings:
        warning_line(message)
    for message in report.errors:
        error_line(message)
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")


def print_models(rows: list[dict[str, str]]) -> None:
    """One short paragraph per language: readable in any terminal width and in logs."""
    profile = None
    for row in rows:
        if row.get("profile") != profile:
            profile = row.get("profile")
            out_console.print(f"[bold]{profile}[/] (--models {profile})" if profile else "", soft_wrap=True)
        out_console.print(f"[bold]{row['lang']}[/]  {escape(row['model'])}  ({row['origin']})", soft_wrap=True)
        if row.get("published"):
            out_console.print(f"    published: {escape(row['published'])}", soft_wrap=True)
        if row["available"] == "yes":
            out_console.print(f"    available offline: yes, {row['where']} at revision {escape(row['revision'])}")
            out_console.print(f"    {escape(row['path'])}", soft_wrap=True)
        else:
            profile_option = f"--models {row['profile']} " if row.get("profile", "base") != "base" else ""
            out_console.print(f"    available offline: no (`diptych models download {profile_option}{row['lang']}` stores it under models/)")


def print_eval(result) -> None:
    """``diptych eval``: each score, the published one and the difference, then the signatures."""
    out_console.print(f"{escape(result.source)}: {result.sentences} sentences ({result.lang}), {escape(result.model)}", soft_wrap=True)
    for row in result.scores:
        line = f"  {row['name']:6s} {row['score']:5.1f}"
        if "published" in row:
            line += f"   published {row['published']:.1f} ({result.test_set}), difference {row['difference']:+.1f}"
        out_console.print(line, soft_wrap=True)
    if not any("published" in row for row in result.scores):
        out_console.print("  (the catalog has no published figure for this set and model)")
    for row in result.scores:
        out_console.print(f"  {escape(row['signature'])}", soft_wrap=True, highlight=False)


def print_alignment_scores(scores: dict[str, float], to_stdout: bool = False) -> None:
    console = out_console if to_stdout else err_console
    table = Table(title="alignment")
    for col in ("", "strict", "lax"):
        table.add_column(col, justify="right")
    for name in ("precision", "recall", "f1"):
        table.add_row(name, f"{scores[name + '_strict']:.3f}", f"{scores[name + '_lax']:.3f}")
    console.print(table)


# Scores are printed with the one decimal sacrebleu gives them (pipeline.score.WIDTH), the
# figure the JSON and sacrebleu's command line show: "68.1", not "68.10".
def print_scores(out: dict) -> None:
    for name, r in out["scores"].items():
        ci = f" ± {r['ci95']:.1f}" if "ci95" in r else ""
        out_console.print(f"{escape(name):8s} {r['score']:5.1f}{ci}   {escape(r['signature'])}", soft_wrap=True)
    for name, values in out.get("sentences", {}).items():
        out_console.print(f"sentence {name}: " + " ".join(f"{v:.1f}" for v in values), soft_wrap=True)
    for test in out.get("paired", []):
        out_console.print(f"{test['test']} ({test['samples']} samples):")
        for name, r in test["metrics"].items():
            p = "n/a" if r["p_value"] is None else f"{r['p_value']:.4f}"
            out_console.print(f"  {escape(name):8s} baseline {r['baseline']:5.1f}  system {r['system']:5.1f}  p = {p}")


def print_edition_scores(result) -> None:
    d = result.as_dict()
    cov = d["coverage"]
    out_console.print(
        f"[bold]{escape(d['document'])}[/]: {d['pairs']} aligned pairs; "
        f"{cov['hypothesis']:.0%} of {cov['hypothesis_sentences']} edition sentences and "
        f"{cov['reference']:.0%} of {cov['reference_sentences']} reference sentences aligned",
        soft_wrap=True,
    )
    for r in d["scores"]:
        out_console.print(f"  {escape(r['name']):8s} {r['score']:5.1f}   {escape(r['signature'])}", soft_wrap=True)
    if d["worst"]:
        out_console.print("  worst first (sentence chrF):")
        for w in d["worst"]:
            out_console.print(f"    {w['chrf']:5.1f}  {escape(', '.join(w['ids']))}: {escape(w['english'][:90])}", soft_wrap=True)


def print_imported(tsv, changed: int, editions: list) -> None:
    """One line on stderr (stdout may be ``--json``): what an edited TSV changed."""
    segments = f"{changed} segment{'' if changed == 1 else 's'} changed"
    rendered = f"editions rendered again: {', '.join(p.name for p in editions)}" if editions else "no edition beside the record to render again"
    err_console.print(escape(f"{tsv}: {segments}; {rendered}"), soft_wrap=True, highlight=False)


def print_flagged(doc, flagged: list, as_json: bool = False) -> None:
    """The flagged segments of a record, most flags first (``--json``: one object per segment)."""
    if as_json:
        for seg in flagged:
            row = {"id": seg.id, "flags": seg.flags}
            for key in ("inconsistent_terms", "term_missing", "placeholder_lost"):
                if seg.meta.get(key):
                    row[key] = seg.meta[key]
            out_console.print(json.dumps(row, ensure_ascii=False), soft_wrap=True, markup=False, highlight=False)
        return
    if not flagged:
        out_console.print(f"{escape(doc.id)}: no flagged segments")
        return
    print_inconsistent_terms(doc)
    table = Table(title=f"{doc.id}: {len(flagged)} flagged segments (most flags first)")
    table.add_column("segment", no_wrap=True)
    table.add_column("flags")
    table.add_column("English", overflow="fold")
    for seg in sorted(flagged, key=lambda s: -len(s.flags)):
        table.add_row(escape(seg.id), escape(", ".join(_flag_detail(seg, f) for f in seg.flags)), escape((seg.translation or "")[:120]))
    out_console.print(table)


def _flag_detail(seg, flag: str) -> str:
    """A flag with what it is about, where the segment says: term_missing (Москва)."""
    about = seg.meta.get(flag) if flag in ("term_missing", "placeholder_lost") else None
    return f"{flag} ({', '.join(about)})" if about else flag


def print_inconsistent_terms(doc) -> None:
    """A document's names and terms rendered two ways, each rendering with its segments."""
    found = doc.meta.get("check", {}).get("inconsistent_terms") or []
    if not found:
        return
    out_console.print(f"{escape(doc.id)}: {len(found)} names or terms rendered more than one way", soft_wrap=True)
    for item in found:
        shown = " | ".join(f"{r} ({', '.join(ids)})" for r, ids in item["renderings"].items())
        out_console.print(f"  {escape(item['term'])}: {escape(shown)}", soft_wrap=True, highlight=False)


def print_cache_stats(stats: dict, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(stats) + "\n")
        return
    out_console.print(f"{escape(str(stats['path']))}: {stats['entries']} translations, {stats['bytes'] / 1e6:.1f} MB", soft_wrap=True)
    for name, n in stats["models"].items():
        out_console.print(f"  {n:8d}  {escape(name)}", soft_wrap=True)


def announce_line(message: str) -> None:
    """One line on standard output at once (a server's address: read by people and scripts)."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def print_lines(lines: Iterable[str]) -> None:
    """Plain lines on standard output, exactly as given (no markup, no wrapping)."""
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")


def print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
