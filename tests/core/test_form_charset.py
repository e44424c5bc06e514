"""A form body in a charset other than UTF-8 gets the styled 400 page, not a bare 500 (issue 14,
point 7). The CSRF check runs as in production, so the error page's own check reads the body
again: that second read was what turned the 400 into a 500."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

BODY = b"username=nurse%E9%40example.org&password=x"


def _post(path: str, charset: str):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get("/accounts/login/")  # a CSRF cookie, as a browser would have
    token = client.cookies["csrftoken"].value
    with override_settings(DEBUG=False):
        return client.generic(
            "POST",
            path,
            BODY + b"&csrfmiddlewaretoken=" + token.encode(),
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "cp1252", "utf-16"])
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/"])
def test_a_form_in_another_charset_gets_the_styled_400_page(path, charset):
    response = _post(path, charset)

    assert response.status_code == 400
    assert b"<html" in response.content
    assert b"nhsuk-header" in response.content


def test_an_address_that_does_not_exist_is_still_a_404():
    response = _post("/no-such-page/", "latin-1")

    assert response.status_code == 404
    assert b"nhsuk-header" in response.content
