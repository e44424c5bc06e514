"""The contract's demo accounts from `seed_demo` (the demo population: tests/reporting)."""

import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User


@pytest.mark.django_db
class TestSeedDemo:
    def test_creates_contract_accounts_idempotently(self, settings, icbs):
        settings.DEBUG = True
        call_command("seed_demo", "--without-population")
        call_command("seed_demo", "--without-population")
        assert User.objects.count() == 7
        gp = User.objects.get(email="gp@example.org")
        assert gp.check_password(DEMO_PASSWORD)
        assert gp.practice.name == "Demo Practice A" and gp.practice.icb_id == "QWO"
        assert User.objects.get(email="nurse@example.org").practice.name == "Demo Practice B"
        assert User.objects.get(email="gp.cm@example.org").practice.icb_id == "QYG"
        assert User.objects.get(email="icb.admin@example.org").icb_id == "QWO"
        assert User.objects.get(email="icb.admin.cm@example.org").icb_id == "QYG"
        assert User.objects.get(email="admin@example.org").role == Role.SITE_ADMIN

    @pytest.mark.parametrize("extra", [[], ["--without-population"], ["--refresh-population"]])
    def test_refused_when_debug_is_off(self, settings, icbs, extra):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="Refusing.*DEBUG is off.*--force"):
            call_command("seed_demo", *extra)
        assert not User.objects.exists()
        call_command("seed_demo", "--force", "--without-population")
        assert User.objects.count() == 7
