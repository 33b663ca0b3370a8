"""The HTTP client against a real local server: validators, limits, redirects, charsets, faults."""

from __future__ import annotations

import asyncio
import gzip
import socket

import pytest
from servers import PageSite

from watcher.fetch import Fetched, Fetcher, FetchFailure, FetchLimits, Validators, decode_body

LIMITS = FetchLimits(user_agent="watcher-test/1", timeout=1.0, connect_timeout=1.0, max_body=100_000)


def fetch(url: str, validators: Validators = Validators(), limits: FetchLimits = LIMITS) -> Fetched | FetchFailure:
    async def go() -> Fetched | FetchFailure:
        fetcher = Fetcher(limits)
        try:
            return await fetcher.fetch_page(url, validators)
        finally:
            await fetcher.aclose()
    return asyncio.run(go())


def test_fetch_page_returns_decoded_text_and_sends_the_user_agent(site: PageSite) -> None:
    url = site.set("/p", "<p>£2 billion</p>", headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})

    fetched = fetch(url)

    assert isinstance(fetched, Fetched)
    assert (fetched.status, fetched.text, fetched.etag) == (200, "<p>£2 billion</p>", '"v1"')
    assert site.requests[-1][1]["User-Agent"] == "watcher-test/1"


def test_fetch_page_with_matching_etag_returns_not_modified(site: PageSite) -> None:
    url = site.set("/p", "<p>x</p>", headers={"Content-Type": "text/html", "ETag": '"v1"'})

    fetched = fetch(url, Validators(etag='"v1"'))

    assert isinstance(fetched, Fetched) and fetched.not_modified
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'


@pytest.mark.parametrize(("page", "kind"), [
    ({"status": 500}, "http-error"),
    ({"status": 404}, "http-error"),
    ({"fault": "hang"}, "timeout"),
    ({"fault": "reset"}, "network-error"),
    ({"fault": "endless"}, "too-large"),
    ({"body": "x" * 100_001}, "too-large"),
    ({"headers": {"Content-Type": "image/png"}}, "not-html"),
    ({"body": b"\x89PNG\r\n\x00\x00\x00binary", "headers": {"Content-Type": "text/html"}}, "not-html"),
], ids=["500", "404", "hang", "reset", "endless-body", "too-large", "image", "binary-as-html"])
def test_fetch_page_failures_are_values_with_a_kind(site: PageSite, page: dict[str, object], kind: str) -> None:
    url = site.set("/p", **{"body": "<p>x</p>", **page})  # type: ignore[arg-type]

    fetched = fetch(url)

    assert isinstance(fetched, FetchFailure)
    assert fetched.kind == kind
    assert url in fetched.message


def test_fetch_page_caps_a_decompressed_body(site: PageSite) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    url = site.set("/p", bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    fetched = fetch(url)

    assert len(bomb) < LIMITS.max_body
    assert isinstance(fetched, FetchFailure) and fetched.kind == "too-large"


def test_fetch_page_with_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    fetched = fetch(f"http://127.0.0.1:{port}/")

    assert isinstance(fetched, FetchFailure) and fetched.kind == "network-error"


def test_fetch_page_follows_redirects_up_to_ten(site: PageSite) -> None:
    for hop in range(11):
        site.set(f"/r{hop}", "", status=301, headers={"Location": f"/r{hop + 1}"})
    site.set("/r11", "<p>end</p>")
    site.set("/r8", "", status=302, headers={"Location": "/end"})
    site.set("/end", "<p>end</p>")

    near = fetch(site.url("/r0"))
    site.set("/r8", "", status=302, headers={"Location": "/r9"})
    far = fetch(site.url("/r0"))

    assert isinstance(near, Fetched) and near.final_url == site.url("/end")
    assert isinstance(far, FetchFailure) and far.kind == "too-many-redirects"


@pytest.mark.parametrize(("body", "content_type", "text", "encoding"), [
    ("£2bn".encode(), "text/html; charset=utf-8", "£2bn", "utf-8"),
    ("€5".encode("cp1252"), "text/html; charset=ISO-8859-1", "€5", "cp1252"),
    ('<meta charset="windows-1251"><p>Привет'.encode("cp1251"), "text/html", '<meta charset="windows-1251"><p>Привет', "cp1251"),
    ("<p>naïve £5</p>".encode(), "text/html", "<p>naïve £5</p>", "utf-8"),
    ("<p>naïve £5</p>".encode("cp1252"), "text/html", "<p>naïve £5</p>", "cp1252"),
    (b"\xef\xbb\xbf<p>\xc2\xa35</p>", "text/html; charset=latin-1", "<p>£5</p>", "utf-8"),
    ("£5".encode(), "text/html; charset=no-such-charset", "£5", "utf-8"),
    ("£5".encode(), "text/html; charset=rot13", "£5", "utf-8"),
], ids=["header-utf8", "latin1-means-cp1252", "meta", "undeclared-utf8", "undeclared-cp1252", "bom-wins",
        "unknown-label", "non-text-codec"])
def test_decode_body_follows_header_meta_utf8_then_windows_1252(
        body: bytes, content_type: str, text: str, encoding: str) -> None:
    assert decode_body(body, content_type) == (text, encoding)
