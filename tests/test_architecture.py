"""The house rules, checked on the code's own imports (read with ``ast``, so lazy imports
inside functions count too): no import circle; the document model depends on nothing;
stages never import jobs; only the command line prints; heavy libraries only in translation runtimes and
model families; no private part of another package; and the command line starts without loading the
pipeline."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
HEAVY = ("torch", "transformers", "ctranslate2", "ray")
WEB = ("starlette", "uvicorn")
# the document formats' libraries: each only in its format's reader or writer (and the one
# safe XML parser), so that text, segment, align and score never load them
DOCUMENT_LIBRARIES = ("pypdfium2", "pdfplumber", "lxml", "docx", "trafilatura")
DOCUMENT_MODULES = ("pipeline.readers.", "pipeline.editions.")
NOT_DOCUMENT_MODULES = ("pipeline.readers", "pipeline.readers.text", "pipeline.readers.layout", "pipeline.editions",
                        "pipeline.editions.common", "pipeline.editions.html")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """module -> every module it imports (package modules resolved, others by top name)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                # "from . import x" / "from .jobs import run": x may be a module
                found.add(target)
                found |= {f"{target}.{a.name}" for a in node.names}
        graph[name] = found
    modules = set(graph)
    return {m: {t for t in targets if t in modules or not t.startswith("pipeline")} - {m} for m, targets in graph.items()}


def _package_edges(graph):
    # a submodule's import of its own package's __init__ is not a dependency of the package on it
    return {m: {t for t in ts if t.startswith("pipeline") and not m.startswith(t + ".")} for m, ts in graph.items()}


def test_no_import_circle():
    graph = _package_edges(_imports())
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if not state.get(t):
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if not state.get(m):
            visit(m)


def test_the_document_model_depends_on_nothing():
    assert {t for t in _imports()["pipeline.doc"] if t.startswith("pipeline")} == set()


def test_stages_never_import_jobs_and_only_the_cli_prints():
    top = {"pipeline.cli", "pipeline.cli_options", "pipeline.cli_typer", "pipeline.console", "pipeline.__main__"}
    for m, targets in _imports().items():
        if m in top or m.startswith("pipeline.jobs"):
            continue
        assert not any(t.startswith("pipeline.jobs") for t in targets), f"{m} imports a job"
        assert not targets & {"pipeline.cli", "pipeline.console"}, f"{m} imports the command line"


def test_document_libraries_only_in_their_readers_and_writers():
    for m, targets in _imports().items():
        libraries = {t for t in targets if t.split(".")[0] in DOCUMENT_LIBRARIES}
        if libraries:
            assert m.startswith(DOCUMENT_MODULES) and m not in NOT_DOCUMENT_MODULES, f"{m} imports {sorted(libraries)}"


def test_heavy_libraries_only_in_runtimes_and_model_families():
    for m, targets in _imports().items():
        heavy = {t for t in targets if t.split(".")[0] in HEAVY}
        if heavy:
            # the deep-learning libraries in the runtimes and model families, Ray in the job that runs on it
            allowed = m == "pipeline.jobs.ray_run" and heavy == {"ray", "ray.data"} or m.startswith(("pipeline.translation.runtimes.", "pipeline.translation.families."))
            assert allowed, f"{m} imports {sorted(heavy)}"


def test_the_web_stack_only_in_the_review_server():
    for m, targets in _imports().items():
        web = {t for t in targets if t.split(".")[0] in WEB}
        assert not web or m == "pipeline.review.server", f"{m} imports {sorted(web)}"


def test_no_private_module_or_name_of_another_package():
    """Typer and the others promise nothing about their _private parts (Typer 0.29 keeps
    its copy of Click in one): neither ``from typer._click import …`` nor ``typer._click.x``
    (Python's own modules aside: ``os._exit`` is public)."""
    stdlib = sys.stdlib_module_names
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] not in stdlib}
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            private = [n for n in names if n.split(".")[0] not in stdlib and any(part.startswith("_") for part in n.split("."))]
            assert not private, f"{path.relative_to(ROOT)} imports {private}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                hidden = node.attr.startswith("_") and not node.attr.startswith("__")
                assert not hidden, f"{path.relative_to(ROOT)}:{node.lineno} uses {node.value.id}.{node.attr}"


def test_the_command_line_starts_without_the_pipeline():
    code = ("import sys, pipeline.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('pipeline') or m.split('.')[0] in "
            "('numpy', 'jinja2', 'torch', 'transformers', 'ctranslate2', 'sacrebleu', 'lingua', 'starlette', 'uvicorn')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert loaded.strip() == "['pipeline', 'pipeline.cli', 'pipeline.cli_options', 'pipeline.cli_typer', 'pipeline.editions', 'pipeline.errors', 'pipeline.version']"


def test_every_reader_is_reachable_from_its_table_and_claims_what_no_other_does():
    from pipeline.readers import READERS, Reader, reader_named, reader_for

    seen_suffixes, seen_magic = {}, {}
    for name in READERS:
        reader = reader_named(name)
        assert isinstance(reader, Reader) and reader.name == name
        for suffix in reader.suffixes:
            assert suffix.startswith(".") and suffix == suffix.lower(), suffix
            assert seen_suffixes.setdefault(suffix, name) == name, f"{suffix} claimed twice"
            assert reader_for(Path("x" + suffix)).name == name
        for magic in reader.magic:
            assert seen_magic.setdefault(magic, name) == name, f"{magic!r} claimed twice"
            assert reader_for(Path("x.unknown"), magic + b"rest").name == name


def test_the_signature_lists_the_front_ends_stages_in_the_order_it_runs_them():
    from pipeline.frontend import STAGES
    from pipeline.signature import _stages

    names = [name for name, _ in _stages()]
    front = [s.name for s in STAGES]
    assert names[1:1 + len(front)] == front and len(set(s.short for s in STAGES)) == len(STAGES)


def test_every_output_format_is_reachable_from_its_table_and_writes_files_no_other_does():
    from pipeline.editions import DOCUMENT_FORMATS, EDITIONS, EXPORTS, FORMATS

    assert set(EDITIONS) | set(EXPORTS) | set(DOCUMENT_FORMATS) == set(FORMATS) and len(set(EDITIONS)) == len(EDITIONS) and len(set(EXPORTS)) == len(EXPORTS)
    suffixes = [suffix for f in FORMATS.values() for suffix, _ in f.files]
    assert len(suffixes) == len(set(suffixes)), "a file suffix written by two formats"
    for name, fmt in FORMATS.items():
        assert fmt.name == name and "/" in fmt.media_type and fmt.help
        assert all(callable(render) for _, render in fmt.renderers()), name
    # no other module names a format by its suffix in a table of its own
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "__init__.py" or path.parent.name != "editions":
            assert "EXPORT_FORMATS" not in text and '("tmx", ".tmx")' not in text, path


# the longest a module may grow before it is split by concern
MAX_MODULE_LINES = 450


def test_no_module_is_over_450_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_no_function_takes_more_than_five_positional_parameters():
    """Beyond five, a call cannot be read without the signature, and two arguments can
    trade places unnoticed: the rest are keyword-only (``*,``)."""
    crowded = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                positional = [a for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
                if len(positional) > 5:
                    crowded.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not crowded, crowded


def test_every_name_the_package_exports_is_where_it_says():
    import pipeline

    for name in pipeline._EXPORTS:
        assert getattr(pipeline, name) is not None, name


def test_every_runtime_and_model_family_is_reachable_from_its_table():
    import importlib

    from pipeline.translation.families import FAMILIES
    from pipeline.translation.runtimes import BACKENDS, FACTORIES, RUNTIME_MODULES

    assert set(BACKENDS) == set(FACTORIES) == set(RUNTIME_MODULES), "a runtime named in one table and not another"
    for name, module in RUNTIME_MODULES.items():
        assert callable(importlib.import_module(f"pipeline.translation.runtimes.{module}").describe), name
    for name, module in FAMILIES.items():
        assert importlib.import_module(module).__name__ == module, name


def test_a_text_is_read_without_loading_any_document_library():
    """The readers' table, their suffixes and the front end on a text load no PDF, XML or
    Word library: ``segment`` and ``align`` on text start as fast as before."""
    code = (
        "import sys; from pipeline.inputs import READ_SUFFIXES; from pipeline.frontend import prepare; "
        "prepare(sys.argv[1]); "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({DOCUMENT_LIBRARIES!r})))"
    )
    seed = next((ROOT / "seeds").glob("003_*.txt"))
    out = subprocess.run([sys.executable, "-c", code, str(seed)], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout
