"""Review comfort (issue 33, item 12): originals apart on the start page, rows grouped by
paragraph, controls on the focused row only, "saved" in green, comments deleted and
stored once, a token kept across restarts, and each segment's history with an undo."""

import shutil

from pipeline.doc import Document
from conftest import needs_chromium
from test_review import _page, _record, serve, translated  # noqa: F401 - fixtures


def _copy_editions(out, tmp_path):
    folder = tmp_path / "outputs"
    for doc in out.iterdir():
        if doc.is_dir():
            shutil.copytree(doc, folder / doc.name)
    return folder


def test_the_start_page_lists_originals_apart_with_nothing_to_review(seeds_run, serve, tmp_path):
    _, out = seeds_run
    folder = _copy_editions(out, tmp_path)
    server = serve(folder)
    status, page = server.call("GET", "/")
    assert status == 200
    to_review, _, originals = page.partition("Originals: nothing to review")
    assert "en → en" not in page
    assert "003_" in to_review and "000_" not in to_review and "000_" in originals and "en original, not translated" in originals


def test_a_comment_sent_twice_is_stored_once_and_can_be_deleted(translated, serve):
    server = serve(translated)
    doc_id = _record(translated).stem
    _, doc = server.call("GET", f"/api/documents/{doc_id}")
    seg = doc["segments"][0]
    path = f"/api/documents/{doc_id}/segments/{seg['id']}"
    status, after = server.call("PATCH", path, {"comment": "Check the date.", "version": 0})
    assert status == 200
    status, after = server.call("PATCH", path, {"comment": "Check the date.", "version": after["version"]})
    assert status == 200 and [c["text"] for c in after["comments"]] == ["Check the date."]
    status, bad = server.call("PATCH", path, {"delete_comment": 3, "version": after["version"]})
    assert status == 400 and "delete_comment" in bad["error"]
    status, after = server.call("PATCH", path, {"delete_comment": 0, "version": after["version"]})
    assert status == 200 and after["comments"] == []
    assert after["history"][-1]["before"] == "Check the date." and after["history"][-1]["after"] is None
    on_disk = next(s for s in Document.load(_record(translated)).content_segments() if s.id == seg["id"])
    assert on_disk.meta["review"]["comments"] == [] and len(on_disk.meta["review"]["history"]) == 2


def test_a_restarted_server_keeps_its_token_until_a_new_one_is_asked_for(translated, serve):
    first = serve(translated)
    first.stop()
    second = serve(translated)
    assert second.token == first.token
    assert second.call("GET", "/api/documents")[0] == 200  # an open tab's token still works
    second.stop()
    third = serve(translated, extra=("--new-token",))
    assert third.token != first.token
    third.token, old = first.token, third.token
    assert third.call("GET", "/api/documents")[0] in (401, 403)  # the old one is revoked
    third.token = old
    assert third.call("GET", "/api/documents")[0] == 200


@needs_chromium
def test_rows_are_grouped_by_paragraph_with_controls_on_the_focused_row(translated, serve, browser):
    server = serve(translated)
    page, errors, _ = _page(browser, server)
    _, doc = server.call("GET", f"/api/documents/{_record(translated).stem}")
    assert page.locator("main .para").count() == len({s["block"] for s in doc["segments"]}) > 1
    assert page.locator("main button:visible", has_text="Edit").count() == 0
    row = page.locator("main .row").nth(2)
    row.locator(".src").click()
    assert page.locator("main button:visible", has_text="Edit").count() == 1
    assert row.locator("button:visible", has_text="Edit").count() == 1
    assert errors == []


@needs_chromium
def test_saved_is_green_and_an_edit_can_be_undone_from_its_history(translated, serve, browser):
    server = serve(translated)
    page, errors, _ = _page(browser, server)
    row = page.locator("main .row").filter(has=page.locator(".tgt .sentence")).first
    key = row.get_attribute("data-row")
    before = next(s for s in Document.load(_record(translated)).content_segments() if s.id == key).translation
    row.locator(".src").click()
    row.locator("button", has_text="Edit").click()
    page.locator("textarea").fill("My correction.")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("document.getElementById('message').textContent === 'saved'")
    assert page.eval_on_selector("#message", "m => getComputedStyle(m).color") == "rgb(6, 118, 71)"
    row = page.locator(f'[data-row="{key}"]')
    row.locator(".history summary").click()
    assert "My correction." in row.locator(".history").inner_text()
    row.locator("button", has_text="Undo").click()
    page.wait_for_function(f"document.querySelector('[data-row=\"{key}\"] .tgt').textContent.indexOf('My correction.') < 0")
    on_disk = next(s for s in Document.load(_record(translated)).content_segments() if s.id == key)
    assert on_disk.translation == before and [h["after"] for h in on_disk.meta["review"]["history"]] == ["My correction.", before]
    assert errors == []
