"""Store every service's phone number in one form: E.164 for full numbers, digits for short ones.

Numbers were stored as typed ("0808 802 0300", "+44 20 3866 4107"). `rules.phone_number` is
the one function every write uses, so this migration uses it too; a number it refuses (say
"12345") is left as it is, shown as typed and without a tel: link, for a curator to correct.
Going back writes numbers as people read them ("0808 802 0300", "116 123"), which the checks
before this migration also accepted. Neither direction changes `updated_at` or the history:
the number is the same, only how it is written.
"""

from django.db import migrations, models

from referrals import rules


def canonicalise(apps, schema_editor):
    Service = apps.get_model("referrals", "Service")
    # A list, not .iterator(): SQLite does not isolate a cursor from updates to its table.
    for pk, phone in list(Service.objects.exclude(phone="").values_list("pk", "phone")):
        try:
            canonical = rules.phone_number(phone)
        except rules.PhoneNumberError:
            continue
        if canonical != phone:
            Service.objects.filter(pk=pk).update(phone=canonical)


def as_people_read_them(apps, schema_editor):
    Service = apps.get_model("referrals", "Service")
    # A list, not .iterator(): SQLite does not isolate a cursor from updates to its table.
    for pk, phone in list(Service.objects.exclude(phone="").values_list("pk", "phone")):
        shown = rules.phone_display(phone)
        if shown != phone:
            Service.objects.filter(pk=pk).update(phone=shown)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_marac_entry_is_the_marac_type")]

    operations = [
        migrations.AlterField(
            model_name="service",
            name="phone",
            field=models.CharField(
                blank=True,
                help_text="Stored in one form, set by rules.phone_number: E.164 for full numbers ('+448082000247'), the digits for short numbers ('116123', '999'). Shown as phone_display ('0808 200 0247', '116 123').",
                max_length=30,
            ),
        ),
        migrations.RunPython(canonicalise, as_people_read_them),
    ]
