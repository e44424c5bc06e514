"""Factories for directory entries."""

import factory
from django.utils import timezone

from referrals.models import Location, Organisation, ReferralRoute, Service, ServiceType
from tests.factories import icb


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Support Organisation {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A current local service in West Yorkshire unless told otherwise.

    Pass `icbs=["QYG"]` for other areas, or `is_national=True` (and `icbs=[]`).
    """

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Test Service {n}")
    description = "Helps people being stalked."
    service_type = ServiceType.STALKING_ADVOCACY
    referral_route = ReferralRoute.BOTH
    phone = "+441134960999"  # stored as rules.phone_number stores it
    last_verified_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def icbs(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's convention
        if not create:
            return
        codes = ["QWO"] if extracted is None and not obj.is_national else (extracted or [])
        obj.area_icbs.set([icb(code) for code in codes])


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    service = factory.SubFactory(ServiceFactory)
    name = "Hope House"
    address = "1 High Street"
    town = "Leeds"
    postcode = "LS1 4AP"
