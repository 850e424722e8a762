"""``diptych review`` and ``diptych export``: the real server (uvicorn, started by the real
command), the real page in Chromium, the record on disk, and the exports against the
OASIS schemas."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, diptych, needs_chromium

from pipeline.doc import Document

FLORES = ROOT.parent / "shared" / "data" / "align" / "flores_dev_fr-en" / "doc_000"
needs_flores = pytest.mark.skipif(not FLORES.is_dir(), reason="../shared/data/align is not beside the checkout")
XLIFF_SCHEMAS = Path(__file__).parent / "data" / "xliff"
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


# -- fixtures: a translated edition and an aligned pair, each a fresh copy -------------------
@pytest.fixture()
def translated(seeds_run, tmp_path) -> Path:
    """The edition folder of the French seed (tiny models), copied so that tests may change it."""
    _, out = seeds_run
    source = next(p for p in out.iterdir() if p.name.startswith("003_"))
    return Path(shutil.copytree(source, tmp_path / source.name))


@pytest.fixture()
def aligned(tmp_path) -> Path:
    if not FLORES.is_dir():
        pytest.skip("../shared/data/align is not beside the checkout")
    out = tmp_path / "aligned"
    proc = diptych("align", str(FLORES / "src.txt"), str(FLORES / "tgt.txt"), "--pre-split", "--src-lang", "fr", "--tgt-lang", "en", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _record(folder: Path) -> Path:
    (record,) = folder.glob("*.jsonl")
    return record


class Server:
    """``diptych review FOLDER --no-open`` in a subprocess, as a user starts it."""

    def __init__(self, *folders: Path, extra: tuple[str, ...] = ()):
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "review", *map(str, folders), "--no-open", *extra], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("Reviewing "), line + self.proc.stderr.read()
        self.url = line.split(" at ", 1)[1].strip()
        self.base, self.token = self.url.split("/?token=")

    def call(self, method: str, path: str, body: dict | None = None, token: bool = True, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=dict(headers or {}))
        if token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                raw = res.read()
                return res.status, (json.loads(raw) if res.headers.get_content_type() == "application/json" else raw.decode())
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            return exc.code, (json.loads(raw) if raw.startswith(b"{") else raw.decode())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture()
def serve():
    started: list[Server] = []

    def start(*folders: Path, extra: tuple[str, ...] = ()) -> Server:
        server = Server(*folders, extra=extra)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _validate(xml: str, schema: str) -> None:
    from lxml import etree

    class Local(etree.Resolver):
        """The schemas import the W3C xml.xsd by URL: the copy beside them answers, no network."""

        def resolve(self, url, pubid, context):
            if url.endswith("xml.xsd"):
                return self.resolve_filename(str(XLIFF_SCHEMAS / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    xsd = etree.XMLSchema(etree.parse(str(XLIFF_SCHEMAS / schema), parser))
    document = etree.fromstring(xml.encode("utf-8"))
    assert xsd.validate(document), xsd.error_log


# -- the API -------------------------------------------------------------------------------------
def test_edit_approve_and_comment_are_saved_at_once_with_their_history(translated, serve):
    server = serve(translated)
    status, docs = server.call("GET", "/api/documents")
    assert status == 200 and [d["id"] for d in docs] == [_record(translated).stem]
    doc_id = docs[0]["id"]
    status, doc = server.call("GET", f"/api/documents/{doc_id}")
    seg = next(s for s in doc["segments"] if s["translation"])
    assert seg["status"] == "translated" and seg["version"] == 0  # machine output starts "translated"
    path = f"/api/documents/{doc_id}/segments/{seg['id']}"
    status, after = server.call("PATCH", path, {"translation": "A corrected sentence: 12 cats.", "version": 0})
    assert status == 200 and after["version"] == 1 and after["translation"] == "A corrected sentence: 12 cats."
    assert "number_mismatch" in after["flags"] or "12" in seg["text"]  # flags computed again for the new English
    status, after = server.call("PATCH", path, {"status": "reviewed", "comment": "checked against the print edition", "version": 1})
    assert status == 200 and after["status"] == "reviewed" and after["comments"][0]["text"] == "checked against the print edition"
    # on disk, at once: the record holds the change and its history; the editions follow it
    saved = next(s for s in Document.load(_record(translated)).content_segments() if s.id == seg["id"])
    review = saved.meta["review"]
    assert saved.translation == "A corrected sentence: 12 cats." and review["status"] == "reviewed" and review["version"] == 2
    assert [(h["field"], h["after"]) for h in review["history"]] == [
        ("translation", "A corrected sentence: 12 cats."), ("status", "reviewed"), ("comment", "checked against the print edition")]
    assert review["history"][0]["before"] == seg["translation"]
    assert "A corrected sentence: 12 cats." in (translated / f"{doc_id}.tsv").read_text(encoding="utf-8")
    # the stale version is refused, with the current state, and nothing changes
    status, body = server.call("PATCH", path, {"translation": "someone else's text", "version": 1})
    assert status == 409 and body["current"]["translation"] == "A corrected sentence: 12 cats." and body["current"]["version"] == 2
    assert server.call("GET", "/api/documents")[1][0]["progress"]["reviewed"] == 1
    # bad changes are one clear 400, unknown ids 404
    assert server.call("PATCH", path, {"status": "approved", "version": 2})[0] == 400
    assert server.call("PATCH", path, {"translation": 3, "version": 2})[0] == 400
    assert server.call("PATCH", path, {"translation": "x"})[0] == 400
    assert server.call("PATCH", f"/api/documents/{doc_id}/segments/nope", {"status": "final", "version": 0})[0] == 404
    assert server.call("GET", "/api/documents/..%2F..%2Fetc%2Fpasswd")[0] == 404
    # the record still reads, and `diptych check` and `render` take it as any other
    assert diptych("check", str(_record(translated))).returncode in (0, 1)
    proc = diptych("render", str(_record(translated)), "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    assert "A corrected sentence: 12 cats." in (translated / f"{doc_id}.tsv").read_text(encoding="utf-8")


def test_requests_without_the_token_or_from_elsewhere_are_refused(translated, serve):
    server = serve(translated)
    assert server.call("GET", "/api/documents", token=False)[0] == 403
    assert server.call("GET", "/api/documents", token=False, headers={"Authorization": "Bearer wrong"})[0] == 403
    assert server.call("GET", "/", token=False)[0] == 403
    assert server.call("GET", "/api/documents", headers={"Origin": "http://evil.example"})[0] == 403
    assert server.call("GET", "/api/documents", headers={"Host": "evil.example"})[0] == 403  # DNS rebinding
    doc_id = _record(translated).stem
    seg = Document.load(_record(translated)).content_segments()[0]
    status, _ = server.call("PATCH", f"/api/documents/{doc_id}/segments/{seg.id}", {"status": "final", "version": 0}, token=False)
    assert status == 403 and "review" not in Document.load(_record(translated)).content_segments()[0].meta
    assert server.base.startswith("http://127.0.0.1:")  # loopback unless --host says otherwise
    server.stop()  # Ctrl-C: a clean stop
    assert server.proc.returncode == 0 and "Traceback" not in server.proc.stderr.read()


def test_bead_merge_split_and_move_are_in_the_record_and_in_align_eval(aligned, serve):
    record = _record(aligned)
    gold = FLORES / "gold.txt"

    def strict_f1() -> float:
        proc = diptych("align-eval", str(gold), str(record), "--json")
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)["f1_strict"]

    before = strict_f1()
    server = serve(aligned)
    doc_id = record.stem
    status, doc = server.call("GET", f"/api/documents/{doc_id}")
    assert doc["aligned"] and doc["beads_version"] == 0
    n = len(doc["beads"])
    status, doc = server.call("POST", f"/api/documents/{doc_id}/beads/3/merge", {"version": 0})
    assert status == 200 and len(doc["beads"]) == n - 1 and doc["beads_version"] == 1
    assert doc["beads"][3]["method"] == "reviewer" and len(doc["beads"][3]["source"]) == 2
    pairs = Document.load(record).meta["alignment"]["pairs"]
    assert len(pairs) == n - 1 and len(pairs[3]["src"]) == 2
    assert strict_f1() < before  # align-eval reads the beads as the reviewer left them
    assert server.call("POST", f"/api/documents/{doc_id}/beads/3/merge", {"version": 0})[0] == 409  # stale
    status, doc = server.call("POST", f"/api/documents/{doc_id}/beads/3/split", {"source_at": 1, "target_at": 1, "version": 1})
    assert status == 200 and len(doc["beads"]) == n
    assert strict_f1() == pytest.approx(before)
    # move the first target sentence of bead 5 back into bead 4, then return it
    target5 = doc["beads"][5]["target"][0]
    status, doc = server.call("POST", f"/api/documents/{doc_id}/beads/5/move", {"side": "target", "to": "previous", "version": 2})
    assert status == 200 and doc["beads"][4]["target"][-1] == target5
    seg4 = next(s for s in doc["segments"] if s["id"] == doc["beads"][4]["source"][0])
    assert seg4["translation"].endswith(target5)  # the editions follow the beads
    assert target5 in (aligned / f"{doc_id}.tsv").read_text(encoding="utf-8")
    status, doc = server.call("POST", f"/api/documents/{doc_id}/beads/4/move", {"side": "target", "to": "next", "version": 3})
    assert status == 200 and strict_f1() == pytest.approx(before)
    history = Document.load(record).meta["alignment"]["history"]
    assert [h["action"] for h in history] == ["merge", "split", "move", "move"]
    assert server.call("POST", f"/api/documents/{doc_id}/beads/999/merge", {"version": 4})[0] == 400
    assert server.call("POST", f"/api/documents/{doc_id}/beads/0/explode", {"version": 4})[0] == 400
    status, text = server.call("GET", f"/api/documents/{doc_id}/export?format=beads")
    assert status == 200 and text.count("\n") == len(doc["beads"])


def test_a_hand_edited_bead_keeps_its_text_when_other_beads_change(aligned, serve):
    server = serve(aligned)
    doc_id = _record(aligned).stem
    _, doc = server.call("GET", f"/api/documents/{doc_id}")
    first = doc["beads"][0]["source"][0]
    assert server.call("PATCH", f"/api/documents/{doc_id}/segments/{first}", {"translation": "Edited by hand.", "version": 0})[0] == 200
    status, doc = server.call("POST", f"/api/documents/{doc_id}/beads/5/merge", {"version": 0})
    assert status == 200
    assert next(s for s in doc["segments"] if s["id"] == first)["translation"] == "Edited by hand."
    status, body = server.call("POST", f"/api/documents/{doc_id}/beads/0/merge", {"version": 1})
    assert status == 400 and "edited" in body["error"]  # changing that bead's sentences would lose the edit


def test_exports_validate_against_the_xliff_schemas(aligned, serve, tmp_path):
    server = serve(aligned)
    doc_id = _record(aligned).stem
    _, doc = server.call("GET", f"/api/documents/{doc_id}")
    segs = doc["segments"]
    server.call("PATCH", f"/api/documents/{doc_id}/segments/{segs[0]['id']}", {"status": "reviewed", "comment": "good & <fine>", "version": 0})
    server.call("PATCH", f"/api/documents/{doc_id}/segments/{segs[1]['id']}", {"status": "final", "translation": XSS, "version": 0})
    status, xliff2 = server.call("GET", f"/api/documents/{doc_id}/export?format=xliff2")
    assert status == 200
    _validate(xliff2, "xliff_core_2.0.xsd")
    assert 'state="reviewed"' in xliff2 and 'state="final"' in xliff2 and "good &amp; &lt;fine&gt;" in xliff2
    status, xliff12 = server.call("GET", f"/api/documents/{doc_id}/export?format=xliff12")
    _validate(xliff12, "xliff-core-1.2-strict.xsd")
    assert 'state="signed-off"' in xliff12 and 'approved="yes"' in xliff12
    assert server.call("GET", f"/api/documents/{doc_id}/export?format=docx")[0] == 400
    # the same from the command line
    for fmt, schema in (("xliff2", "xliff_core_2.0.xsd"), ("xliff12", "xliff-core-1.2-strict.xsd")):
        proc = diptych("export", str(_record(aligned)), "--format", fmt, "--out", str(tmp_path / f"out.{fmt}"))
        assert proc.returncode == 0, proc.stderr
        _validate((tmp_path / f"out.{fmt}").read_text(encoding="utf-8"), schema)
    proc = diptych("export", str(_record(aligned)), "--format", "docx")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "xliff2" in proc.stderr


def test_a_server_killed_mid_save_leaves_a_valid_record(translated, serve):
    server = serve(translated)
    record = _record(translated)
    doc_id = record.stem
    seg = next(s for s in Document.load(record).content_segments() if s.translation)
    stop = threading.Event()
    saved: list[int] = []

    def hammer():
        version = 0
        while not stop.is_set():
            try:
                status, body = server.call("PATCH", f"/api/documents/{doc_id}/segments/{seg.id}", {"translation": f"Version {version + 1}.", "version": version})
            except (urllib.error.URLError, ConnectionError, OSError):
                return
            if status != 200:
                return
            version = body["version"]
            saved.append(version)

    worker = threading.Thread(target=hammer)
    worker.start()
    deadline = time.time() + 30
    while len(saved) < 5 and time.time() < deadline:
        time.sleep(0.02)
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    stop.set()
    worker.join(timeout=30)
    assert len(saved) >= 5
    doc = Document.load(record)  # valid: not half-written
    on_disk = next(s for s in doc.content_segments() if s.id == seg.id)
    # the last save acknowledged is there (a later one may have landed before the kill)
    assert on_disk.meta["review"]["version"] >= saved[-1]
    assert on_disk.translation == f"Version {on_disk.meta['review']['version']}."


def test_another_address_than_the_loopback_is_served_with_a_warning(translated, serve):
    server = serve(translated, extra=("--host", "0.0.0.0"))
    status, docs = server.call("GET", "/api/documents", headers={"Host": f"diptych.example:{server.base.rsplit(':', 1)[1]}"})
    assert status == 200 and docs[0]["id"] == _record(translated).stem
    assert server.call("GET", "/api/documents", token=False)[0] == 403
    server.stop()
    assert "warning" in server.proc.stderr.read() and server.proc.returncode == 0


def test_review_refuses_what_it_cannot_serve_in_one_line(tmp_path):
    proc = diptych("review", str(tmp_path / "missing"), "--no-open")
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr and proc.stderr.count("\n") == 1
    (tmp_path / "empty").mkdir()
    proc = diptych("review", str(tmp_path / "empty"), "--no-open")
    assert proc.returncode == 2 and "no record" in proc.stderr
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "x.jsonl").write_text('{"type": "document"', encoding="utf-8")
    proc = diptych("review", str(tmp_path / "broken"), "--no-open")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


def test_a_change_whose_tmx_cannot_be_written_is_refused_and_saves_nothing(tmp_path, serve):
    # a pair aligned before its translation's language was found says "und", and no TMX
    # may say that: a change to it is refused in one line, and neither record nor TMX moves
    (tmp_path / "fr.txt").write_text("Le chat dort sur le canapé depuis le début de la matinée.\nIl fait beau à Paris, et les terrasses sont pleines.\n",
                                     encoding="utf-8")
    (tmp_path / "en.txt").write_text("The cat has been sleeping on the sofa since early this morning.\nThe weather is fine in Paris, and the terraces are full.\n",
                                     encoding="utf-8")
    ed = tmp_path / "ed"
    assert diptych("align", str(tmp_path / "fr.txt"), str(tmp_path / "en.txt"), "--pre-split", "--out", str(ed)).returncode == 0
    record = _record(ed)
    lines = record.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["meta"]["translation"]["target_lang"] = "und"
    record.write_text("\n".join([json.dumps(header, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    before, tmx = record.read_bytes(), (ed / f"{record.stem}.tmx").read_bytes()
    server = serve(ed)
    seg = Document.load(record).content_segments()[0]
    status, body = server.call("PATCH", f"/api/documents/{record.stem}/segments/{seg.id}", {"translation": "A cat sleeps.", "version": 0})
    assert status == 400 and "--tgt-lang" in body["error"], body
    assert record.read_bytes() == before and (ed / f"{record.stem}.tmx").read_bytes() == tmx
    server.stop()
    assert "Traceback" not in server.proc.stderr.read()


# -- the page, in Chromium -------------------------------------------------------------------------
def _page(browser, server: Server, width: int = 1280):
    # bypass_csp: Playwright's own waits evaluate strings, which the page's CSP forbids; the
    # XSS test then proves that the page's escaping alone keeps markup inert
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.base) else None)
    page.goto(server.url)
    page.wait_for_selector("main .row")
    return page, errors, outside


@needs_chromium
def test_edit_and_approve_in_the_page_survive_a_reload(translated, serve, browser):
    server = serve(translated)
    page, errors, outside = _page(browser, server)
    assert "token=" not in page.url  # the token went into a cookie, out of the address bar
    page.keyboard.press("j")  # the first sentence flagged or not yet reviewed
    key = page.locator(".row.selected").get_attribute("data-row")
    assert key == page.locator("main .row").first.get_attribute("data-row")
    page.keyboard.press("e")
    page.locator("textarea").fill("The reviewer's English.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f'[data-row="{key}"] .status')
    page.wait_for_function("document.getElementById('message').textContent === 'saved'")
    page.keyboard.press("a")
    page.wait_for_function(f"document.querySelector('[data-row=\"{key}\"] .status').textContent === 'reviewed'")
    page.wait_for_function("document.getElementById('progress').textContent.startsWith('1 / ')")
    page.reload()
    page.wait_for_selector("main .row")
    row = page.locator(f'[data-row="{key}"]')
    assert row.locator(".tgt").inner_text().strip() == "The reviewer's English."
    assert row.locator(".status").inner_text() == "reviewed"
    saved = next(s for s in Document.load(_record(translated)).content_segments() if s.id == key)
    assert saved.translation == "The reviewer's English." and saved.meta["review"]["status"] == "reviewed"
    assert errors == [] and outside == []


@needs_chromium
def test_keyboard_flow_filters_and_search(translated, serve, browser):
    server = serve(translated)
    page, errors, _ = _page(browser, server)
    _, doc = server.call("GET", f"/api/documents/{_record(translated).stem}")
    flagged = [s["id"] for s in doc["segments"] if s["flags"]]
    page.select_option("#nav", "flagged")
    page.keyboard.press("j")
    assert page.locator(".row.selected").get_attribute("data-row") == flagged[0]
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator(".row.selected").get_attribute("data-row") == flagged[0]
    page.keyboard.press("e")
    page.locator("textarea").fill("Not kept.")
    page.keyboard.press("Escape")  # cancel: nothing saved
    assert page.locator("textarea").count() == 0
    assert next(s for s in Document.load(_record(translated)).content_segments() if s.id == flagged[0]).meta.get("review") is None
    page.select_option("#filter-flag", "*")
    assert page.locator("main .row:visible").count() == len(flagged)
    page.select_option("#filter-flag", "")
    word = doc["segments"][3]["text"].split()[0]
    page.fill("#search", word)
    expected = [s for s in doc["segments"] if word.lower() in (s["text"] + " " + (s["translation"] or "")).lower()]
    assert page.locator("main .row:visible").count() == len(expected)
    page.fill("#search", "")
    page.check("#show-ids")
    assert page.locator(".row .id").first.is_visible()
    page.select_option("#filter-status", "reviewed")
    assert page.locator("main .row:visible").count() == 0
    assert errors == []


@needs_chromium
def test_merge_and_split_a_bead_in_the_page(aligned, serve, browser):
    server = serve(aligned)
    page, errors, _ = _page(browser, server)
    rows = page.locator("main .row").count()
    page.locator('[data-row="bead-2"] .src').click()  # a row's controls show on the focused row
    page.locator('[data-row="bead-2"] button', has_text="Merge").click()
    page.wait_for_function(f"document.querySelectorAll('main .row').length === {rows - 1}")
    assert len(Document.load(_record(aligned)).meta["alignment"]["pairs"]) == rows - 1
    page.locator('[data-row="bead-2"] button', has_text="Split").click()
    page.locator('[data-row="bead-2"] .splitter button').click()
    page.wait_for_function(f"document.querySelectorAll('main .row').length === {rows}")
    proc = diptych("align-eval", str(FLORES / "gold.txt"), str(_record(aligned)), "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["f1_strict"] == pytest.approx(1.0), proc.stdout
    assert errors == []


@needs_chromium
def test_a_corrected_bead_shows_its_new_english_in_the_page(aligned, serve, browser):
    """The page showed a bead's aligned sentences after a reviewer corrected its English,
    although the record and editions held the correction: the reviewer thought it lost."""
    server = serve(aligned)
    page, errors, _ = _page(browser, server)
    row = page.locator('[data-row="bead-1"]')
    before = row.locator(".tgt").inner_text()
    row.locator(".src").click()
    row.locator("button", has_text="Edit").click()
    page.locator("textarea").fill("A corrected English sentence.")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("document.getElementById('message').textContent === 'saved'")
    shown = page.locator('[data-row="bead-1"] .tgt').inner_text()
    assert "A corrected English sentence." in shown and before not in shown
    page.reload()
    page.wait_for_selector('[data-row="bead-1"]')
    assert "A corrected English sentence." in page.locator('[data-row="bead-1"] .tgt').inner_text()
    assert "A corrected English sentence." in (aligned / f"{_record(aligned).stem}.en.txt").read_text(encoding="utf-8")
    page.fill("#search", "corrected English")  # the search reads what the page shows
    assert page.locator("main .row:visible").count() == 1
    assert errors == []


@needs_chromium
def test_a_stale_save_shows_both_texts_and_overwrites_nothing(translated, serve, browser):
    server = serve(translated)
    first, _, _ = _page(browser, server)
    second, _, _ = _page(browser, server)
    key = first.locator("main .row").filter(has=first.locator(".tgt .sentence")).first.get_attribute("data-row")
    for page in (first, second):
        page.locator(f'[data-row="{key}"] .src').click()
        page.locator(f'[data-row="{key}"] button', has_text="Edit").click()
    first.locator("textarea").fill("Saved first.")
    first.keyboard.press("Control+Enter")
    first.wait_for_function("document.getElementById('message').textContent === 'saved'")
    second.locator("textarea").fill("Saved second, from a stale page.")
    second.keyboard.press("Control+Enter")
    second.wait_for_selector(".conflict")
    assert second.locator(".conflict .theirs").inner_text() == "Saved first."
    assert second.locator(".conflict .mine").inner_text() == "Saved second, from a stale page."
    on_disk = next(s for s in Document.load(_record(translated)).content_segments() if s.id == key)
    assert on_disk.translation == "Saved first."
    second.locator(".conflict button", has_text="Save mine").click()
    second.wait_for_function("document.getElementById('message').textContent === 'saved'")
    on_disk = next(s for s in Document.load(_record(translated)).content_segments() if s.id == key)
    assert on_disk.translation == "Saved second, from a stale page." and on_disk.meta["review"]["version"] == 2


@needs_chromium
def test_markup_in_segments_stays_text_and_the_page_fits_a_phone(translated, serve, browser):
    server = serve(translated)
    doc_id = _record(translated).stem
    _, doc = server.call("GET", f"/api/documents/{doc_id}")
    seg = doc["segments"][0]
    assert server.call("PATCH", f"/api/documents/{doc_id}/segments/{seg['id']}", {"translation": XSS, "comment": XSS, "version": 0})[0] == 200
    page, errors, outside = _page(browser, server, width=420)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert XSS in page.locator("main").inner_text()
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 420  # columns stack, nothing overflows
    boxes = [page.locator(f'[data-row="{seg["id"]}"] {part}').bounding_box() for part in (".src", ".tgt")]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1  # the English below the source
    assert errors == [] and outside == []
