"""Move the national MARAC entry from the safeguarding type to its own MARAC type.

Databases seeded before 2026.2 keep their entries (loading never overwrites curators' work),
so without this the MARAC entry would stay under "Safeguarding" and never be offered as the
high-risk domestic abuse route.
"""

from django.db import migrations

MARAC_ID = "cd04a3c0-66b8-4cf9-b285-ea45430ab762"


def forwards(apps, schema_editor):
    Service = apps.get_model("referrals", "Service")
    Service.objects.filter(pk=MARAC_ID, service_type="safeguarding").update(service_type="marac")


def backwards(apps, schema_editor):
    Service = apps.get_model("referrals", "Service")
    Service.objects.filter(pk=MARAC_ID, service_type="marac").update(service_type="safeguarding")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_service_types_marac_and_young_people")]

    operations = [migrations.RunPython(forwards, backwards)]
