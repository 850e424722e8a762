"""The ``diptych`` command line: Typer only. Each command parses, calls one function of the
Python API, and prints through :mod:`pipeline.console`; nothing else happens here."""

from __future__ import annotations

import functools
import inspect
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_typer import Group as _Group
from .cli_typer import Typer as _Typer
from .editions import DOCUMENT_FORMATS, EDITIONS, EXPORTS, FORMATS, formats_help
from .errors import DiptychError, UsageError
from .version import __version__

# the document formats as the help lists them: "epub (a PDF's or an EPUB's), …"
_DOCUMENT_FORMATS_HELP = ", ".join(f"{name} ({FORMATS[name].help})" for name in DOCUMENT_FORMATS) or "none"
# export's formats as the help lists them: "xliff2, xliff12, …, or beads (an aligned pair's beads, vecalign format)."
_EXPORT_HELP = ", ".join(EXPORTS[:-1]) + f", or {EXPORTS[-1]} ({FORMATS[EXPORTS[-1]].help})."


app = _Typer(
    name="diptych",
    help="Sentence-aligned bilingual editions of French and Russian texts with English.",
    no_args_is_help=True,
    add_completion=False,
    cls=_Group,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
models_app = _Typer(cls=_Group, help="See, download and convert the translation models.", no_args_is_help=True)
app.add_typer(models_app, name="models")
cache_app = _Typer(cls=_Group, help="Inspect or empty the translation cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")

ModelOpt = Annotated[
    Optional[list[str]],
    typer.Option("--model", "-m", metavar="LANG=ID_OR_PATH", help="Model for a language: a Hub id\\[@revision] or a local folder. Repeatable."),
]
CacheOpt = Annotated[Optional[Path], typer.Option("--cache", help="Translation cache file (default: ~/.cache/diptych/translations.sqlite).")]
JsonOpt = Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")]

# The engine options, declared once: every command that translates takes them all and
# receives one EngineOptions (see with_engine_options).
_ENGINE_OPTIONS = {
    "model": (ModelOpt, None),
    "models": (Annotated[str, typer.Option("--models", metavar="SET", help="catalog (the opus-mt models), or demo: untrained models built here, whose English is noise (to see the pipeline offline).")], "catalog"),
    "device": (Annotated[str, typer.Option("--device", help="auto (CUDA if available), cpu, or cuda[:N].")], "auto"),
    "backend": (Annotated[str, typer.Option("--backend", help="auto (CTranslate2 where installed, else torch), ctranslate2 or torch.")], "auto"),
    "compute_type": (Annotated[str, typer.Option("--compute-type", help="auto, or: int8, int8_float16, float16 (ctranslate2); float32, float16, bfloat16 (torch).")], "auto"),
    "beam_size": (Annotated[int, typer.Option("--beam-size", min=1, help="Beam size (opus-mt default 4).")], 4),
    "length_penalty": (Annotated[float, typer.Option("--length-penalty", help="Length penalty (opus-mt default 1.0).")], 1.0),
    "max_length": (Annotated[int, typer.Option("--max-length", min=2, max=512, help="Maximum output length in tokens (opus-mt default 512).")], 512),
    "batch_tokens": (Annotated[Optional[int], typer.Option("--batch-tokens", min=16, help="Token budget per batch, padding included (default: 2048 on CPU, 16384 on CUDA).")], None),
    "cache": (CacheOpt, None),
    "no_cache": (Annotated[bool, typer.Option("--no-cache", metavar="", help="Neither read nor write the translation cache.")], False),
    "glossary": (Annotated[Optional[Path], typer.Option("--glossary", metavar="FILE", help="A glossary (TSV, CSV: source term, English term, optional note; or TBX) the English must follow; an English equal to its term: do not translate.")], None),
    "glossary_candidates": (Annotated[Optional[int], typer.Option("--glossary-candidates", metavar="N", min=1, help="Hypotheses weighed for a sentence holding glossary terms (default 8).")], None),
    "protect_spans": (Annotated[bool, typer.Option("--protect-spans", metavar="", help="Keep URLs, e-mails, `code` and numbers with units from the model, put back verbatim (always on with --glossary).")], False),
}


def _engine_options(model, models, device, backend, compute_type, *, beam_size, length_penalty, max_length, batch_tokens, cache, no_cache,
                    glossary=None, glossary_candidates=None, protect_spans=False):
    from .translation.loading import EngineOptions
    from .translation.stage import DecodingSettings

    return EngineOptions(
        overrides=model, backend=backend, device=device, compute_type=compute_type,
        settings=DecodingSettings(beam_size=beam_size, length_penalty=length_penalty, max_length=max_length),
        batch_tokens=batch_tokens, cache_path=None if no_cache else (cache or "default"), models=models,
        glossary=glossary, glossary_candidates=glossary_candidates, protect_spans=protect_spans,
    )


def with_engine_options(command):
    """Give ``command`` the engine options (as Typer sees parameters: in its signature) and
    call it with one ``options`` argument built from them."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "options"]
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
             for name, (annotation, default) in _ENGINE_OPTIONS.items()]

    @functools.wraps(command)
    def wrapper(**kwargs):
        engine = {name: kwargs.pop(name) for name in _ENGINE_OPTIONS}
        return command(options=_engine_options(**engine), **kwargs)

    wrapper.__signature__ = inspect.Signature(own + extra)
    del wrapper.__wrapped__  # Typer must read the new signature, not the command's own
    return wrapper


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"diptych {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", metavar="", callback=_version_callback, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Diptych turns French and Russian texts into sentence-aligned bilingual editions with English.

    [bold]diptych run[/] does the whole job on seeds/ (or the files you give);
    the other commands run one stage each over the JSONL record.
    """


@app.command()
@with_engine_options
def run(
    inputs: Annotated[Optional[list[Path]], typer.Argument(metavar="FILE|FOLDER", help="Text files or folders (default: seeds/).", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the editions, one sub-folder per document.")] = Path("outputs"),
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Also print one final JSON line with the counts per document.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="local (this machine), or ray (a Ray cluster; pip install 'diptych\\[ray]').")] = "local",
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", metavar="auto|HOST:PORT", help="With --engine ray: the cluster to join (auto: the one running here; default: RAY_ADDRESS, else a local Ray).")] = None,
    *, workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="With --engine ray: at most this many translation workers (default: one per GPU, else per CPU).")] = None,
    formats: Annotated[Optional[str], typer.Option("--formats", "--format", metavar="LIST", help=f"Comma-separated editions (default: {formats_help(EDITIONS)}, and the input's own format: {_DOCUMENT_FORMATS_HELP}).", show_default=False)] = None,
    options=None,
) -> None:
    """Segment, translate, align and render every input into OUT/<document>/."""
    from .console import print_run, progress_reporter
    from .jobs.run import check_engine

    check_engine(engine, ray_address, workers)
    with progress_reporter() as on_progress:
        if engine == "ray":
            from .jobs.ray_run import run_on_ray

            report = run_on_ray(inputs or None, out_dir=out, options=options, address=ray_address, workers=workers, on_progress=on_progress,
                                formats=formats)
        else:
            from .jobs.run import run as run_pipeline

            report = run_pipeline(inputs or None, out_dir=out, options=options, on_progress=on_progress, formats=formats)
    print_run(report, as_json)
    raise typer.Exit(report.exit_code)


@app.command("segment")
def segment_cmd(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="A text file, or - for standard input.")],
    include_junk: Annotated[bool, typer.Option("--all", metavar="", help="Include junk lines, marked with a leading '# junk: '.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", metavar="", help="One JSON object per sentence instead of plain lines.")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Skip language detection: fr, ru or en.")] = None,
    record: Annotated[Optional[Path], typer.Option("--record", help="Also write the document record (JSONL) here.")] = None,
) -> None:
    """Print the sentences of a document, one per line, in order."""
    import json

    from .console import print_lines, warning_line
    from .frontend import damage_warning, prepare, sentence_lines, sentence_rows
    from .jobs.records import write_record
    from .frontend.langid import check_language

    doc = prepare(source, lang=check_language(lang))
    if warning := damage_warning(doc):
        warning_line(warning)
    if record:
        write_record(doc, record)
    if jsonl:
        print_lines(json.dumps(row, ensure_ascii=False) for row in sentence_rows(doc, include_junk))
    else:
        print_lines(sentence_lines(doc, include_junk))


@app.command("translate")
@with_engine_options
def translate_cmd(
    record: Annotated[Path, typer.Argument(metavar="RECORD", help="A document record (JSONL) from `diptych segment --record`.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Where to write the translated record (default: standard output).")] = None,
    options=None,
) -> None:
    """Translate the fr/ru segments of a record that have no translation yet."""
    from .console import progress_reporter
    from .jobs.records import translate_record, write_record

    with progress_reporter() as on_progress:
        doc = translate_record(record, options, on_progress)
    write_record(doc, out)


@app.command("align")
def align_cmd(
    inputs: Annotated[list[Path], typer.Argument(metavar="FILE", help="A translated record (JSONL), or a source text and its existing translation (two files).")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Record: where to write it (default: standard output). Two texts: the edition folder (default: outputs/<source>) or, with --format vecalign, the bead file (default: standard output).")] = None,
    pre_split: Annotated[bool, typer.Option("--pre-split", metavar="", help="The two files hold one sentence per line: do not segment them.")] = False,
    src_lang: Annotated[Optional[str], typer.Option("--src-lang", help="Language of the source (skips detection).")] = None,
    tgt_lang: Annotated[Optional[str], typer.Option("--tgt-lang", help="Language of the translation (skips detection).")] = None,
    *, source_mt: Annotated[Optional[Path], typer.Option("--source-mt", help="A machine translation of the source, line i translating source sentence i (with --pre-split: line i of SOURCE).")] = None,
    target_mt: Annotated[Optional[Path], typer.Option("--target-mt", help="A machine translation of the translation back into the source language, line j translating its sentence j (with --pre-split: line j of TRANSLATION); used beside --source-mt or --mt, or alone.")] = None,
    use_mt: Annotated[bool, typer.Option("--mt", metavar="", help="Translate the source with Diptych's model and use it as the bridge (target must be English).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="record (editions with flagged low-confidence beads) or vecalign ([0]:[0] lines).")] = "record",
    gold: Annotated[Optional[Path], typer.Option("--gold", help="Gold beads (vecalign format): print strict and lax precision/recall/F1 to stderr.")] = None,
    max_side: Annotated[Optional[int], typer.Option("--max-side", help="Most sentences on one side of a bead: 3 allows every shape up to 3-3; 4 and 5 (the default) add 1-4/4-1 and 1-5/5-1.")] = None,
    no_lexicon: Annotated[bool, typer.Option("--no-lexicon", metavar="", help="Do not learn a word lexicon from a first alignment (learned only where no machine translation is given; it helped literary French-English: see docs/alignment.md).")] = False,
    model: ModelOpt = None,
) -> None:
    """Align a text with an existing translation (two files), or record the beads of a translated record (one file)."""
    from .console import print_alignment_scores, print_lines, warning_line
    from .frontend import damage_warning
    from .jobs.align_texts import align_pair, check_align_format, score_against_gold, write_alignment
    from .jobs.records import align_record, write_record

    if len(inputs) == 1:
        write_record(align_record(inputs[0]), out)
        return
    if len(inputs) != 2:
        raise UsageError("align takes one translated record, or a source text and its translation")
    check_align_format(fmt)
    result = align_pair(inputs[0], inputs[1], pre_split=pre_split, src_lang=src_lang, tgt_lang=tgt_lang, source_mt=source_mt, use_mt=use_mt, overrides=model, max_side=max_side,
                        target_mt=target_mt, no_lexicon=no_lexicon, fmt=fmt)
    for warning in (damage_warning(result.document), result.warning):
        if warning:
            warning_line(warning)
    scores = score_against_gold(result, gold, pre_split) if gold else None
    print_lines(write_alignment(result, fmt, out))
    if scores:
        print_alignment_scores(scores)


@app.command("align-eval")
def align_eval(
    gold: Annotated[list[Path], typer.Argument(metavar="GOLD PRED", help="Gold beads and predicted beads (vecalign bead files, or the record .jsonl of an aligned pair); several pairs may follow: G1 P1 G2 P2 ...")],
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print one JSON object.")] = False,
) -> None:
    """Strict and lax precision, recall and F1 of predicted beads (vecalign's and bertalign's definitions)."""
    from .console import print_alignment_scores, print_json
    from .jobs.align_texts import score_bead_files

    scores = score_bead_files(gold)
    if as_json:
        print_json(scores)
    else:
        print_alignment_scores(scores, to_stdout=True)


@app.command("render")
def render_cmd(
    record: Annotated[Path, typer.Argument(metavar="RECORD", help="A document record (JSONL).")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for the editions (default: the record's folder).")] = None,
    formats: Annotated[Optional[str], typer.Option("--formats", "--format", metavar="LIST", help=f"Comma-separated editions (default: {formats_help(EDITIONS)}, and the input's own format: {_DOCUMENT_FORMATS_HELP}).", show_default=False)] = None,
) -> None:
    """Re-render the editions of a record without translating again."""
    from .console import print_lines
    from .jobs.records import render_record

    print_lines(str(p) for p in render_record(record, out, formats))


@app.command("review")
def review_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="FOLDER", help="Folders of editions (default: outputs/).", show_default=False)] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (other than the loopback only on purpose: anyone who reaches it and has the token can edit).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port (0: any free one).", min=0, max=65535)] = 0,
    no_open: Annotated[bool, typer.Option("--no-open", metavar="", help="Do not open a browser.")] = False,
    new_token: Annotated[bool, typer.Option("--new-token", metavar="", help="Replace the kept token of these folders (open pages stop working).")] = False,
) -> None:
    """Review editions in the browser: correct, approve, comment, fix alignments, export XLIFF."""
    from .console import announce_line, warning_line
    from .jobs.records import review_folders

    review_folders(paths or [Path("outputs")], host, port, not no_open, announce_line, warn=warning_line, new_token=new_token)


@app.command("export")
def export_cmd(
    record: Annotated[Path, typer.Argument(metavar="RECORD", help="A document record (JSONL), reviewed or not.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_EXPORT_HELP)] = EXPORTS[0],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="File to write (default: beside the record, <doc>.xlf / .v12.xlf / …).")] = None,
) -> None:
    """Export a record for CAT tools: XLIFF 2.0 or 1.2 with each segment's review status and comments."""
    from .console import print_lines
    from .jobs.records import export_record

    print_lines([str(export_record(record, fmt, out))])


@app.command("score")
def score_cmd(
    hypothesis: Annotated[Path, typer.Argument(metavar="HYP|EDITION", help="A hypothesis file (one sentence per line), or an edition folder / record with --reference.")],
    references: Annotated[Optional[list[Path]], typer.Argument(metavar="REF", help="Line-aligned reference file(s).", show_default=False)] = None,
    reference: Annotated[Optional[Path], typer.Option("--reference", help="A reference that is not line-aligned: it is segmented and aligned with the edition's English first. With an outputs/ folder: a folder of <document>.txt references.")] = None,
    metrics: Annotated[str, typer.Option("--metrics", "-m", help="Comma-separated: bleu, chrf (chrF2), chrf++, ter.")] = "bleu,chrf,chrf++,ter",
    sentences: Annotated[bool, typer.Option("--sentences", metavar="", help="Also print sentence-level scores.")] = False,
    *, confidence: Annotated[int, typer.Option("--confidence", help="Bootstrap resamples for 95% confidence intervals (0: none).", min=0)] = 0,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="A baseline system: test the difference with paired bootstrap and approximate randomization.")] = None,
    worst: Annotated[int, typer.Option("--worst", help="With --reference: list this many worst sentences by chrF.")] = 10,
    block: Annotated[Optional[list[str]], typer.Option("--block", metavar="BLOCK", help="With --reference: score only these blocks of the edition (e.g. b0). Repeatable.")] = None,
    write: Annotated[bool, typer.Option("--write", metavar="", help="With --reference: keep the scores in the edition's record and review page (worst first), naming the reference. Without it the edition is left as it is.")] = False,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print one JSON object.")] = False,
) -> None:
    """Score a translation with sacrebleu (BLEU, chrF2, chrF++, TER), with signatures."""
    from .console import error_line, print_edition_scores, print_json, print_scores
    from .score import parse_metrics, score_files

    chosen = parse_metrics(metrics)
    if reference is not None:
        from .jobs.score_editions import score_editions

        if references:
            raise UsageError("give either line-aligned REF files or --reference, not both")
        results, skipped = score_editions(hypothesis, reference, chosen, worst=worst, blocks=block or (), write=write)
        for line in skipped:
            error_line(line)
        if as_json:
            print_json([r.as_dict() for r in results] if len(results) != 1 else results[0].as_dict())
        else:
            for r in results:
                print_edition_scores(r)
        return
    if not references:
        raise UsageError("give line-aligned reference file(s), or --reference for an edition")
    if write:
        raise UsageError("--write keeps the scores in an edition: it goes with --reference")
    out = score_files(hypothesis, references, chosen, sentences=sentences, bootstrap=confidence, baseline=baseline)
    if as_json:
        print_json(out)
    else:
        print_scores(out)


@app.command("check")
def check_cmd(
    record: Annotated[Path, typer.Argument(metavar="RECORD", help="A document record (JSONL).")],
    translations: Annotated[Optional[Path], typer.Option("--translations", help="A TSV edition whose english column was edited: import it first.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Where to write the updated record (default: in place).")] = None,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="One JSON object per flagged segment: id, flags.")] = False,
) -> None:
    """Recompute the reference-free quality flags of a record and list the flagged segments."""
    from .console import print_flagged, print_imported
    from .jobs.records import check_record

    checked = check_record(record, translations, out)
    if translations is not None:
        print_imported(translations, checked.changed, checked.editions)
    print_flagged(checked.doc, checked.flagged, as_json)


@models_app.command("list")
def models_list(model: ModelOpt = None) -> None:
    """Show the configured model per language and whether it is available offline."""
    from .console import print_models
    from .translation.catalog import model_specs, status

    print_models(status(model_specs(model)))


@models_app.command("download")
def models_download(
    langs: Annotated[Optional[list[str]], typer.Argument(metavar="LANG", help="Languages to download (default: all in the catalog).", show_default=False)] = None,
    model: ModelOpt = None,
) -> None:
    """Store models under models/ so that Diptych runs offline."""
    from .console import print_lines
    from .translation.catalog import download_all

    print_lines(download_all(langs or None, model))


@models_app.command("convert")
def models_convert(
    langs: Annotated[Optional[list[str]], typer.Argument(metavar="LANG", help="Languages to convert (default: all available offline).", show_default=False)] = None,
    model: ModelOpt = None,
    force: Annotated[bool, typer.Option("--force", metavar="", help="Convert again even if a conversion exists.")] = False,
) -> None:
    """Convert models to CTranslate2 (int8) under models/ct2/ for the fast backend."""
    from .console import print_lines
    from .translation.loading import convert_all

    print_lines(convert_all(langs or None, model, force=force))


@models_app.command("demo")
def models_demo(rebuild: Annotated[bool, typer.Option("--rebuild", metavar="", help="Build them again.")] = False) -> None:
    """Build untrained demo models here (no network), for `diptych run --models demo`."""
    from .console import print_lines
    from .translation.demo import demo_lines

    print_lines(demo_lines(rebuild))


@cache_app.command("stats")
def cache_stats(cache: CacheOpt = None, as_json: JsonOpt = False) -> None:
    """How many translations are cached, per model, and the file's size."""
    from .translation.cache import cache_stats as stats_of
    from .console import print_cache_stats

    print_cache_stats(stats_of(cache), as_json)


@cache_app.command("clear")
def cache_clear(
    cache: CacheOpt = None,
    model_id: Annotated[Optional[str], typer.Option("--model-id", metavar="ID@REVISION", help="Only the entries of this model, as `cache stats` names it.")] = None,
) -> None:
    """Delete cached translations (all, or one model's)."""
    from .translation.cache import clear_cache

    typer.echo(f"removed {clear_cache(cache, model_id)} cached translations")


def entry() -> None:
    """Console-script entry point: what a user can cause becomes one line and an exit code
    (2 usage and setup, 1 bad input); a traceback only for Diptych's own bugs."""
    import os

    from .console import error_line
    from .doc import RecordError

    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (DiptychError, RecordError) as exc:
        error_line(str(exc))
        sys.exit(getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:
        error_line("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except typer.Abort:
        error_line("aborted")
        sys.exit(1)
    except typer.TyperException as exc:  # the framework's usage errors (its Click exceptions)
        from .console import usage_error

        sys.exit(usage_error(exc))
    except Exception as exc:  # noqa: BLE001 - a bug of Diptych's: no traceback unless asked
        if os.environ.get("DIPTYCH_DEBUG"):
            raise
        error_line(f"internal error {type(exc).__name__}: {exc} (please report it; DIPTYCH_DEBUG=1 shows the traceback)")
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
