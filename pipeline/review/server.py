"""The review server: the page and its small HTTP API, on Starlette under uvicorn (the only
module that imports them, so that other commands never load a web stack).

Security, because a review server holds people's unpublished work and writes files:
* it listens on the loopback address unless told otherwise;
* every request carries the per-run token: from the printed URL once (it is then kept in
  an HttpOnly, SameSite=Strict cookie and the URL is cleaned), or as
  ``Authorization: Bearer TOKEN``; without it: 403;
* a request whose ``Origin`` is not the server's own, or whose ``Host`` is not the address
  it was started on (DNS rebinding), is refused: 403;
* document and segment ids are looked up among the served records, never joined to paths;
* the page builds every text with ``textContent`` and runs only its own script (a
  per-response CSP nonce), so a segment holding ``<script>`` shows as text.
"""

from __future__ import annotations

import hmac
import json
import secrets
import socket
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import UsageError
from .edits import ReviewError, StaleVersion, change_beads, document_view, is_aligned, progress, update_segment
from ..editions import FORMATS, export_text
from .store import ReviewStore
from .tokens import token_for

COOKIE = "diptych_review_token"
# a JSON change is a few sentences; a bigger body is a mistake or an attack
MAX_BODY = 1_000_000
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


class Guard:
    """ASGI middleware: host, origin and token checks before any route runs."""

    def __init__(self, app, token: str, hosts: set[str] | None, origins: set[str] | None):
        self.app, self.token, self.hosts, self.origins = app, token, hosts, origins

    def _has_token(self, request: Request) -> bool:
        offered = []
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            offered.append(auth[7:].strip())
        offered += [request.cookies.get(COOKIE, ""), request.query_params.get("token", "")]
        return any(o and hmac.compare_digest(o.encode(), self.token.encode()) for o in offered)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        origin = request.headers.get("origin")
        if self.hosts is not None and request.headers.get("host", "") not in self.hosts:
            response: Response = _error(403, "unknown Host: this review server answers only at the address it printed")
        elif origin is not None and (origin not in self.origins if self.origins is not None else origin != f"http://{request.headers.get('host')}"):
            response = _error(403, f"requests from {origin} are refused")
        elif not self._has_token(request):
            response = _error(403, "the review token is missing or wrong: open the URL that `diptych review` printed")
        elif request.method == "GET" and "token" in request.query_params and not request.url.path.startswith("/api/"):
            # keep the token in a cookie and out of the address bar (and of any referrer)
            response = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
        else:
            return await self.app(scope, receive, send)
        await response(scope, receive, send)


def _page(nonce: str, doc_id: str | None, docs: list[dict[str, Any]]) -> str:
    from ..editions.html import _jinja_env
    from ..version import __version__

    return _jinja_env().get_template("review_app.html.j2").render(nonce=nonce, doc_id=doc_id, docs=docs, version=__version__)


def _html(text: str, nonce: str) -> HTMLResponse:
    return HTMLResponse(text, headers={
        "Content-Security-Policy": f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
                                   "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    })


def make_app(store: ReviewStore, token: str, hosts: set[str] | None, origins: set[str] | None):
    from ..editions.common import is_original, target_lang

    def summaries() -> list[dict[str, Any]]:
        out = []
        for doc_id in store.documents:
            doc = store.read(doc_id)
            # an original (in English) was not translated: nothing of it awaits review
            out.append({"id": doc_id, "lang": doc.lang, "target_lang": target_lang(doc), "progress": progress(doc),
                        "aligned": is_aligned(doc), "original": is_original(doc)})
        return out

    def unknown_document(request: Request) -> Response | None:
        """A 404 for a document id that is not served (ids are looked up, never made into paths)."""
        doc_id = request.path_params["doc"]
        return None if doc_id in store.documents else _error(404, f"no document {doc_id!r} is under review")

    async def index(request: Request):
        if len(store.documents) == 1:
            return RedirectResponse(f"/review/{next(iter(store.documents))}", status_code=303)
        nonce = secrets.token_urlsafe(16)
        return _html(_page(nonce, None, summaries()), nonce)

    async def review_page(request: Request):
        if (missing := unknown_document(request)) is not None:
            return missing
        nonce = secrets.token_urlsafe(16)
        return _html(_page(nonce, request.path_params["doc"], []), nonce)

    async def list_documents(request: Request):
        return JSONResponse(summaries())

    async def get_document(request: Request):
        if (missing := unknown_document(request)) is not None:
            return missing
        return JSONResponse(document_view(store.read(request.path_params["doc"])))

    async def _body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise ReviewError(f"the request body is over {MAX_BODY} bytes")
        try:
            body = json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ReviewError("the request body is not JSON") from None
        if not isinstance(body, dict):
            raise ReviewError("the request body must be a JSON object")
        return body

    def _apply(doc_id: str, operation: Callable) -> Response:
        try:
            return JSONResponse(store.change(doc_id, operation))
        except StaleVersion as exc:
            return _error(409, str(exc), current=exc.current)
        except (ReviewError, UsageError) as exc:  # UsageError: an edition the record cannot make
            return _error(400, str(exc))
        except KeyError as exc:
            return _error(404, f"no segment {exc.args[0]!r} in {doc_id}")

    async def _change(request: Request, make: Callable[[dict[str, Any]], Callable]) -> Response:
        """Read the document id and the JSON body, then apply ``make(body)`` to the record
        in a worker thread (the store's lock serialises changes to one record)."""
        from starlette.concurrency import run_in_threadpool

        if (missing := unknown_document(request)) is not None:
            return missing
        try:
            operation = make(await _body(request))
        except ReviewError as exc:
            return _error(400, str(exc))
        return await run_in_threadpool(_apply, request.path_params["doc"], operation)

    async def patch_segment(request: Request):
        seg_id = request.path_params["seg"]
        return await _change(request, lambda body: lambda doc: update_segment(doc, seg_id, body))

    async def bead_action(request: Request):
        action = request.path_params["action"]
        try:
            index = int(request.path_params["index"])
        except ValueError:
            return _error(400, f"bead index must be an integer, not {request.path_params['index']!r}")
        return await _change(request, lambda body: lambda doc: change_beads(doc, action, index, body))

    async def export_document(request: Request):
        if (missing := unknown_document(request)) is not None:
            return missing
        doc_id = request.path_params["doc"]
        fmt = request.query_params.get("format", "xliff2")
        try:  # an unknown format is export's UsageError too
            text = export_text(store.read(doc_id), fmt)
        except UsageError as exc:
            return _error(400, str(exc))
        (suffix, _), media = FORMATS[fmt].files[0], FORMATS[fmt].media_type
        return Response(text, media_type=f"{media}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{doc_id}{suffix}"', "X-Content-Type-Options": "nosniff"})

    routes = [
        Route("/", index),
        Route("/review/{doc}", review_page),
        Route("/api/documents", list_documents),
        Route("/api/documents/{doc}", get_document),
        Route("/api/documents/{doc}/segments/{seg}", patch_segment, methods=["PATCH"]),
        Route("/api/documents/{doc}/beads/{index}/{action}", bead_action, methods=["POST"]),
        Route("/api/documents/{doc}/export", export_document),
    ]
    app = Starlette(routes=routes)
    return Guard(app, token, hosts, origins)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(paths: list[Path], host: str = "127.0.0.1", port: int = 0, open_browser: bool = True,
          announce: Callable[[str], None] = print, *, warn: Callable[[str], None] = print, new_token: bool = False) -> None:
    """Serve the records under ``paths`` for review until interrupted (Ctrl-C)."""
    import uvicorn

    store = ReviewStore(paths)  # bad folders and records are refused before anything listens
    if host not in LOOPBACK:
        warn(f"listening on {host}: anyone who can reach this address and has the token can read and change these editions")
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    if host in LOOPBACK:
        # only the names of this machine: a page elsewhere that points its own host name at
        # 127.0.0.1 (DNS rebinding) is refused
        hosts: set[str] | None = {f"{name}:{port}" for name in {shown, "127.0.0.1", "localhost"}}
        origins: set[str] | None = {f"http://{h}" for h in hosts}
    else:
        # reached under whatever name the network gives it: the token guards it, and a
        # request from a page must come from the address it asked for
        hosts = origins = None
    token = token_for([served.path for served in store.documents.values()], new=new_token)
    app = make_app(store, token, hosts, origins)
    url = f"http://{shown}:{port}/?token={token}"
    n = len(store.documents)
    announce(f"Reviewing {n} document{'s' if n != 1 else ''} at {url}")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a review ends: uvicorn has shut down cleanly and passes it on
    finally:
        sock.close()
