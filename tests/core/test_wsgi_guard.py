"""Pen test, second round: a Content-Type charset that is not a text encoding (base64, hex)
made Django fail while building the request, before any error page, so the server answered
with its own bare 500. Through the real WSGI entry point it is now answered like any request."""

import io

import pytest

from core.wsgi_guard import usable_charset, without_unusable_charset

pytestmark = pytest.mark.django_db(transaction=True)


def call(app, *, path="/", query="", method="GET", content_type="", body=b""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = {}

    def start_response(value, headers, exc_info=None):
        status["value"] = value
        status["headers"] = dict(headers)

    content = b"".join(app(environ, start_response))
    return int(status["value"].split()[0]), status["headers"], content


@pytest.fixture
def application(settings):
    settings.DEBUG = False
    from config.wsgi import application

    return application


@pytest.mark.parametrize("charset", ["base64", "hex", "zlib", "rot13", "bz2", "uu", "quopri"])
@pytest.mark.parametrize(
    "path,query", [("/", "a=b"), ("/api/oruk/services", "page=1"), ("/healthz", "x=1")]
)
def test_a_non_text_charset_with_a_query_string_is_answered(application, charset, path, query):
    status, headers, content = call(
        application, path=path, query=query, content_type=f"text/plain; charset={charset}"
    )
    assert status == 200
    assert headers.get("X-Content-Type-Options") == "nosniff"


def test_a_form_in_a_non_text_charset_gets_the_styled_400(application):
    status, _, content = call(
        application,
        path="/accounts/login/",
        method="POST",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        body=b"username=a%E9",
    )
    assert status in (400, 403)  # 403: no CSRF cookie; either way a styled page
    assert b"nhsuk-header" in content


def test_a_multipart_body_with_a_non_text_charset_is_not_a_server_error(application):
    status, _, content = call(
        application,
        path="/accounts/login/",
        method="POST",
        content_type='multipart/form-data; boundary=XX; charset="base64"',
        body=b'--XX\r\nContent-Disposition: form-data; name="username"\r\n\r\na\r\n--XX--\r\n',
    )
    assert status < 500
    assert b"nhsuk-header" in content


@pytest.mark.parametrize(
    "content_type,kept",
    [
        ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
        ("text/plain; charset=latin-1", "text/plain; charset=latin-1"),
        ('text/plain; CHARSET="base64"', "text/plain"),
        ("multipart/form-data; boundary=XX; charset=hex", "multipart/form-data; boundary=XX"),
        ("text/plain; charset=nonsense", "text/plain"),
    ],
)
def test_only_unusable_charsets_are_removed(content_type, kept):
    assert without_unusable_charset(content_type) == kept


def test_text_encodings_are_usable_and_codecs_that_are_not_are_not():
    assert usable_charset("utf-8") and usable_charset("cp1252")
    assert not usable_charset("base64") and not usable_charset("no-such-codec")


def test_the_api_limit_ignores_a_client_set_script_name(client, settings):
    """path_info is what is limited, so a SCRIPT_NAME prefix cannot move the API elsewhere."""
    settings.API_RATE_LIMIT = 2
    answers = [
        client.get("/api/oruk/services", SCRIPT_NAME="/x", REMOTE_ADDR="203.0.113.8").status_code
        for _ in range(4)
    ]
    assert answers[-1] == 429
