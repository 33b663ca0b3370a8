"""The HTTP client: conditional GET, politeness, limits, redirects and charset decoding.

Failures are values (`FetchFailure`) for the check to record; must not store anything.
"""

from __future__ import annotations

import asyncio
import codecs
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

_MAX_REDIRECTS = 10
_PRESCAN_BYTES = 1024  # WHATWG: a <meta charset> counts only within the first 1024 bytes
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# WHATWG Encoding: these labels all mean windows-1252.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last successful fetch said about its version, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How the client behaves: identity, timeouts, body cap and concurrency."""

    user_agent: str = "watcher"
    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_body: int = 10_000_000
    concurrency: int = 8
    per_host: int = 2


@dataclass(frozen=True, slots=True)
class Fetched:
    """A page that answered: its decoded text, or `not_modified` for a 304."""

    url: str
    final_url: str
    status: int
    text: str = ""
    body: bytes = b""
    encoding: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A page that could not be fetched; `kind` is one of FAILURE_KINDS."""

    url: str
    kind: str
    message: str
    status: int | None = None


FAILURE_KINDS = ("http-error", "network-error", "timeout", "too-large", "not-html", "too-many-redirects")


class Fetcher:
    """One httpx.AsyncClient with a global and a per-host limit on requests in flight."""

    def __init__(self, limits: FetchLimits, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.limits = limits
        self._in_flight = asyncio.Semaphore(limits.concurrency)
        self._per_host: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(limits.per_host))
        self.client = httpx.AsyncClient(
            transport=transport or httpx.AsyncHTTPTransport(
                retries=2, limits=httpx.Limits(max_connections=limits.concurrency)),
            headers={"User-Agent": limits.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            timeout=httpx.Timeout(limits.timeout, connect=limits.connect_timeout),
            follow_redirects=True,
            max_redirects=_MAX_REDIRECTS,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()

    async def fetch_page(self, url: str, validators: Validators = Validators()) -> Fetched | FetchFailure:
        """Given a URL and the last version's validators, return the page or why it failed."""
        async with self._in_flight, self._per_host[urlsplit(url).netloc]:
            try:
                async with asyncio.timeout(self.limits.timeout):
                    return await self._get(url, validators)
            except (TimeoutError, httpx.TimeoutException):
                return FetchFailure(url, "timeout", f"no complete answer from {url} within {self.limits.timeout:g}s")
            except httpx.TooManyRedirects:
                return FetchFailure(url, "too-many-redirects", f"more than {_MAX_REDIRECTS} redirects from {url}")
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                return FetchFailure(url, "network-error", f"{type(error).__name__} from {url}: {error}")

    async def _get(self, url: str, validators: Validators) -> Fetched | FetchFailure:
        headers = _conditional_headers(validators)
        async with self.client.stream("GET", url, headers=headers) as response:
            final_url = str(response.url)
            if response.status_code == 304:
                return Fetched(url, final_url, 304, etag=validators.etag,
                               last_modified=validators.last_modified, not_modified=True)
            if not 200 <= response.status_code < 300:
                return FetchFailure(url, "http-error", f"HTTP {response.status_code} from {final_url}",
                                    response.status_code)
            content_type = response.headers.get("content-type", "")
            if not _is_html_type(content_type):
                return FetchFailure(url, "not-html", f"{final_url} is {content_type}, not a web page",
                                    response.status_code)
            body = await _read_capped(response, self.limits.max_body)
            if body is None:
                return FetchFailure(url, "too-large", f"{final_url} is larger than {self.limits.max_body} bytes",
                                    response.status_code)
        return _fetched(url, final_url, response, body, content_type)


def _fetched(url: str, final_url: str, response: httpx.Response, body: bytes,
             content_type: str) -> Fetched | FetchFailure:
    if b"\x00" in body[:_PRESCAN_BYTES] and not body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FetchFailure(url, "not-html", f"{final_url} is binary content, not a web page",
                            response.status_code)
    text, encoding = decode_body(body, content_type)
    return Fetched(url, final_url, response.status_code, text, body, encoding,
                   response.headers.get("etag"), response.headers.get("last-modified"))


def _conditional_headers(validators: Validators) -> dict[str, str]:
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _is_html_type(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return not media_type or media_type in _HTML_TYPES


async def _read_capped(response: httpx.Response, max_body: int) -> bytes | None:
    """Return the (decompressed) body, or None once it grows past max_body."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body and "content-encoding" not in response.headers:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_body:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Given a body and its Content-Type, return (text, encoding used).

    Order: byte-order mark, the header's charset, <meta charset> in the first 1024 bytes,
    strict UTF-8, then windows-1252 (what browsers fall back to).
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace"), encoding
    for label in (_charset_label(content_type), _meta_charset(body[:_PRESCAN_BYTES])):
        codec = _codec_for(label) if label else None
        if codec:
            return body.decode(codec, errors="replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), "cp1252"


def _charset_label(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii")
    # WHATWG: a <meta> that names UTF-16 was read as ASCII, so it means UTF-8.
    return "utf-8" if label.lower().startswith("utf-16") else label


def _codec_for(label: str) -> str | None:
    """Given a charset label, return a Python codec that decodes text, or None if unknown."""
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Labels such as "base64" or "rot13" name codecs that do not read text.
    return info.name if getattr(info, "_is_text_encoding", True) else None
