"""Response headers: a Content Security Policy with no inline code, and under production
settings HSTS, secure cookies, X-Frame-Options, Referrer-Policy and nosniff. Templates served
to browsers hold no inline scripts or styles, so the policy needs no 'unsafe-inline'."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' https://assets.nhs.uk",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
# Rendered by WeasyPrint into PDFs, never served as HTML pages: these may keep a <style>.
# New PDF templates are named *_pdf.html.
PDF_ONLY_TEMPLATES = {"training/certificate_pdf.html", "screening/support_sheet.html"}
INLINE_CODE = [
    ("an inline <script>", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)),
    ("a <style> element", re.compile(r"<style\b", re.IGNORECASE)),
    ("a style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("an event handler attribute", re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)),
    ("a javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
]


def parse_policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.django_db
class TestContentSecurityPolicy:
    @pytest.mark.parametrize("persona", ["anonymous", "clinician", "site_admin"])
    def test_pages_carry_the_policy_without_unsafe_inline(self, role_clients, persona):
        client = role_clients(persona)
        for url in (reverse("core:start"), reverse("accounts:login")):
            response = client.get(url, follow=True)
            header = response["Content-Security-Policy"]
            assert parse_policy(header) == EXPECTED_POLICY
            assert "unsafe-inline" not in header
            assert "unsafe-eval" not in header

    def test_admin_pages_carry_the_policy(self, site_admin_client):
        response = site_admin_client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY

    def test_error_pages_carry_the_policy(self, anonymous_client):
        response = anonymous_client.get("/no-such-page/")
        assert response.status_code == 404
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def browser_templates():
    root = BASE_DIR / "templates"
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        if name not in PDF_ONLY_TEMPLATES and not name.endswith("_pdf.html"):
            yield name


@pytest.mark.parametrize("name", list(browser_templates()))
def test_templates_hold_no_inline_code(name):
    path = BASE_DIR / "templates" / name
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE_CODE if pattern.search(text)]
    assert not found, f"{name} has {', '.join(found)}: move it to a static file"


def production_settings() -> dict:
    """Return the security settings production adds to the shared ones."""
    module = importlib.import_module("config.settings.production")
    names = [
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SESSION_COOKIE_HTTPONLY",
    ]
    return {name: getattr(module, name) for name in names}


@pytest.mark.django_db
class TestProductionHeaders:
    def test_plain_http_is_redirected_to_https(self, anonymous_client):
        with override_settings(**production_settings()):
            response = anonymous_client.get(reverse("core:start"))
        assert response.status_code == 301
        assert response["Location"].startswith("https://")

    def test_https_responses_carry_the_security_headers(self, anonymous_client):
        with override_settings(**production_settings()):
            response = anonymous_client.get(reverse("accounts:login"), secure=True)
        assert response.status_code == 200
        hsts = response["Strict-Transport-Security"]
        assert hsts == "max-age=31536000; includeSubDomains; preload"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        csrf_cookie = response.cookies["csrftoken"]
        assert csrf_cookie["secure"] and csrf_cookie["httponly"]

    def test_session_cookie_is_secure_and_http_only(self, anonymous_client, clinician):
        with override_settings(**production_settings()):
            anonymous_client.get(reverse("accounts:login"), secure=True)
            response = anonymous_client.post(
                reverse("accounts:login"),
                {"username": clinician.email, "password": "correct-horse-battery-staple"},
                secure=True,
            )
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert int(cookie["max-age"]) == 12 * 60 * 60


def test_deployment_checklist_is_clean_with_production_settings():
    # Only the environment a deployment would have: the browser tests' conftest sets
    # DJANGO_ALLOW_ASYNC_UNSAFE in this process, which the checklist rightly refuses.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "test-" + "k3y-with-enough-entropy-for-the-deploy-check" * 2,
        "DJANGO_ALLOWED_HOSTS": "spotting-stalking.example.nhs.uk",
        # Rate limits need a cache every server shares (core.W001 without one).
        "CACHE_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
