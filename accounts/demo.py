"""The demo organisations and accounts named in the product contract."""

from django.db import transaction
from django.utils import timezone

from accounts.models import ICB, Practice, ProfessionalRole, Role, User

DEMO_PASSWORD = "spotting-stalking-demo"  # noqa: S105 - published in the README on purpose

DEMO_PRACTICES = (
    # ODS codes in a range no real GP practice uses, so a demo never looks like a real one.
    ("X99001", "Demo Practice A", "LS1 4AP", "QWO"),
    ("X99002", "Demo Practice B", "BD1 1HY", "QWO"),
    ("X99003", "Demo Practice C", "L1 8JQ", "QYG"),
)

DEMO_USERS = (
    {
        "email": "gp@example.org",
        "full_name": "Dr Asha Patel (demo)",
        "role": Role.CLINICIAN,
        "professional_role": ProfessionalRole.GP,
        "registration_number": "7654321",
        "practice": "X99001",
    },
    {
        "email": "nurse@example.org",
        "full_name": "Sam Okafor (demo)",
        "role": Role.CLINICIAN,
        "professional_role": ProfessionalRole.PRACTICE_NURSE,
        "registration_number": "12A3456E",
        "practice": "X99002",
    },
    {
        "email": "reception@example.org",
        "full_name": "Priya Shah (demo receptionist)",
        "role": Role.CLINICIAN,
        "professional_role": ProfessionalRole.PRACTICE_STAFF,
        "practice": "X99001",
    },
    {
        "email": "gp.cm@example.org",
        "full_name": "Dr Rhys Morgan (demo)",
        "role": Role.CLINICIAN,
        "professional_role": ProfessionalRole.GP,
        "practice": "X99003",
    },
    {
        "email": "icb.admin@example.org",
        "full_name": "Jo Lister (demo ICB admin)",
        "role": Role.ICB_ADMIN,
        "icb": "QWO",
    },
    {
        "email": "icb.admin.cm@example.org",
        "full_name": "Lee Hughes (demo ICB admin)",
        "role": Role.ICB_ADMIN,
        "icb": "QYG",
    },
    {"email": "admin@example.org", "full_name": "Site admin (demo)", "role": Role.SITE_ADMIN},
)


@transaction.atomic
def seed_demo_accounts() -> tuple[int, int]:
    """Create the demo practices and accounts if missing; return (practices, users) created."""
    practices_created = 0
    for ods_code, name, postcode, icb_code in DEMO_PRACTICES:
        _, created = Practice.objects.update_or_create(
            ods_code=ods_code,
            defaults={"name": name, "postcode": postcode, "icb": ICB.objects.get(pk=icb_code)},
        )
        practices_created += created
    practices = {
        p.ods_code: p for p in Practice.objects.filter(ods_code__in=[p[0] for p in DEMO_PRACTICES])
    }

    users_created = 0
    for spec in DEMO_USERS:
        fields = {
            "full_name": spec["full_name"],
            "role": spec["role"],
            "professional_role": spec.get("professional_role", ""),
            "registration_number": spec.get("registration_number", ""),
            "practice": practices.get(spec.get("practice")),
            "icb_id": spec.get("icb"),
            "is_superuser": spec["role"] == Role.SITE_ADMIN,
            "is_active": True,
        }
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            user = User(email=spec["email"], email_verified_at=timezone.now(), **fields)
            user.set_password(DEMO_PASSWORD)
            user.save()
            users_created += 1
        else:
            for name, value in fields.items():
                setattr(user, name, value)
            user.save()
    return practices_created, users_created
