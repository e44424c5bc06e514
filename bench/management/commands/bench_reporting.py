from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from bench.pages import BenchError, time_page


class Command(BaseCommand):
    help = (
        "Time the reporting dashboard (server side, via Django's test client) for an ICB admin "
        "and for England, after warm-up, with its query count. make bench does this and more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--icb", default="", help="ODS code of the ICB admin's ICB")

    def handle(self, *args, runs, icb, **options):
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        admins = User.objects.filter(role=Role.ICB_ADMIN).select_related("icb")
        icb_admin = (admins.filter(icb_id=icb) if icb else admins.order_by("id")).first()
        site_admin = User.objects.filter(role=Role.SITE_ADMIN).first()
        if not icb_admin or not site_admin:
            raise CommandError("Needs an ICB admin and a site admin (run seed_bench first)")
        self.stdout.write(f"{'page':<20}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'SQL ms':>8}")
        for label, user in (("ICB dashboard", icb_admin), ("England dashboard", site_admin)):
            try:
                t = time_page(label, "/reporting/", user, runs)
            except BenchError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{label:<20}{t.median_ms:>10.0f}{t.p95_ms:>9.0f}{t.queries:>9}{t.sql_ms:>8.0f}"
            )
