"""Render PDFs with WeasyPrint, letting them read nothing but the project's own static files.

Every PDF is built from HTML that can hold text a user typed (a name, a note, a service's
details). Left to itself WeasyPrint fetches whatever a `<link>`, `<img>`, `@import`,
`@font-face` or SVG `<image>` names, which lets anyone who gets markup into that HTML make
the server request internal addresses or read its files. So every renderer calls
`render_pdf`, whose fetcher serves only static files and refuses every other URL.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in the HTML, such as the "/static/..." that {% static %} writes, resolve
# against this. The file: scheme is only a carrier: the fetcher reads a file: URL's path as a
# path on this site ("file:///static/x.css" is the static file x.css), never as a path on disk.
BASE_URL = "file:///"


class ResourceRefused(ValueError):
    """A PDF asked for a URL that is not one of our static files. WeasyPrint logs it and
    leaves the resource out; the rest of the document still renders."""


class _StaticResponse(URLFetcherResponse):
    """A static file, with its real path so WeasyPrint can read a large image lazily."""

    def __init__(self, url: str, file: Path):
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        super().__init__(url, body=file.read_bytes(), headers={"Content-Type": content_type})
        self._file = file

    @property
    def path(self):
        return str(self._file)


def static_prefix() -> str:
    """Return the URL every static file's address starts with, as the PDF's HTML sees it."""
    return urljoin(BASE_URL, settings.STATIC_URL)


def static_file_for(url: str) -> Path | None:
    """Return the static file the URL names, or None if it names anything else.

    The name after the static prefix must be a plain relative path: no "..", ".", empty
    segments, backslashes or NUL, even percent-encoded. It is looked up through the
    staticfiles finders (the source directories, as in development and tests), then in
    STATIC_ROOT (the collected files, whose hashed names production templates use).
    """
    address = url.split("#", 1)[0].split("?", 1)[0]
    prefix = static_prefix()
    if not address.startswith(prefix):
        return None
    name = unquote(address[len(prefix) :])
    if "\\" in name or "\x00" in name or {"", ".", ".."} & set(name.split("/")):
        return None
    found = finders.find(name)
    if found and Path(found).is_file():
        return Path(found)
    if settings.STATIC_ROOT:
        try:
            collected = Path(safe_join(settings.STATIC_ROOT, name))
        except SuspiciousFileOperation:
            return None
        if collected.is_file():
            return collected
    return None


class StaticOnlyFetcher(URLFetcher):
    """Serve static files and data: URLs to WeasyPrint; refuse every other URL unopened.

    - Static files: a URL under STATIC_URL, relative ("/static/nhsuk/x.svg", resolved against
      BASE_URL) or written out ("file:///static/nhsuk/x.svg"), read from disk.
    - data: URLs are allowed. They carry their bytes inline, so reading one touches neither
      the network nor the disk; the certificate's QR code is one. (An SVG inside one that
      names further URLs is fetched through this fetcher too.)
    - Refused: file: URLs for anything else (file:///etc/passwd, or a static directory's
      path on disk), http:, https:, ftp: and every other scheme, and redirects.

    `requested` and `served` list the URLs asked for and given, in order (for tests and
    debugging).
    """

    def __init__(self):
        # The parent class only ever opens data: URLs; static files never reach it.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.requested: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url[:5].lower() == "data:":
            response = super().fetch(url, headers)
        else:
            file = static_file_for(url)
            if file is None:
                parts = urlsplit(url)
                # Scheme and host say what was tried; WeasyPrint's own error names the URL.
                logger.warning("PDF resource refused: %s://%s", parts.scheme, parts.netloc)
                raise ResourceRefused("only static files and data: URLs are fetched")
            response = _StaticResponse(url, file)
        self.served.append(url)
        return response


def render_pdf(html: str, *, url_fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Return the HTML rendered as a PDF, fetching only static files and data: URLs.

    Reference static files with {% static %}. Pass a StaticOnlyFetcher to see what the
    document asked for.
    """
    fetcher = url_fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
