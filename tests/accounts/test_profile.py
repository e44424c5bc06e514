import pytest
from django.urls import reverse

URL = reverse("accounts:profile")


@pytest.mark.django_db
class TestProfile:
    def test_anonymous_is_sent_to_sign_in(self, anonymous_client):
        response = anonymous_client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_clinician_changes_practice_and_role(self, clinician_client, clinician, other_practice):
        response = clinician_client.post(
            URL,
            {
                "full_name": "Alice C",
                "professional_role": "practice_nurse",
                "registration_number": "12 a3456 e",
                "practice": "b22222",
            },
        )
        assert response.status_code == 302
        clinician.refresh_from_db()
        assert clinician.practice == other_practice
        assert clinician.professional_role == "practice_nurse"
        assert clinician.registration_number == "12A3456E"

    def test_bad_input_is_shown_and_nothing_is_saved(self, clinician_client, clinician):
        response = clinician_client.post(
            URL,
            {
                "full_name": "",
                "professional_role": "surgeon",
                "registration_number": "x",
                "practice": "NOPE1",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        for field in ("id_full_name", "id_registration_number", "id_practice"):
            assert f'href="#{field}' in html
        clinician.refresh_from_db()
        assert clinician.full_name == "Alice Clinician"
        assert clinician.practice.ods_code == "A11111"

    def test_role_and_icb_cannot_be_raised_through_the_form(self, clinician_client, clinician):
        clinician_client.post(
            URL,
            {
                "full_name": "Alice",
                "professional_role": "gp",
                "practice": "A11111",
                "role": "site_admin",
                "icb": "QWO",
                "is_superuser": "on",
            },
        )
        clinician.refresh_from_db()
        assert clinician.role == "clinician"
        assert clinician.icb is None
        assert not clinician.is_superuser

    def test_icb_admin_can_save_without_a_practice(self, icb_admin_client, icb_admin):
        response = icb_admin_client.post(
            URL, {"full_name": "Wendy A", "professional_role": "", "practice": ""}
        )
        assert response.status_code == 302
        icb_admin.refresh_from_db()
        assert icb_admin.full_name == "Wendy A"

    def test_password_change_keeps_user_signed_in_and_rejects_weak(self, clinician_client):
        url = reverse("accounts:password_change")
        weak = clinician_client.post(
            url,
            {
                "old_password": "correct-horse-battery-staple",
                "new_password1": "short",
                "new_password2": "short",
            },
        )
        assert weak.status_code == 200
        assert b"nhsuk-error-summary" in weak.content
        ok = clinician_client.post(
            url,
            {
                "old_password": "correct-horse-battery-staple",
                "new_password1": "a-much-better-passphrase",
                "new_password2": "a-much-better-passphrase",
            },
        )
        assert ok.status_code == 302
        assert clinician_client.get(URL).status_code == 200
