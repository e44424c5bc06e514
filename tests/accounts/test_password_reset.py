import re

import pytest
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db
def test_password_reset_by_emailed_link(client, clinician):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@nhs.net"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "new-long-passphrase-9", "new_password2": "new-long-passphrase-9"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice@nhs.net", "password": "new-long-passphrase-9"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_unknown_email_gets_the_same_answer_and_no_mail(client, icbs):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@nhs.net"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_malformed_email_gets_inline_error(client, icbs):
    response = client.post(reverse("accounts:password_reset"), {"email": "not an email"})
    assert response.status_code == 200
    assert b'href="#id_email"' in response.content
