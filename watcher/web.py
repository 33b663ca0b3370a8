"""The read-only HTTP app: feeds, diff pages, the watch list, health and metrics.

GET only; must not write to the store. Pages carry a CSP with no scripts: page text is hostile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from watcher.check import SUCCESS_OUTCOMES
from watcher.feeds import FeedKind, FeedSpec, all_feed, render_feed, tag_feed, watch_feed
from watcher.metrics import Metrics
from watcher.render import drop_controls, render_html
from watcher.store import Store, WatchState
from watcher.watchlist import Watch, Watchlist

FEED_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
FEED_ENTRIES = 50
_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@dataclass
class Site:
    """What the app reads: the store, the current watchlist (it changes on reload), and the counters."""

    store: Store
    watchlist: Callable[[], Watchlist]
    metrics: Metrics
    alerts_sent: Callable[[], tuple[int, int]] = lambda: (0, 0)

    @property
    def base_url(self) -> str:
        return self.watchlist().settings.base_url.rstrip("/")


_templates = Environment(loader=PackageLoader("watcher", "templates"), autoescape=select_autoescape(["html"]))
_templates.filters["clean"] = drop_controls  # autoescape escapes markup, not control characters


def create_app(site: Site) -> Starlette:
    """Given the site's data, return the Starlette app."""
    def page(template: str, **values: Any) -> HTMLResponse:
        prefix = urlsplit(site.base_url).path.rstrip("/")
        body = _templates.get_template(template).render(prefix=prefix, **values)
        return HTMLResponse(body, headers=_HEADERS)

    async def index(request: Request) -> Response:
        watchlist = site.watchlist()
        states = {state.id: state for state in site.store.watch_states()}
        rows = [_watch_row(watch, states.get(watch.id), site.store) for watch in watchlist.watches]
        return page("index.html", rows=rows)

    async def change(request: Request) -> Response:
        try:
            stored = site.store.change(request.path_params["change_id"])
        except KeyError:
            raise HTTPException(404, "no such change") from None
        previous, following = site.store.neighbours(stored)
        watch = site.watchlist().by_id().get(stored.watch_id)
        return page("change.html", stored=stored, title=watch.title if watch else stored.watch_id,
                    page_url=watch.url if watch else site.store.watch_state(stored.watch_id).url,
                    diff_html=Markup(render_html(stored.change.ops)), previous=previous, following=following)

    def feed(spec: FeedSpec, watch_ids: list[str] | None) -> Response:
        watches = site.watchlist().by_id()
        changes = site.store.changes_of(watch_ids, limit=FEED_ENTRIES)
        return Response(render_feed(spec, changes, watches, site.base_url), media_type=FEED_TYPES[spec.kind])

    async def all_changes(request: Request) -> Response:
        return feed(all_feed(_feed_kind(request.path_params["kind"])), None)

    async def watch_changes(request: Request) -> Response:
        kind, watch_id = _feed_kind(request.path_params["kind"]), request.path_params["watch_id"]
        watch = site.watchlist().by_id().get(watch_id)
        if watch is None:
            raise HTTPException(404, "no such watch")
        return feed(watch_feed(watch, kind), [watch_id])

    async def tag_changes(request: Request) -> Response:
        kind, tag = _feed_kind(request.path_params["kind"]), request.path_params["tag"]
        watch_ids = [w.id for w in site.watchlist().watches if tag in w.tags]
        if not watch_ids:
            raise HTTPException(404, "no watch has that tag")
        return feed(tag_feed(tag, kind), watch_ids)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "watches": len(site.watchlist().watches),
                             "alerts_pending": site.store.pending_count()})

    async def metrics(request: Request) -> Response:
        sent, failed = site.alerts_sent()
        text = site.metrics.render(len(site.watchlist().watches), site.store.pending_count(), sent, failed)
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    return Starlette(routes=[
        Route("/", index, methods=["GET"]),
        Route("/changes/{change_id:int}", change, methods=["GET"]),
        Route("/feeds/all.{kind}", all_changes, methods=["GET"]),
        Route("/feeds/watches/{watch_id}.{kind}", watch_changes, methods=["GET"]),
        Route("/feeds/tags/{tag}.{kind}", tag_changes, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ])


def _feed_kind(kind: str) -> FeedKind:
    if kind not in FEED_TYPES:
        raise HTTPException(404, "feeds are .atom or .rss")
    return cast(FeedKind, kind)


def _watch_row(watch: Watch, state: WatchState | None, store: Store) -> dict[str, Any]:
    state = state or WatchState(watch.id)
    return {"watch": watch, "state": state,
            "failed": state.last_outcome is not None and state.last_outcome not in SUCCESS_OUTCOMES,
            "last_change": next(iter(store.changes(watch.id, limit=1)), None)}
