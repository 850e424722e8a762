"""The editions rendered from a record: TSV, TMX (DTD-valid), Markdown, English, review page."""

from pathlib import Path

import pytest

from pipeline import prepare
from pipeline.doc import Document
from pipeline.readers.text import ingest_bytes
from pipeline.frontend.langid import identify
from pipeline.editions import EDITIONS, FORMATS, render, render_index
from pipeline.frontend.segment import segment
from pipeline.frontend.structure import structure
from conftest import diptych, seed_path, tsv_rows

DTD = Path(__file__).parent / "data" / "tmx14.dtd"
HOSTILE = (
    "Le texte contient <script>window.__xss = 1</script> une balise.\n\n"
    "Une image <img src=x onerror=\"window.__xss = 2\"> piégée & des « guillemets ».\n\n"
    "Colonnes\tavec tabulation et | barre.\n"
)


def translated(doc: Document, flag_every: int = 0) -> Document:
    """Give every fr/ru segment an English side (as a translator would) and flag some."""
    n = 0
    for block in doc.blocks:
        if block.kind == "junk":
            continue
        for seg in block.segments:
            if seg.lang in ("fr", "ru"):
                seg.translation = f"EN[{seg.text}]"
                n += 1
                if flag_every and n % flag_every == 0:
                    seg.flags.append("length_ratio")
    doc.meta["translation"] = {"needed": True}
    return doc


def hostile_doc() -> Document:
    doc = identify(segment(identify(structure(ingest_bytes(HOSTILE.encode(), "hostile")), force="fr")), force="fr")
    return translated(doc, flag_every=2)


@pytest.fixture(scope="module")
def seed_edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("editions")
    doc = translated(prepare(seed_path("003")), flag_every=7)
    render(doc, out / doc.id)
    hostile = hostile_doc()
    render(hostile, out / hostile.id)
    render_index(out)
    return out, doc, hostile


def test_all_formats_are_written(seed_edition):
    out, doc, _ = seed_edition
    names = sorted(p.name.removeprefix(doc.id) for p in (out / doc.id).iterdir())
    assert names == [".en.md", ".en.txt", ".html", ".jsonl", ".md", ".tmx", ".tsv"]
    assert set(EDITIONS) == {"tsv", "tmx", "md", "en", "html"} and set(EDITIONS) <= set(FORMATS)


def test_tmx_is_valid_tmx_1_4b(seed_edition):
    from lxml import etree

    out, doc, hostile = seed_edition
    dtd = etree.DTD(str(DTD))
    for d in (doc, hostile):
        tree = etree.parse(str(out / d.id / f"{d.id}.tmx"), etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False))
        assert dtd.validate(tree), dtd.error_log.filter_from_errors()
        header = tree.find("header")
        assert header.get("srclang") == "fr" and header.get("segtype") == "sentence" and header.get("creationtool") == "Diptych"
        tus = tree.findall("body/tu")
        assert len(tus) == sum(1 for s in d.segments if s.translation is not None)
    tu = tree.findall("body/tu")[0]
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-segment-id"] == hostile.blocks[0].segments[0].id and props["x-block-kind"] == "paragraph"
    segs = [t.find("seg").text for t in tu.findall("tuv")]
    assert segs[0] == hostile.blocks[0].segments[0].text and "<script>" in segs[0]
    assert any(p.get("type") == "x-flags" for t in tree.findall("body/tu") for p in t.findall("prop"))


def test_tsv_escapes_tabs_and_keeps_one_row_per_segment(seed_edition):
    out, _, hostile = seed_edition
    rows = tsv_rows(out / hostile.id / f"{hostile.id}.tsv")
    assert all(len(r) == 6 for r in rows)
    assert len(rows) == 1 + sum(1 for _ in hostile.segments)
    assert any("Colonnes\\tavec" in r[3] for r in rows)


def test_english_version_and_markdown(seed_edition):
    out, doc, _ = seed_edition
    english = (out / doc.id / f"{doc.id}.en.txt").read_text(encoding="utf-8")
    english_md = (out / doc.id / f"{doc.id}.en.md").read_text(encoding="utf-8")
    side_by_side = (out / doc.id / f"{doc.id}.md").read_text(encoding="utf-8")
    assert "Newsletter" not in english and "Lire plus" not in english  # junk left out
    assert "EN[Ainsi s’exprimait Lénine" in english
    heading = next(b for b in doc.blocks if b.kind == "heading")
    assert f"## EN[{heading.text}]" in english_md and f"## EN[{heading.text}]" in side_by_side
    assert "| fr | en |" in side_by_side and "⚑ *length_ratio*" in side_by_side


def test_index_lists_every_document(seed_edition):
    out, doc, hostile = seed_edition
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{doc.id}/{doc.id}.html"' in index and f'data-doc="{hostile.id}"' in index
    assert "length_ratio" in index


def test_render_refuses_bad_records_and_overwrites_nothing(tmp_path):
    doc = translated(prepare(seed_path("003")))
    render(doc, tmp_path)
    record = tmp_path / f"{doc.id}.jsonl"
    tsv = tmp_path / f"{doc.id}.tsv"
    before = tsv.read_bytes()
    lines = record.read_text(encoding="utf-8").splitlines()
    record.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")  # truncated
    proc = diptych("render", str(record))
    assert proc.returncode == 1 and "truncated" in proc.stderr and "Traceback" not in proc.stderr
    assert tsv.read_bytes() == before


# -- the review page in a real browser --------------------------------------------------------
from conftest import needs_chromium  # noqa: E402 - the browser fixture lives in conftest too


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, errors, requests


@needs_chromium
def test_review_page_loads_cleanly_and_pairs_highlight(seed_edition, browser):
    out, doc, _ = seed_edition
    page, errors, requests = _open(browser, out / doc.id / f"{doc.id}.html")
    assert errors == []
    assert all(u.startswith("file://") for u in requests)  # self-contained
    seg = next(s for b in doc.blocks if b.kind == "paragraph" for s in b.segments if s.translation)
    assert page.locator(f'[data-seg="{seg.id}"]').count() == 2
    page.locator(f'.src [data-seg="{seg.id}"]').click()
    selected = page.locator(".seg.selected")
    assert selected.count() == 2
    assert {selected.nth(i).get_attribute("data-seg") for i in range(2)} == {seg.id}
    assert page.locator(f'.tgt [data-seg="{seg.id}"]').evaluate("e => e.classList.contains('selected')")
    page.locator(f'.src [data-seg="{seg.id}"]').hover()
    assert page.locator(".seg.hl").count() == 2
    page.close()


@needs_chromium
def test_flag_filter_and_j_k_navigation(seed_edition, browser):
    out, doc, _ = seed_edition
    page, errors, _ = _open(browser, out / doc.id / f"{doc.id}.html")
    flagged = [s.id for b in doc.blocks if b.kind != "junk" for s in b.segments if s.flags]
    assert flagged
    page.check("#only-flagged")
    visible = page.locator(".src .seg:visible")
    assert sorted(visible.nth(i).get_attribute("data-seg") for i in range(visible.count())) == sorted(flagged)
    assert page.locator(".pair:visible").count() == len({i.rsplit(":", 1)[0] for i in flagged})
    page.uncheck("#only-flagged")
    page.keyboard.press("j")
    assert page.locator(".src .seg.selected").get_attribute("data-seg") == flagged[0]
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator(".src .seg.selected").get_attribute("data-seg") == flagged[0]
    page.keyboard.press("k")
    assert page.locator(".src .seg.selected").get_attribute("data-seg") == flagged[-1]
    assert errors == []
    page.close()


@needs_chromium
def test_markup_in_the_text_stays_inert(seed_edition, browser):
    out, _, hostile = seed_edition
    page, errors, requests = _open(browser, out / hostile.id / f"{hostile.id}.html")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert "<script>window.__xss = 1</script>" in page.locator("main").inner_text()
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert not any(u.endswith("/x") for u in requests)
    assert errors == []
    page.close()


@needs_chromium
def test_screenshot_is_not_blank(seed_edition, browser, tmp_path):
    import base64

    out, doc, _ = seed_edition
    page, _, _ = _open(browser, out / doc.id / f"{doc.id}.html")
    png = page.screenshot(path=str(tmp_path / "review.png"))
    # Decode the PNG in the browser itself and count what is on it.
    stats = page.evaluate(
        """async (data) => {
            const img = new Image();
            img.src = "data:image/png;base64," + data;
            await img.decode();
            const c = document.createElement("canvas");
            c.width = img.width; c.height = img.height;
            const ctx = c.getContext("2d");
            ctx.drawImage(img, 0, 0);
            const px = ctx.getImageData(0, 0, c.width, c.height).data;
            const colors = new Set();
            let dark = 0;
            for (let i = 0; i < px.length; i += 4) {
                colors.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
                if (px[i] + px[i + 1] + px[i + 2] < 300) dark++;
            }
            return {w: c.width, h: c.height, colors: colors.size, dark: dark / (px.length / 4)};
        }""",
        base64.b64encode(png).decode(),
    )
    page.close()
    assert stats["w"] == 1280 and stats["h"] == 900
    assert stats["colors"] > 50  # text, highlights, badges: not a flat page
    assert 0.01 < stats["dark"] < 0.5  # there is text, and it is not a black screen
