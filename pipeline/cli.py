"""The ``diptych`` command line: a thin Typer layer over the Python API in :mod:`pipeline`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .doc import Document, RecordError
from .errors import DiptychError

app = typer.Typer(
    name="diptych",
    help="Sentence-aligned bilingual editions of French and Russian texts with English.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
models_app = typer.Typer(help="See, download and check the translation models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

ModelOpt = Annotated[
    Optional[list[str]],
    typer.Option("--model", "-m", metavar="LANG=ID_OR_PATH", help="Model for a language: a Hub id\\[@revision] or a local folder. Repeatable."),
]
DeviceOpt = Annotated[str, typer.Option("--device", help="auto (CUDA if available), cpu, or cuda[:N].")]
BackendOpt = Annotated[str, typer.Option("--backend", help="auto (CTranslate2 where installed, else torch), ctranslate2 or torch.")]
ComputeOpt = Annotated[str, typer.Option("--compute-type", help="auto, or: int8, int8_float16, float16 (ctranslate2); float32, float16, bfloat16 (torch).")]
BeamOpt = Annotated[int, typer.Option("--beam-size", min=1, help="Beam size (opus-mt default 4).")]
LengthPenaltyOpt = Annotated[float, typer.Option("--length-penalty", help="Length penalty (opus-mt default 1.0).")]
MaxLengthOpt = Annotated[int, typer.Option("--max-length", min=2, max=512, help="Maximum output length in tokens (opus-mt default 512).")]
BatchTokensOpt = Annotated[Optional[int], typer.Option("--batch-tokens", min=16, help="Token budget per batch, padding included (default: 2048 on CPU, 16384 on CUDA).")]
CacheOpt = Annotated[Optional[Path], typer.Option("--cache", help="Translation cache file (default: ~/.cache/diptych/translations.sqlite).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation cache.")]


def _engine_options(model, backend, device, compute_type, beam_size, length_penalty, max_length, batch_tokens, cache, no_cache):
    from .run import EngineOptions
    from .translate import DecodingSettings

    return EngineOptions(
        overrides=model,
        backend=backend,
        device=device,
        compute_type=compute_type,
        settings=DecodingSettings(beam_size=beam_size, length_penalty=length_penalty, max_length=max_length),
        batch_tokens=batch_tokens,
        cache_path=None if no_cache else (cache or "default"),
    )


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"diptych {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Diptych turns French and Russian texts into sentence-aligned bilingual editions with English.

    [bold]diptych run[/] does the whole job on seeds/ (or the files you give);
    the other commands run one stage each over the JSONL record.
    """


@app.command()
def run(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Text files or folders (default: seeds/).", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the editions, one sub-folder per document.")] = Path("outputs"),
    as_json: Annotated[bool, typer.Option("--json", help="Also print one final JSON line with the counts per document.")] = False,
    model: ModelOpt = None,
    device: DeviceOpt = "auto",
    backend: BackendOpt = "auto",
    compute_type: ComputeOpt = "auto",
    beam_size: BeamOpt = 4,
    length_penalty: LengthPenaltyOpt = 1.0,
    max_length: MaxLengthOpt = 512,
    batch_tokens: BatchTokensOpt = None,
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Segment, translate, align and render every input into OUT/<document>/."""
    from .console import print_run, progress_reporter
    from .run import run as run_pipeline

    options = _engine_options(model, backend, device, compute_type, beam_size, length_penalty, max_length, batch_tokens, cache, no_cache)
    with progress_reporter() as on_progress:
        report = run_pipeline(inputs or None, out_dir=out, options=options, on_progress=on_progress)
    print_run(report, as_json)
    raise typer.Exit(report.exit_code)


@app.command("segment")
def segment_cmd(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="A text file, or - for standard input.")],
    include_junk: Annotated[bool, typer.Option("--all", help="Include junk lines, marked with a leading '# junk: '.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per sentence instead of plain lines.")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Skip language detection: fr, ru or en.")] = None,
    record: Annotated[Optional[Path], typer.Option("--record", help="Also write the document record (JSONL) here.")] = None,
) -> None:
    """Print the sentences of a document, one per line, in order."""
    from .langid import LANGUAGES
    from .run import prepare

    if lang and lang not in LANGUAGES:
        raise DiptychError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    doc = prepare(source, lang=lang)
    if record:
        doc.seal()
        doc.save(record)
    out = sys.stdout
    for block in doc.blocks:
        if block.kind == "junk" and not include_junk:
            continue
        for seg in block.segments:
            if jsonl:
                obj = {"id": seg.id, "kind": block.kind, "lang": seg.lang, "text": seg.text, "footnote_refs": seg.footnote_refs, "span": list(seg.span)}
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            else:
                text = seg.text.replace("\n", " ")
                out.write(("# junk: " + text if block.kind == "junk" else text) + "\n")


@app.command("translate")
def translate_cmd(
    record: Annotated[Path, typer.Argument(help="A document record (JSONL) from `diptych segment --record`.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Where to write the translated record (default: standard output).")] = None,
    model: ModelOpt = None,
    device: DeviceOpt = "auto",
    backend: BackendOpt = "auto",
    compute_type: ComputeOpt = "auto",
    beam_size: BeamOpt = 4,
    length_penalty: LengthPenaltyOpt = 1.0,
    max_length: MaxLengthOpt = 512,
    batch_tokens: BatchTokensOpt = None,
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Translate the fr/ru segments of a record that have no translation yet."""
    from .console import progress_reporter
    from .run import load_engines
    from .translate import languages_needed, translate

    doc = Document.load(record)
    options = _engine_options(model, backend, device, compute_type, beam_size, length_penalty, max_length, batch_tokens, cache, no_cache)
    engines = load_engines(languages_needed([doc]), options)
    with progress_reporter() as on_progress:
        doc = translate(doc, engines, progress=lambda done, total: on_progress(doc.id, done, total))
    _write_record(doc, out)


@app.command("align")
def align_cmd(
    inputs: Annotated[list[Path], typer.Argument(metavar="SOURCE [TRANSLATION]", help="A translated record (JSONL), or a source text and its existing translation.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Record: where to write it (default: standard output). Two texts: the edition folder (default: outputs/<source>) or, with --format vecalign, the bead file (default: standard output).")] = None,
    pre_split: Annotated[bool, typer.Option("--pre-split", help="The two files hold one sentence per line: do not segment them.")] = False,
    src_lang: Annotated[Optional[str], typer.Option("--src-lang", help="Language of the source (skips detection).")] = None,
    tgt_lang: Annotated[Optional[str], typer.Option("--tgt-lang", help="Language of the translation (skips detection).")] = None,
    source_mt: Annotated[Optional[Path], typer.Option("--source-mt", help="A machine translation of the source, line i translating source sentence i (with --pre-split: line i of SOURCE).")] = None,
    target_mt: Annotated[Optional[Path], typer.Option("--target-mt", help="A machine translation of the translation back into the source language, line j translating its sentence j (with --pre-split: line j of TRANSLATION); used beside --source-mt or --mt, or alone.")] = None,
    use_mt: Annotated[bool, typer.Option("--mt", help="Translate the source with Diptych's model and use it as the bridge (target must be English).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="record (editions with flagged low-confidence beads) or vecalign ([0]:[0] lines).")] = "record",
    gold: Annotated[Optional[Path], typer.Option("--gold", help="Gold beads (vecalign format): print strict and lax precision/recall/F1 to stderr.")] = None,
    max_side: Annotated[Optional[int], typer.Option("--max-side", help="Most sentences on one side of a bead: 3 allows every shape up to 3-3; 4 and 5 (the default) add 1-4/4-1 and 1-5/5-1.")] = None,
    model: ModelOpt = None,
) -> None:
    """Align a text with an existing translation (two files), or record the beads of a translated record (one file)."""
    from .align import align

    if len(inputs) == 1:
        _write_record(align(Document.load(inputs[0])), out)
        return
    if len(inputs) != 2:
        raise DiptychError("align takes one translated record, or a source text and its translation")
    if fmt not in ("record", "vecalign"):
        raise DiptychError(f"--format must be record or vecalign, not {fmt!r}")
    from .align import align_pair, score_against_gold

    result = align_pair(inputs[0], inputs[1], pre_split=pre_split, src_lang=src_lang, tgt_lang=tgt_lang, source_mt=source_mt, use_mt=use_mt, overrides=model, max_side=max_side, target_mt=target_mt)
    if result.warning:
        from .console import warning_line

        warning_line(result.warning)
    scores = score_against_gold(result, gold, pre_split) if gold else None
    if fmt == "vecalign":
        text = "".join(b.vecalign() + "\n" for b in result.beads)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    else:
        from .render import render

        target = out or Path("outputs") / result.document.id
        for path in render(result.document, target):
            typer.echo(str(path))
    if scores:
        from .console import print_alignment_scores

        print_alignment_scores(scores)


@app.command("align-eval")
def align_eval(
    gold: Annotated[list[Path], typer.Argument(metavar="GOLD PRED", help="Gold beads and predicted beads (vecalign format); several pairs may follow: G1 P1 G2 P2 ...")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Strict and lax precision, recall and F1 of predicted beads (vecalign's and bertalign's definitions)."""
    from .align import score_bead_files
    from .console import print_alignment_scores

    scores = score_bead_files(gold)
    if as_json:
        typer.echo(json.dumps(scores))
    else:
        print_alignment_scores(scores, to_stdout=True)


@app.command("render")
def render_cmd(
    record: Annotated[Path, typer.Argument(help="A document record (JSONL).")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for the editions (default: the record's folder).")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated formats: tsv, tmx, md, en (en.txt and en.md), html.")] = "tsv,tmx,md,en,html",
) -> None:
    """Re-render the editions of a record without translating again."""
    from .render import FORMATS, render

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise DiptychError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    doc = Document.load(record)
    for path in render(doc, out or record.parent, chosen):
        typer.echo(str(path))


@app.command("score")
def score_cmd(
    hypothesis: Annotated[Path, typer.Argument(metavar="HYP|EDITION", help="A hypothesis file (one sentence per line), or an edition folder / record with --reference.")],
    references: Annotated[Optional[list[Path]], typer.Argument(metavar="[REF ...]", help="Line-aligned reference file(s).", show_default=False)] = None,
    reference: Annotated[Optional[Path], typer.Option("--reference", help="A reference that is not line-aligned: it is segmented and aligned with the edition's English first. With an outputs/ folder: a folder of <document>.txt references.")] = None,
    metrics: Annotated[str, typer.Option("--metrics", "-m", help="Comma-separated: bleu, chrf (chrF2), chrf++, ter.")] = "bleu,chrf,chrf++,ter",
    sentences: Annotated[bool, typer.Option("--sentences", help="Also print sentence-level scores.")] = False,
    confidence: Annotated[int, typer.Option("--confidence", help="Bootstrap resamples for 95% confidence intervals (0: none).", min=0)] = 0,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="A baseline system: test the difference with paired bootstrap and approximate randomization.")] = None,
    worst: Annotated[int, typer.Option("--worst", help="With --reference: list this many worst sentences by chrF.")] = 10,
    block: Annotated[Optional[list[str]], typer.Option("--block", help="With --reference: score only these blocks of the edition (e.g. b0). Repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score a translation with sacrebleu (BLEU, chrF2, chrF++, TER), with signatures."""
    from .console import print_edition_scores, print_scores
    from .score import corpus_scores, paired_test, read_lines, score_editions, sentence_scores

    chosen = [m.strip().lower() for m in metrics.split(",") if m.strip()]
    if reference is not None:
        if references:
            raise DiptychError("give either line-aligned REF files or --reference, not both")
        results, skipped = score_editions(hypothesis, reference, chosen, worst=worst, blocks=block or ())
        if skipped:
            from .console import error_line

            for line in skipped:
                error_line(line)
        if as_json:
            typer.echo(json.dumps([r.as_dict() for r in results] if len(results) != 1 else results[0].as_dict(), ensure_ascii=False))
        else:
            for r in results:
                print_edition_scores(r)
        return
    if not references:
        raise DiptychError("give line-aligned reference file(s), or --reference for an edition")
    hyps = read_lines(hypothesis)
    refs = [read_lines(r) for r in references]
    out: dict = {}
    results = corpus_scores(hyps, refs, chosen, bootstrap=confidence)
    out["scores"] = {r.name: r.as_dict() for r in results}
    if sentences:
        out["sentences"] = {name: sentence_scores(hyps, refs, name) for name in chosen}
    if baseline is not None:
        base = read_lines(baseline)
        out["paired"] = [paired_test(base, hyps, refs, chosen, "bs"), paired_test(base, hyps, refs, chosen, "ar")]
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        print_scores(out)


@app.command("check")
def check_cmd(
    record: Annotated[Path, typer.Argument(help="A document record (JSONL).")],
    translations: Annotated[Optional[Path], typer.Option("--translations", help="A TSV edition whose english column was edited: import it first.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Where to write the updated record (default: in place).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per flagged segment: id, flags.")] = False,
) -> None:
    """Recompute the reference-free quality flags of a record and list the flagged segments."""
    from .console import print_flagged
    from .quality import check
    from .render import import_tsv_translations

    doc = Document.load(record)
    if translations is not None:
        import_tsv_translations(doc, translations)
    doc = check(doc)
    doc.seal()
    doc.save(out or record)
    flagged = [(b.kind, s) for b in doc.blocks if b.translatable for s in b.segments if s.flags]
    if as_json:
        for _, s in flagged:
            typer.echo(json.dumps({"id": s.id, "flags": s.flags}, ensure_ascii=False))
    else:
        print_flagged(doc, flagged)


@models_app.command("list")
def models_list(model: ModelOpt = None) -> None:
    """Show the configured model per language and whether it is available offline."""
    from .console import print_models
    from .models import model_specs, status

    print_models(status(model_specs(model)))


@models_app.command("download")
def models_download(
    langs: Annotated[Optional[list[str]], typer.Argument(help="Languages to download (default: all in the catalog).", show_default=False)] = None,
    model: ModelOpt = None,
) -> None:
    """Store models under models/ so that Diptych runs offline."""
    from .models import download, specs_for

    for lang, spec in specs_for(langs or None, model).items():
        typer.echo(f"{lang}: {spec.label()} -> {download(spec)}")


@models_app.command("convert")
def models_convert(
    langs: Annotated[Optional[list[str]], typer.Argument(help="Languages to convert (default: all available offline).", show_default=False)] = None,
    model: ModelOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Convert again even if a conversion exists.")] = False,
) -> None:
    """Convert models to CTranslate2 (int8) under models/ct2/ for the fast backend."""
    from .models import resolve, specs_for

    resolved = {lang: resolve(spec) for lang, spec in specs_for(langs or None, model).items()}
    from .backends.ct2_marian import convert  # imports ctranslate2: only once the models are found

    for lang, model_files in resolved.items():
        typer.echo(f"{lang}: {model_files.ref} -> {convert(model_files, force=force)}")


cache_app = typer.Typer(help="Inspect or empty the translation cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(cache: CacheOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """How many translations are cached, per model, and the file's size."""
    from .cache import TranslationCache, default_cache_path

    stats = TranslationCache(cache or default_cache_path()).stats()
    if as_json:
        typer.echo(json.dumps(stats))
        return
    typer.echo(f"{stats['path']}: {stats['entries']} translations, {stats['bytes'] / 1e6:.1f} MB")
    for name, n in stats["models"].items():
        typer.echo(f"  {n:8d}  {name}")


@cache_app.command("clear")
def cache_clear(
    cache: CacheOpt = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Only this model's entries (id@revision as in `cache stats`).")] = None,
) -> None:
    """Delete cached translations (all, or one model's)."""
    from .cache import TranslationCache, default_cache_path

    removed = TranslationCache(cache or default_cache_path()).clear(model)
    typer.echo(f"removed {removed} cached translations")


def _write_record(doc: Document, out: Optional[Path]) -> None:
    doc.seal()
    if out:
        doc.save(out)
    else:
        doc.dump_jsonl(sys.stdout)


def entry() -> None:
    """Console-script entry point: user errors become one line and an exit code."""
    from .console import error_line

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
    except Exception as exc:  # noqa: BLE001 - last resort: no traceback for users unless asked
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        if os.environ.get("DIPTYCH_DEBUG"):
            raise
        error_line(f"unexpected {type(exc).__name__}: {exc} (set DIPTYCH_DEBUG=1 for the traceback)")
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
