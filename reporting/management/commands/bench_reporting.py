import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from core.timing import median_p95


class Command(BaseCommand):
    help = (
        "Time the reporting dashboard (server side, via Django's test client) for an ICB admin "
        "and for England, after warm-up, with its query count."
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
        rows = []
        for label, user in (("ICB dashboard", icb_admin), ("England dashboard", site_admin)):
            client = Client()
            client.force_login(user)
            client.get("/reporting/")  # warm-up
            times, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get("/reporting/")
                    times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{label}: HTTP {response.status_code}")
                queries = len(ctx.captured_queries)
            sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
            median, p95 = median_p95(times)
            rows.append((label, median, p95, queries, sql_ms))
        self.stdout.write(
            f"{'page':<20}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'SQL ms (last run)':>19}"
        )
        for label, median, p95, queries, sql_ms in rows:
            self.stdout.write(f"{label:<20}{median:>10.0f}{p95:>9.0f}{queries:>9}{sql_ms:>19.0f}")
