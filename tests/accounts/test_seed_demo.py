import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User


@pytest.mark.django_db
class TestSeedDemo:
    def test_creates_contract_accounts_idempotently(self, settings, icbs):
        settings.DEBUG = True
        call_command("seed_demo")
        call_command("seed_demo")
        assert User.objects.count() == 7
        gp = User.objects.get(email="gp@example.org")
        assert gp.check_password(DEMO_PASSWORD)
        assert gp.practice.name == "Demo Practice A" and gp.practice.icb_id == "QWO"
        assert User.objects.get(email="nurse@example.org").practice.name == "Demo Practice B"
        assert User.objects.get(email="gp.cm@example.org").practice.icb_id == "QYG"
        assert User.objects.get(email="icb.admin@example.org").icb_id == "QWO"
        assert User.objects.get(email="icb.admin.cm@example.org").icb_id == "QYG"
        assert User.objects.get(email="admin@example.org").role == Role.SITE_ADMIN

    def test_refused_when_debug_is_off(self, settings, icbs):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="Refusing"):
            call_command("seed_demo")
        assert not User.objects.exists()
        call_command("seed_demo", "--force")
        assert User.objects.count() == 7
