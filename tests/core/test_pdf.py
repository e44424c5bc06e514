"""PDFs fetch nothing but our own static files (issue 14: server-side request forgery).

Markup that reaches a PDF's HTML must not make the server request an internal address, read
its files or call out to the internet. Each attack is shown working against WeasyPrint left
to itself, then failing through core.pdf.render_pdf.
"""

import http.server
import socket
import threading
import uuid
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.utils import timezone
from PIL import Image
from weasyprint import HTML

import core.pdf
from core.pdf import StaticOnlyFetcher, render_pdf, static_file_for
from training.models import Certificate
from training.pdf import certificate_pdf

PROJECT = Path(__file__).resolve().parents[2]


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.paths.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_server(monkeypatch):
    """An HTTP server on a free local port standing in for an internal service."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # reach it directly, as the server would
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.paths = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def no_network(monkeypatch):
    """Record, and refuse, every name lookup or connection the code under test tries."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network use in a PDF render")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def injections(base: str) -> dict[str, str]:
    """Return every way we know for HTML to make WeasyPrint fetch a URL under `base`."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' width="10" height="10"><image xlink:href="{base}/svg-image.png"'
        ' width="10" height="10"/></svg>'
    )
    return {
        "img": f'<img src="{base}/img.png">',
        "stylesheet": f'<link rel="stylesheet" href="{base}/x.css">',
        "import": f'<style>@import url("{base}/import.css");</style>',
        "background": f'<div style="background: url({base}/bg.png)">x</div>',
        "font-face": (
            f'<style>@font-face {{ font-family: X; src: url("{base}/f.woff2") }}'
            " p { font-family: X }</style><p>x</p>"
        ),
        "svg-image": svg,
        "object": f'<object data="{base}/object.png"></object>',
        "attachment": f'<link rel="attachment" href="{base}/attachment.txt">',
        "base": f'<base href="{base}/"><img src="relative.png">',
    }


INJECTIONS = list(injections("http://x"))


class TestInjectedUrlsAreNotFetched:
    @pytest.mark.parametrize("kind", INJECTIONS)
    def test_plain_weasyprint_would_fetch_an_internal_address(self, internal_server, kind):
        """The attack the pen test found, against WeasyPrint with no url_fetcher."""
        base = f"http://127.0.0.1:{internal_server.server_port}"
        HTML(string=f"<p>Report</p>{injections(base)[kind]}").write_pdf()
        assert len(internal_server.paths) == 1

    @pytest.mark.parametrize("kind", INJECTIONS)
    def test_internal_address_gets_no_request(self, internal_server, kind):
        base = f"http://127.0.0.1:{internal_server.server_port}"
        fetcher = StaticOnlyFetcher()
        pdf = render_pdf(f"<p>Report</p>{injections(base)[kind]}", url_fetcher=fetcher)
        assert pdf.startswith(b"%PDF")
        assert fetcher.requested, "WeasyPrint should have asked for the URL"
        assert fetcher.served == []
        assert internal_server.paths == []

    def test_local_file_is_not_read(self, tmp_path):
        """A file: URL to a real image outside the static files: refused, so not embedded."""
        outside = tmp_path / "outside.png"
        Image.new("RGB", (4, 4), "red").save(outside)
        fetcher = StaticOnlyFetcher()
        render_pdf(
            f'<img src="{outside.as_uri()}"><img src="file:///etc/passwd">'
            '<img src="../../../../etc/passwd">',
            url_fetcher=fetcher,
        )
        assert outside.as_uri() in fetcher.requested
        assert "file:///etc/passwd" in fetcher.requested
        assert fetcher.served == []

    def test_remote_stylesheet_is_not_fetched(self, no_network):
        fetcher = StaticOnlyFetcher()
        render_pdf(
            '<link rel="stylesheet" href="https://example.org/x.css"><p>x</p>',
            url_fetcher=fetcher,
        )
        assert fetcher.requested == ["https://example.org/x.css"]
        assert fetcher.served == []
        assert no_network == []  # not even a DNS lookup

    @pytest.mark.parametrize(
        "url", ["ftp://127.0.0.1/x.png", "gopher://127.0.0.1/x", "jar:file:///x!/y"]
    )
    def test_other_schemes_are_refused(self, url, no_network):
        fetcher = StaticOnlyFetcher()
        render_pdf(f'<img src="{url}">', url_fetcher=fetcher)
        assert fetcher.served == [] and no_network == []


@pytest.fixture
def static_dir(tmp_path, settings):
    """A static directory holding a stylesheet that draws an image beside it."""
    root = tmp_path / "static"
    (root / "pdf" / "img").mkdir(parents=True)
    Image.new("RGB", (8, 8), "blue").save(root / "pdf" / "img" / "dot.png")
    (root / "pdf" / "print.css").write_text(
        "div.dot { width: 8px; height: 8px; background: url(img/dot.png) }"
    )
    settings.STATICFILES_DIRS = [root]
    return root


class TestStaticFilesAreServed:
    def test_stylesheet_and_its_image_are_served_from_static(self, static_dir):
        fetcher = StaticOnlyFetcher()
        pdf = render_pdf(
            f'<link rel="stylesheet" href="{static("pdf/print.css")}">'
            f'<img src="{static("pdf/img/dot.png")}"><div class="dot"></div>',
            url_fetcher=fetcher,
        )
        assert fetcher.requested == fetcher.served
        assert set(fetcher.served) == {
            "file:///static/pdf/print.css",
            "file:///static/pdf/img/dot.png",
        }
        assert b"/Image" in pdf

    def test_collected_files_are_served_from_static_root(self, tmp_path, settings):
        """In production {% static %} names the hashed copy that only STATIC_ROOT holds."""
        settings.STATICFILES_DIRS = []
        settings.STATIC_ROOT = tmp_path / "collected"
        (tmp_path / "collected" / "pdf").mkdir(parents=True)
        Image.new("RGB", (4, 4), "green").save(tmp_path / "collected" / "pdf" / "dot.abc123.png")
        fetcher = StaticOnlyFetcher()
        pdf = render_pdf('<img src="/static/pdf/dot.abc123.png">', url_fetcher=fetcher)
        assert fetcher.served == ["file:///static/pdf/dot.abc123.png"]
        assert b"/Image" in pdf

    def test_project_static_files_are_found_through_the_finders(self):
        assert static_file_for("file:///static/js/init.mjs") == PROJECT / "static/js/init.mjs"
        assert static_file_for("file:///static/js/init.mjs?v=1#top") is not None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../core/pdf.py",
        "file:///static/%2e%2e/core/pdf.py",
        "file:///static/..%2fcore/pdf.py",
        "file:///static/js/../../core/pdf.py",
        "file:///static//etc/passwd",
        "file:///static/%2fetc/passwd",
        "file:///static/./js",
        "file:///static/js",  # a directory
        "file:///static/",
        "file:///static/js%5c..%5c..%5ccore%5cpdf.py",
        "file:///static/js/x%00.js",
        "file://attacker/static/js/x.js",
        (PROJECT / "static/js/init.mjs").as_uri(),  # a static file's path on disk
        "file:///static/js/missing.mjs",
        "FILE:///static/js/init.mjs",
        "http://127.0.0.1/static/js/init.mjs",
        "https://example.org/static/js/init.mjs",
    ],
)
def test_only_a_plain_static_name_is_a_static_file(url):
    assert static_file_for(url) is None


def test_every_renderer_goes_through_render_pdf():
    """Nothing outside core/pdf.py builds a WeasyPrint document (the benchmark's one-line
    baseline, which renders a fixed string, is the exception)."""
    offenders = []
    for app in ("accounts", "bench", "core", "referrals", "reporting", "screening", "training"):
        for path in (PROJECT / app).rglob("*.py"):
            relative = path.relative_to(PROJECT).as_posix()
            if relative in {"core/pdf.py", "bench/pdfs.py"}:
                continue
            text = path.read_text()
            if ("weasyprint import" in text and "HTML" in text) or "weasyprint.HTML" in text:
                offenders.append(relative)
    assert offenders == []


class _Spy(StaticOnlyFetcher):
    made: list["_Spy"] = []

    def __init__(self):
        super().__init__()
        _Spy.made.append(self)


@pytest.fixture
def spy_fetcher(monkeypatch):
    _Spy.made = []
    monkeypatch.setattr(core.pdf, "StaticOnlyFetcher", _Spy)
    return _Spy.made


def test_real_certificate_renders_with_everything_it_asks_for(spy_fetcher, no_network):
    """The certificate's styles are inline and its QR code is a data: URL: all served."""
    certificate = Certificate(
        id=uuid.uuid4(),
        learner_name="Dr Example",
        content_version="2026.1",
        modules=[{"title": "Module 1", "content_version": "2026.1", "cpd_minutes": 35}],
        cpd_minutes=35,
        issued_at=timezone.now(),
        refresh_by=timezone.localdate(),
    )
    pdf = certificate_pdf(certificate, verify_url="https://service.example/certificates/x/")
    assert pdf.startswith(b"%PDF")
    [fetcher] = spy_fetcher
    assert fetcher.requested == fetcher.served
    assert [url[:26] for url in fetcher.served] == ["data:image/svg+xml;base64,"]
    assert no_network == []
