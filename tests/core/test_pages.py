from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse


@pytest.mark.django_db
class TestStartPage:
    def test_anonymous_sees_what_the_service_is_and_how_to_start(self, anonymous_client):
        html = anonymous_client.get("/").content.decode()
        assert "Spotting Stalking" in html
        assert reverse("accounts:signup") in html
        assert 'class="nhsuk-skip-link"' in html
        assert "nhsuk-header" in html and "nhsuk-footer" in html

    @pytest.mark.parametrize(
        "persona,expected,absent",
        [
            ("clinician", ["Your profile"], ["Site administration"]),
            ("icb_admin", ["Your profile"], ["Site administration"]),
            ("site_admin", ["Site administration"], []),
        ],
    )
    def test_signed_in_users_see_their_roles_navigation(
        self, role_clients, persona, expected, absent
    ):
        html = role_clients(persona).get("/").content.decode()
        for text in expected:
            assert text in html
        for text in absent:
            assert text not in html
        assert "Sign out" in html


@pytest.mark.django_db
class TestHealthz:
    def test_ok_when_database_answers(self, anonymous_client):
        response = anonymous_client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "up"}

    def test_503_when_database_is_down(self, anonymous_client):
        with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
            response = anonymous_client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["database"] == "down"


@pytest.mark.django_db
class TestErrorPages:
    def test_404_is_styled(self, anonymous_client):
        response = anonymous_client.get("/no-such-page/")
        assert response.status_code == 404
        assert b"Page not found" in response.content
        assert b"nhsuk-header" in response.content

    @override_settings(ROOT_URLCONF="tests.core.failing_urls")
    def test_500_is_styled_and_does_not_leak(self, icbs):
        client = Client(raise_request_exception=False)
        response = client.get("/boom/")
        assert response.status_code == 500
        assert b"Sorry, there is a problem with the service" in response.content
        assert b"Traceback" not in response.content

    @override_settings(ROOT_URLCONF="tests.core.failing_urls")
    def test_403_is_styled(self, clinician_client):
        response = clinician_client.get("/forbidden/")
        assert response.status_code == 403
        assert b"You do not have access to this page" in response.content

    @override_settings(ROOT_URLCONF="tests.core.failing_urls")
    def test_400_is_styled(self, clinician_client):
        response = clinician_client.get("/bad/")
        assert response.status_code == 400
        assert b"problem with the request" in response.content

    def test_csrf_failure_does_not_500(self, clinician):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
        assert response.status_code == 403
