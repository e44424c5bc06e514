import pytest

from core.navigation import menu_for


@pytest.mark.django_db
class TestMenu:
    def test_clinician_sees_clinical_links_only(self, clinician):
        labels = [item.label for item in menu_for(clinician, "/")]
        assert labels == [
            "My training",
            "Certificates",
            "Screening checklist",
            "My screenings",
            "Referral directory",
        ]

    def test_icb_admin_sees_directory_tools_not_clinical_ones(self, icb_admin):
        labels = [item.label for item in menu_for(icb_admin, "/")]
        assert "Manage directory" in labels
        assert "Screening checklist" not in labels
        assert "My training" in labels  # admins may take it, to know what they report on
        assert "Site administration" not in labels

    def test_only_the_most_specific_item_is_current(self, icb_admin):
        current = [i.label for i in menu_for(icb_admin, "/referrals/manage/new/") if i.current]
        assert current == ["Manage directory"]
        current = [i.label for i in menu_for(icb_admin, "/referrals/?icb=QWO") if i.current]
        assert current == ["Referral directory"]

    def test_anonymous_has_no_menu(self, anonymous_client):
        from django.contrib.auth.models import AnonymousUser

        assert menu_for(AnonymousUser(), "/") == []
