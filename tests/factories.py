"""factory_boy factories for the models every test needs."""

import factory
from django.utils import timezone

from accounts.models import ICB, Practice, ProfessionalRole, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


def icb(code: str) -> ICB:
    """Return a reference-data ICB by its ODS code (loaded by the migrations)."""
    return ICB.objects.get(pk=code)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        django_get_or_create = ("ods_code",)

    ods_code = factory.Sequence(lambda n: f"Y{n:05d}")
    name = factory.Sequence(lambda n: f"Test Practice {n}")
    postcode = "LS1 1AA"
    icb = factory.LazyFunction(lambda: icb("QWO"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@nhs.net")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.CLINICIAN
    professional_role = ProfessionalRole.GP
    practice = factory.SubFactory(PracticeFactory)
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's convention
        if create:
            obj.save()


class ICBAdminFactory(UserFactory):
    role = Role.ICB_ADMIN
    professional_role = ""
    practice = None
    icb = factory.LazyFunction(lambda: icb("QWO"))


class SiteAdminFactory(UserFactory):
    role = Role.SITE_ADMIN
    professional_role = ""
    practice = None
    is_superuser = True
