"""Atom and RSS documents from stored changes: one entry per change, linking to its diff page.

Opens no sockets (web.py serves the feeds; write_feeds writes them as files). Page text reaches the XML only escaped, with control characters dropped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import feedgenerator

from watcher.render import drop_controls, render_html
from watcher.store import Store, StoredChange
from watcher.watchlist import Watch, Watchlist

FeedKind = Literal["atom", "rss"]
KINDS: tuple[FeedKind, ...] = ("atom", "rss")
_GENERATORS = {"atom": feedgenerator.Atom1Feed, "rss": feedgenerator.Rss201rev2Feed}


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """Which feed: its title, its own path under the base URL, and its kind."""

    title: str
    path: str
    kind: FeedKind = "atom"


def change_url(base_url: str, change_id: int) -> str:
    """Given the public base URL and a change id, return the change's diff page URL."""
    return f"{base_url.rstrip('/')}/changes/{change_id}"


def entry_title(watch_title: str, stored: StoredChange) -> str:
    """Given a watch's name and a change, return the entry title: the name and the changed figures."""
    figures = [f"{f.old} → {f.new}" if f.old and f.new else f.describe() for f in stored.change.figures]
    detail = "; ".join(figures) if figures else stored.change.summary
    return drop_controls(f"{watch_title}: {detail}")


def entry_id(base_url: str, stored: StoredChange) -> str:
    """Given the base URL and a change, return its permanent tag URI (RFC 4151)."""
    authority = urlsplit(base_url).hostname or "localhost"
    return f"tag:{authority},{stored.detected_at[:10]}:watcher/change/{stored.id}"


def entry_html(stored: StoredChange, watch: Watch | None) -> str:
    """Given a change, return the entry's content: summary, figures and the word diff, as escaped HTML."""
    parts = [f"<p>{html.escape(drop_controls(stored.change.summary))}</p>"]
    if stored.change.figures:
        items = "".join(f"<li>{html.escape(drop_controls(f.describe()))}</li>" for f in stored.change.figures)
        parts.append(f"<ul>{items}</ul>")
    parts.append(render_html(stored.change.ops))
    if watch is not None:
        parts.append(f'<p><a href="{html.escape(watch.url)}">The page</a></p>')
    return "\n".join(parts)


def render_feed(spec: FeedSpec, changes: list[StoredChange], watches: Mapping[str, Watch], base_url: str) -> str:
    """Given a feed's spec, changes (newest first), the watches by id and the base URL, return the XML."""
    base = base_url.rstrip("/")
    feed = _GENERATORS[spec.kind](title=spec.title, link=f"{base}/", description=spec.title, language="en",
                                  feed_url=f"{base}{spec.path}", feed_guid=f"{base}{spec.path}")
    for stored in changes:
        watch = watches.get(stored.watch_id)
        moment = datetime.fromisoformat(stored.detected_at.replace("Z", "+00:00"))
        content = entry_html(stored, watch)
        # RSS 2.0 has no content element: its description carries the diff.
        description = content if spec.kind == "rss" else drop_controls(stored.change.summary)
        feed.add_item(title=entry_title(watch.title if watch else stored.watch_id, stored),
                      link=change_url(base, stored.id), description=description,
                      content=content, unique_id=entry_id(base, stored),
                      unique_id_is_permalink=False, pubdate=moment, updateddate=moment,
                      categories=list(watch.tags) if watch else [])
    return str(feed.writeString("utf-8"))


def all_feed(kind: FeedKind) -> FeedSpec:
    """The feed of every change."""
    return FeedSpec("watcher: all changes", f"/feeds/all.{kind}", kind)


def watch_feed(watch: Watch, kind: FeedKind) -> FeedSpec:
    """The feed of one watch's changes."""
    return FeedSpec(f"watcher: {watch.title}", f"/feeds/watches/{watch.id}.{kind}", kind)


def tag_feed(tag: str, kind: FeedKind) -> FeedSpec:
    """The feed of the changes of every watch with a tag."""
    return FeedSpec(f"watcher: {tag}", f"/feeds/tags/{tag}.{kind}", kind)


def feed_set(watchlist: Watchlist) -> list[tuple[FeedSpec, list[str] | None]]:
    """Given a watchlist, return every feed with the watch ids it covers (None: all)."""
    feeds: list[tuple[FeedSpec, list[str] | None]] = []
    tags = sorted({tag for watch in watchlist.watches for tag in watch.tags})
    for kind in KINDS:
        feeds.append((all_feed(kind), None))
        feeds.extend((watch_feed(watch, kind), [watch.id]) for watch in watchlist.watches)
        feeds.extend((tag_feed(tag, kind), [w.id for w in watchlist.watches if tag in w.tags]) for tag in tags)
    return feeds


def write_feeds(store: Store, watchlist: Watchlist, out_dir: Path, entries: int = 50) -> int:
    """Given the store, the watchlist and a directory, write every feed under it by its path; return how many."""
    watches = watchlist.by_id()
    written = 0
    for spec, watch_ids in feed_set(watchlist):
        target = out_dir / spec.path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        xml = render_feed(spec, store.changes_of(watch_ids, entries), watches, watchlist.settings.base_url)
        temporary = target.with_suffix(target.suffix + ".tmp")
        temporary.write_text(xml, encoding="utf-8")
        temporary.replace(target)  # readers never see a half-written feed
        written += 1
    return written
