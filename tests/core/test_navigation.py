import pytest
from django.contrib.auth.models import AnonymousUser

from core import navigation
from core.navigation import MenuEntry, menu_for


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

    def test_site_admin_sees_site_administration(self, site_admin):
        labels = [item.label for item in menu_for(site_admin, "/")]
        assert labels[-1] == "Site administration"
        assert "Screening checklist" not in labels

    def test_only_the_most_specific_item_is_current(self, icb_admin):
        current = [i.label for i in menu_for(icb_admin, "/referrals/manage/new/") if i.current]
        assert current == ["Manage directory"]
        current = [i.label for i in menu_for(icb_admin, "/referrals/?icb=QWO") if i.current]
        assert current == ["Referral directory"]

    def test_anonymous_has_no_menu(self, anonymous_client):
        assert menu_for(AnonymousUser(), "/") == []


class SignedIn:
    is_authenticated = True

    def __init__(self, name):
        self.name = name


@pytest.fixture
def registry(monkeypatch):
    """An empty menu registry, so these tests see only the entries they register."""
    monkeypatch.setattr(navigation, "_entries", [])
    return navigation


class TestRegistry:
    """Core builds the menu from what apps register, knowing nothing of roles itself."""

    def test_links_appear_in_the_order_registered_to_whom_they_are_shown(self, registry):
        registry.register(
            MenuEntry("Start", "core:start", lambda user: True),
            MenuEntry("Health", "core:healthz", lambda user: user.name == "ann"),
        )
        assert [i.label for i in menu_for(SignedIn("ann"), "/")] == ["Start", "Health"]
        assert [i.label for i in menu_for(SignedIn("bob"), "/")] == ["Start"]

    def test_a_link_to_a_page_that_does_not_exist_is_left_out(self, registry):
        registry.register(
            MenuEntry("Missing", "nowhere:page", lambda user: True),
            MenuEntry("Start", "core:start", lambda user: True),
        )
        assert [i.label for i in menu_for(SignedIn("ann"), "/")] == ["Start"]

    def test_registering_the_same_page_twice_adds_it_once(self, registry):
        entry = MenuEntry("Start", "core:start", lambda user: True)
        registry.register(entry)
        registry.register(entry, MenuEntry("Start again", "core:start", lambda user: True))
        assert [i.label for i in menu_for(SignedIn("ann"), "/")] == ["Start"]
