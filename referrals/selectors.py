"""Reads for the referral directory, and the one place that decides who may curate what."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import ICB, Practice
from referrals import oruk, records, rules
from referrals.models import SELF_REFERRAL_ROUTES, Service, ServiceChange, ServiceType

_AREA = Service.area_icbs.through

#: Sorts services by their type's place in `ServiceType` (specialist stalking help first).
TYPE_ORDER = Case(
    *[When(service_type=value, then=Value(i)) for i, value in enumerate(ServiceType.values)],
    default=Value(len(ServiceType.values)),
    output_field=IntegerField(),
)


# --- Who may curate what -------------------------------------------------------------------


def may_curate(user) -> bool:
    """Return True for users who look after directory entries: ICB admins and site admins."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_site_admin or (user.is_icb_admin and user.icb_id))
    )


def editable_services(user) -> QuerySet[Service]:
    """Return the services this user may edit, retire and re-check.

    Site admins may edit every service, national ones included. An ICB admin may edit only
    services whose area is exactly within their own ICB: listed for their ICB and for no
    other, and not national. Everyone else may edit none.
    """
    if not may_curate(user):
        return Service.objects.none()
    if user.is_site_admin:
        return Service.objects.all()
    return Service.objects.filter(
        Exists(_AREA.objects.filter(service=OuterRef("pk"), icb_id=user.icb_id)),
        ~Exists(_AREA.objects.filter(service=OuterRef("pk")).exclude(icb_id=user.icb_id)),
        is_national=False,
    )


def may_edit(user, service: Service) -> bool:
    """Return True when the user may change this service (see `editable_services`)."""
    return editable_services(user).filter(pk=service.pk).exists()


def may_assign_area(user, *, is_national: bool, icb_codes: Iterable[str]) -> bool:
    """Return True when the user may list a service in this area.

    An area is national or one or more ICBs, never both. Site admins may choose any area;
    an ICB admin only their own ICB, alone.
    """
    codes = set(icb_codes)
    if is_national == bool(codes):
        return False
    if not may_curate(user):
        return False
    if user.is_site_admin:
        return True
    return not is_national and codes == {user.icb_id}


def require_curator(user) -> None:
    """Refuse with 403 anyone who does not curate the directory."""
    if not may_curate(user):
        raise PermissionDenied("Only ICB admins and site admins manage the directory")


def service_for_editor(user, pk) -> Service:
    """Return a service the user may edit: 403 for non-curators, 404 for others' services.

    A 404 rather than a 403 for another ICB's service, so the page does not confirm that an
    entry exists outside the admin's area.
    """
    require_curator(user)
    return get_object_or_404(
        editable_services(user).select_related("organisation", "location", "verified_by"), pk=pk
    )


# --- The directory ---------------------------------------------------------------------------


def icb_sort_key(icb: ICB) -> tuple[str, str]:
    """Return the key ICBs sort by as people read them: case and the "NHS " prefix ignored.

    Lists show short names ("West Yorkshire ICB"), so "NHS " must not decide the order, and a
    name entered in lower case must not be sent to the end.
    """
    name = icb.name.strip().casefold()
    return name.removeprefix("nhs ").lstrip(), icb.ods_code


def current_icbs() -> list[ICB]:
    """Return the ICBs in existence today, by name (see `icb_sort_key`), for choosing an area."""
    return sorted(ICB.objects.current(), key=icb_sort_key)


def home_icb_code(user) -> str | None:
    """Return the ODS code of the ICB the user administers or works in, with one query at most."""
    if not user.is_authenticated:
        return None
    if user.icb_id:
        return user.icb_id
    if user.practice_id:
        return Practice.objects.filter(pk=user.practice_id).values_list("icb_id", flat=True).first()
    return None


def _check_types(types: Iterable[str]) -> list[str]:
    values = list(types)
    unknown = sorted(set(values) - set(ServiceType.values))
    if unknown:
        raise ValueError(f"Unknown service types: {', '.join(unknown)}")
    return values


def directory_services(
    icb: ICB | str | None, *, types: Iterable[str] | None = None, self_referral: bool = False
) -> list[Service]:
    """Return current services for an ICB area: its local services first, then national ones.

    Within each group, specialist stalking help comes first (the order of `ServiceType`), then
    by name. With no ICB, only national services. One query, whatever the number of services.
    """
    code = icb.pk if isinstance(icb, ICB) else icb
    area = Q(is_national=True)
    if code:
        area |= Q(Exists(_AREA.objects.filter(service=OuterRef("pk"), icb_id=code)))
    services = Service.objects.current().for_cards().filter(area)
    if types is not None:
        services = services.filter(service_type__in=_check_types(types))
    if self_referral:
        services = services.filter(referral_route__in=SELF_REFERRAL_ROUTES)
    return list(services.order_by("is_national", TYPE_ORDER, "name", "id"))


def services_for_icb(icb: ICB | str | None, *, types: Iterable[str] | None = None) -> list[Service]:
    """Return current services whose area includes the ICB, then national services.

    `icb` is an ICB or its ODS code; `types` optionally limits the result to those
    `ServiceType` values. Each service comes with its organisation and location, so showing
    them as cards needs no further queries.
    """
    return directory_services(icb, types=types)


@dataclass(frozen=True)
class Directory:
    """The directory for one ICB area, split for display: local services, then national."""

    icb: ICB | None
    local: list[Service]
    national: list[Service]

    @property
    def is_empty(self) -> bool:
        return not (self.local or self.national)


def directory(
    icb: ICB | None, *, service_type: str | None = None, self_referral: bool = False
) -> Directory:
    """Return the directory for an ICB (or national services only when there is none)."""
    services = directory_services(
        icb, types=[service_type] if service_type else None, self_referral=self_referral
    )
    return Directory(
        icb=icb,
        local=[s for s in services if not s.is_national],
        national=[s for s in services if s.is_national],
    )


@dataclass(frozen=True)
class ServicePage:
    """One current service as clinicians see it, with the values its page shows ready to show.

    Holds nothing for curators only: who checked the entry, or what is still to check.
    """

    service: Service
    areas: tuple[ICB, ...]

    @property
    def last_checked(self) -> str:
        """Return when the details were last checked, the date only: never who checked them."""
        day = self.service.last_verified_on
        if day is None:
            return "These details have not been checked yet"
        return f"Last checked on {day.day} {day:%B %Y}"

    @property
    def stale_warning(self) -> str:
        """Return the warning to show when the details may be out of date, or ''."""
        verification = self.service.verification
        if verification.status == rules.Verification.NEVER:
            return "Details not checked yet"
        if verification.is_stale:
            return f"Not checked for over {rules.STALE_AFTER_MONTHS} months"
        return ""

    @property
    def gender(self) -> str:
        service = self.service
        return f"{service.get_gender_display()} only" if service.gender else "Any gender"

    @property
    def has_contact_details(self) -> bool:
        service = self.service
        return bool(
            service.phone
            or service.email
            or service.website
            or service.opening_hours
            or service.location_or_none
        )


def service_page(pk) -> ServicePage:
    """Return a current service for its page in the directory; 404 if retired or unknown.

    Any signed-in user may see any current service, national or in any ICB: the directory is
    public data (the Open Referral UK API serves it without a login). Two queries: the
    service with its organisation and location, and its ICB areas.
    """
    entry = get_object_or_404(
        Service.objects.current().for_cards().prefetch_related("area_icbs"), pk=pk
    )
    return ServicePage(service=entry, areas=tuple(sorted(entry.area_icbs.all(), key=icb_sort_key)))


# --- Curation --------------------------------------------------------------------------------


def services_for_editor(user) -> list[Service]:
    """Return every service the user may edit, current ones first, each with its area."""
    return list(
        editable_services(user)
        .select_related("organisation")
        .prefetch_related("area_icbs")
        .order_by(F("retired_at").asc(nulls_first=True), "name", "id")
    )


def service_history(service: Service) -> list[ServiceChange]:
    """Return the service's changes, newest first."""
    return list(service.changes.all())


def current_icbs_with_stalking_services(on: datetime.date | None = None):
    """Return the current ICBs, each annotated with `stalking_services`: its current local
    specialist stalking services (national services do not count)."""
    return ICB.objects.current(on).annotate(
        stalking_services=Count(
            "referral_services",
            filter=Q(
                referral_services__service_type=ServiceType.STALKING_ADVOCACY,
                referral_services__retired_at__isnull=True,
            ),
        )
    )


def icbs_without_stalking_service(on: datetime.date | None = None) -> list[ICB]:
    """Return current ICBs with no current local specialist stalking service, by region.

    National services do not count: the point is to show where no local service exists.
    """
    return list(
        current_icbs_with_stalking_services(on)
        .filter(stalking_services=0)
        .order_by("region", "name")
    )


def services_due_for_check(user, today: datetime.date | None = None) -> list[Service]:
    """Return current services the user may edit that are stale or due within 30 days."""
    today = today or timezone.localdate()
    return list(
        editable_services(user)
        .current()
        .filter(
            Q(last_verified_on__isnull=True)
            | Q(last_verified_on__lte=rules.due_on_or_before(today))
        )
        .select_related("organisation")
        .prefetch_related("area_icbs")
        .order_by(F("last_verified_on").asc(nulls_first=True), "name", "id")
    )


# --- Open Referral UK ------------------------------------------------------------------------


def oruk_services(
    *,
    search: str = "",
    service_type: str | None = None,
    referral_route: str | None = None,
    gender: str | None = None,
    icb_code: str | None = None,
    national: bool = False,
) -> QuerySet[Service]:
    """Return current services for the Open Referral UK API, filtered, in a stable order."""
    services = Service.objects.current().select_related("organisation")
    if search:
        services = services.filter(
            Q(name__icontains=search)
            | Q(description__icontains=search)
            | Q(organisation__name__icontains=search)
        )
    if service_type:
        services = services.filter(service_type=service_type)
    if referral_route:
        services = services.filter(referral_route=referral_route)
    if gender:
        services = services.filter(gender=gender)
    if icb_code:
        services = services.filter(
            Exists(_AREA.objects.filter(service=OuterRef("pk"), icb_id=icb_code))
        )
    if national:
        services = services.filter(is_national=True)
    return services.order_by("name", "id")


def services_with_everything() -> QuerySet[Service]:
    """Return all services (retired too) with everything an export needs, in id order."""
    return (
        Service.objects.select_related("organisation", "location")
        .prefetch_related("area_icbs")
        .order_by("id")
    )


def oruk_document(*, current_only: bool = False) -> list[dict]:
    """Return the whole directory as fully nested ORUK services (what `export_oruk` writes)."""
    services = services_with_everything()
    if current_only:
        services = services.current()
    return [oruk.service_full(service) for service in services]


def directory_csv(services: Iterable[Service]) -> str:
    """Return the services as CSV in the columns `import_oruk` reads back."""
    return records.rows_to_csv([records.service_row(service) for service in services])


def editable_services_for_export(user) -> QuerySet[Service]:
    """Return the services the user may edit, with what a CSV row needs."""
    return (
        editable_services(user)
        .select_related("organisation", "location")
        .prefetch_related("area_icbs")
        .order_by("name", "id")
    )
