"""Writes for the referral directory: curation with a change history, and imports.

Every write checks the same rules as the pages (`selectors.may_edit`, `may_assign_area`), so a
bug in a view cannot widen who may change what. Every change is recorded as a `ServiceChange`
listing each field's value before and after, in the words the pages use.
"""

import codecs
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import ICB
from core.audit import audit_record
from core.middleware import current_request
from core.models import AuditAction
from referrals import fields, oruk, records, rules, selectors
from referrals.models import ChangeAction, Location, Organisation, Service, ServiceChange
from referrals.records import ServiceRecord

SEED_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_SEED = SEED_DIR / "national.yaml"
EXAMPLES_SEED = SEED_DIR / "examples.yaml"
FORMATS = ("json", "csv")
#: The largest file an import reads. The whole national directory is far smaller; the limit
#: keeps a wrong or hostile file from filling memory.
MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ServiceDetails:
    """What a curator enters for a service (see `forms.ServiceForm.details`)."""

    #: The fields entered for the service itself, by attribute (`fields.entered_on(SERVICE)`).
    values: dict[str, object]
    organisation_name: str
    is_national: bool
    icb_codes: tuple[str, ...]
    #: The location's name, address, town and postcode; None when it has no location.
    location: dict[str, str] | None
    submission_id: uuid.UUID | None = None  # the add form's, so a double submit adds one


def snapshot(service: Service) -> dict[str, str]:
    """Return the service's fields as people read them, for recording what changed.

    Labelled and ordered as `fields.IN_HISTORY`; a field not listed here shows as stored.
    """
    location = Location.objects.filter(service_id=service.pk).first()
    icbs = sorted(service.area_icbs.all(), key=lambda icb: icb.name)
    checked_on, checked_by = service.last_verified_on, service.verified_by
    shown = {
        "organisation_name": service.organisation.name,
        "service_type": service.get_service_type_display(),
        "minimum_age": service.age_range,
        "gender": service.get_gender_display() or "Any gender",
        "referral_route": service.get_referral_route_display(),
        "phone": service.phone_display,
        "area": "National" if service.is_national else ", ".join(i.short_name for i in icbs),
        "location_id": location.one_line if location else "",
        "last_verified_on": f"{checked_on.day} {checked_on:%B %Y}" if checked_on else "",
        "verified_by": checked_by.full_name if checked_by else "",
        "status": "Retired" if service.retired_at else "Current",
    }
    return {
        spec.history: shown[spec.name] if spec.name in shown else getattr(service, spec.attr)
        for spec in fields.IN_HISTORY
    }


def _actor_name(actor) -> str:
    return actor.full_name or actor.email


def _record(*, service, actor, action, before, after, when, actor_name=None) -> ServiceChange:
    change = ServiceChange.objects.create(
        service=service,
        changed_at=when,
        changed_by=actor,
        changed_by_name=actor_name or _actor_name(actor),
        action=action,
        changes=rules.changed_fields(before, after),
    )
    audit_record(
        action=AuditAction.DIRECTORY_CHANGED,
        request=current_request.get(),
        actor=actor,
        actor_email="" if actor else (actor_name or ""),
        target=f"{service.name} ({service.pk})",
        detail=f"{action}: {', '.join(c['field'] for c in change.changes)}",
    )
    return change


def _require_editable(actor, service: Service) -> None:
    if not selectors.may_edit(actor, service):
        raise PermissionDenied("You may not change this service")


def _require_area(actor, details: ServiceDetails) -> None:
    if not selectors.may_assign_area(
        actor, is_national=details.is_national, icb_codes=details.icb_codes
    ):
        raise PermissionDenied("You may not list a service in this area")


def _organisation_named(name: str) -> Organisation:
    """Return the organisation with this name (ignoring case), creating it if there is none.

    The name is compatibility-normalised (a Kelvin sign is a K), and found by the database's own
    lower(), the function the unique constraint uses, so the look-up and the constraint always
    agree. Two requests may both find none and both create it; the loser's insert breaks the
    unique name constraint inside its own savepoint, and it takes the winner's organisation.
    """
    name = unicodedata.normalize("NFKC", name)

    def named():
        return (
            Organisation.objects.annotate(lower_name=Lower("name"))
            .filter(lower_name=Lower(Value(name)))
            .first()
        )

    existing = named()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=name)
    except IntegrityError:
        existing = named()
        if existing is None:
            raise
        return existing


def _save_location(
    service: Service, location: dict[str, str] | None, location_id: uuid.UUID | None = None
) -> None:
    """Give the service this location (by attribute), or none; `location_id` if given."""
    existing = Location.objects.filter(service=service).first()
    if location is None:
        if existing:
            existing.delete()
        return
    if existing and location_id not in (None, existing.id):
        existing.delete()
        existing = None
    target = existing or Location(id=location_id or uuid.uuid4(), service=service)
    for attr, value in location.items():
        setattr(target, attr, value)
    target.full_clean(exclude=["service"])
    target.save()


def _apply(service: Service, source: ServiceDetails | ServiceRecord) -> None:
    for attr, value in source.values.items():
        setattr(service, attr, value)
    service.is_national = source.is_national


def _save_service(service: Service, icb_codes) -> None:
    service.full_clean(exclude=["organisation", "verified_by"], validate_unique=False)
    service.save()
    service.area_icbs.set(list(icb_codes))


@transaction.atomic
def service_create(*, actor, details: ServiceDetails) -> Service:
    """Add a service; its details count as checked today by the person adding it.

    A repeated submission of the same add form returns the service it added, also when the
    two arrive together: the second's insert then breaks the unique submission id inside a
    savepoint, so its transaction carries on, and it returns the first's service.
    """
    _require_area(actor, details)
    submission_id = details.submission_id
    if submission_id is not None:
        existing = Service.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            if selectors.may_edit(actor, existing):
                return existing
            submission_id = None  # only a tampered form could reuse someone else's id
    now = timezone.now()
    service = Service(
        organisation=_organisation_named(details.organisation_name),
        created_at=now,
        updated_at=now,
        last_verified_on=timezone.localdate(),
        verified_by=actor,
        submission_id=submission_id,
    )
    _apply(service, details)
    try:
        with transaction.atomic():
            _save_service(service, details.icb_codes)
    except IntegrityError:
        # A simultaneous request saved the same form between the check above and the insert.
        existing = (
            Service.objects.filter(submission_id=submission_id).first() if submission_id else None
        )
        if existing is None or not selectors.may_edit(actor, existing):
            raise
        return existing
    _save_location(service, details.location)
    _record(
        service=service,
        actor=actor,
        action=ChangeAction.CREATED,
        before={},
        after=snapshot(service),
        when=now,
    )
    return service


@transaction.atomic
def service_update(*, actor, service: Service, details: ServiceDetails, checked: bool) -> Service:
    """Change a service's details, and mark them checked today when `checked` is True.

    Saving without a change records nothing.
    """
    _require_editable(actor, service)
    _require_area(actor, details)
    before = snapshot(service)
    now = timezone.now()
    if service.organisation.name != details.organisation_name:
        service.organisation = _organisation_named(details.organisation_name)
    _apply(service, details)
    if checked:
        service.last_verified_on = timezone.localdate()
        service.verified_by = actor
    _save_service(service, details.icb_codes)
    _save_location(service, details.location)
    after = snapshot(service)
    changes = rules.changed_fields(before, after)
    if not changes:
        return service
    only_checked = {c["field"] for c in changes} <= {"Last checked", "Checked by"}
    service.updated_at = now
    service.save(update_fields=["updated_at"])
    _record(
        service=service,
        actor=actor,
        action=ChangeAction.VERIFIED if only_checked else ChangeAction.UPDATED,
        before=before,
        after=after,
        when=now,
    )
    return service


def _change_state(*, actor, service: Service, action: str, apply) -> Service:
    _require_editable(actor, service)
    before = snapshot(service)
    now = timezone.now()
    apply(now)
    after = snapshot(service)
    if before != after:
        service.updated_at = now
        service.save()
        _record(service=service, actor=actor, action=action, before=before, after=after, when=now)
    return service


@transaction.atomic
def service_verify(*, actor, service: Service) -> Service:
    """Record that the actor checked the service's details today."""

    def apply(now):
        service.last_verified_on = timezone.localdate()
        service.verified_by = actor

    return _change_state(actor=actor, service=service, action=ChangeAction.VERIFIED, apply=apply)


@transaction.atomic
def service_retire(*, actor, service: Service) -> Service:
    """Take a service out of the directory, keeping it and its history."""
    _require_editable(actor, service)
    if service.retired_at:
        return service

    def apply(now):
        service.retired_at = now

    return _change_state(actor=actor, service=service, action=ChangeAction.RETIRED, apply=apply)


@transaction.atomic
def service_reinstate(*, actor, service: Service) -> Service:
    """Put a retired service back in the directory."""
    _require_editable(actor, service)
    if not service.retired_at:
        return service

    def apply(now):
        service.retired_at = None

    return _change_state(actor=actor, service=service, action=ChangeAction.REINSTATED, apply=apply)


# --- Imports ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _database_conflicts(service_records: list[ServiceRecord]) -> list[str]:
    """Return the problems only the database can show: names and ids already used elsewhere."""
    problems = []
    names = {r.organisation["name"].casefold(): r for r in service_records}
    renamed = {r.organisation_id: r.organisation["name"].casefold() for r in service_records}
    for organisation in Organisation.objects.annotate(key=Lower("name")).filter(
        key__in=list(names)
    ):
        record = names[organisation.key]
        if organisation.id != record.organisation_id and renamed.get(organisation.id) in (
            None,
            organisation.key,
        ):
            problems.append(
                f"Service {record.id}: organisation name {record.organisation['name']!r} already "
                f"belongs to organisation {organisation.id} in the directory"
            )
    wanted = {r.location_id: r.id for r in service_records if r.location}
    for location_id, service_id in Location.objects.filter(id__in=list(wanted)).values_list(
        "id", "service_id"
    ):
        if service_id != wanted[location_id]:
            problems.append(
                f"Service {wanted[location_id]}: location {location_id} already belongs to "
                f"service {service_id}"
            )
    return problems


def _import_organisations(service_records, *, update_existing: bool) -> dict:
    organisations = {
        o.id: o
        for o in Organisation.objects.filter(id__in={r.organisation_id for r in service_records})
    }
    for record in service_records:
        wanted = record.organisation
        organisation = organisations.get(record.organisation_id)
        if organisation is None:
            organisation = Organisation(id=record.organisation_id, **wanted)
            organisation.full_clean(validate_unique=False, validate_constraints=False)
            organisation.save()
            organisations[organisation.id] = organisation
        elif update_existing and any(getattr(organisation, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(organisation, key, value)
            organisation.save()
    return organisations


def _import_service(record: ServiceRecord, *, existing, organisation, now, source) -> str:
    service = existing
    before = snapshot(service) if service else {}
    if service is None:
        service = Service(id=record.id, created_at=now)
    previous_check = service.last_verified_on
    service.organisation = organisation
    _apply(service, record)
    service.last_verified_on = record.last_verified_on
    if existing is None or previous_check != record.last_verified_on:
        # Who checked is not part of the open format, so a new check date has no checker here.
        service.verified_by = None
    service.retired_at = record.retired_at
    if existing is None:
        service.updated_at = record.last_modified or now
    _save_service(service, record.icb_codes)
    _save_location(service, record.location, record.location_id)
    after = snapshot(service)
    if existing is not None and before == after:
        return "unchanged"
    if existing is not None:
        service.updated_at = record.last_modified or now
        service.save(update_fields=["updated_at"])
    _record(
        service=service,
        actor=None,
        actor_name=source,
        action=ChangeAction.IMPORTED,
        before=before,
        after=after,
        when=now,
    )
    return "created" if existing is None else "updated"


def directory_import(
    *, service_records: list[ServiceRecord], source: str, update_existing: bool = True
) -> ImportResult:
    """Create or update services from checked records: all of them, or none if any fails.

    Services not in the records are left as they are. With `update_existing` False, records
    whose service is already in the directory are skipped, so reloading seed data keeps
    what curators have changed since.
    """
    result = ImportResult(errors=_database_conflicts(service_records))
    if result.errors:
        return result
    now = timezone.now()
    try:
        with transaction.atomic():
            existing = {
                s.id: s
                for s in Service.objects.select_related("organisation", "verified_by")
                .prefetch_related("area_icbs")
                .filter(id__in=[r.id for r in service_records])
            }
            todo = [r for r in service_records if update_existing or r.id not in existing]
            result.unchanged = len(service_records) - len(todo)
            organisations = _import_organisations(todo, update_existing=update_existing)
            for record in todo:
                outcome = _import_service(
                    record,
                    existing=existing.get(record.id),
                    organisation=organisations[record.organisation_id],
                    now=now,
                    source=source,
                )
                setattr(result, outcome, getattr(result, outcome) + 1)
    except IntegrityError as exc:
        return ImportResult(errors=[f"The database refused the import, so nothing changed: {exc}"])
    return result


def _labelled_from(
    text: str, fmt: str, icbs: list[ICB]
) -> tuple[list[records.Labelled], list[str]]:
    if fmt == "json":
        lookup = {term.id: term for term in oruk.all_terms(icbs)}
        return oruk.flats_from_document(text, term_lookup=lookup)
    if fmt == "csv":
        return records.flats_from_csv(text)
    raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _import_labelled(
    labelled: list[records.Labelled], *, icbs: list[ICB], source: str, update_existing: bool
) -> ImportResult:
    checked = records.check_records(
        labelled, icb_codes={icb.ods_code for icb in icbs}, today=timezone.localdate()
    )
    if not checked.ok:
        return ImportResult(errors=checked.errors)
    return directory_import(
        service_records=checked.records, source=source, update_existing=update_existing
    )


def _too_large() -> ImportResult:
    return ImportResult(
        errors=[
            f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, the most one "
            "import reads: split it into smaller files"
        ]
    )


def directory_import_bytes(
    *, data: bytes, fmt: str, source: str, update_existing: bool = True
) -> ImportResult:
    """Check a whole file's bytes (UTF-8, with or without a byte order mark), then import it.

    A file that is too large or not UTF-8 is reported like any other bad file.
    """
    if len(data) > MAX_IMPORT_BYTES:
        return _too_large()
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = len(data) - len(body) + exc.start + 1
        return ImportResult(
            errors=[
                f"The file is not UTF-8 text: byte {position:,} is 0x{body[exc.start]:02x}. "
                "Save it as UTF-8 and try again"
            ]
        )
    return directory_import_text(text=text, fmt=fmt, source=source, update_existing=update_existing)


def directory_import_text(
    *, text: str, fmt: str, source: str, update_existing: bool = True
) -> ImportResult:
    """Check a whole ORUK JSON or CSV file, then import it all or nothing.

    Every problem in every record is reported, so the file can be corrected in one go.
    """
    if len(text) > MAX_IMPORT_BYTES:
        return _too_large()
    icbs = list(ICB.objects.all())
    labelled, problems = _labelled_from(text, fmt, icbs)
    if problems:
        return ImportResult(errors=problems)
    return _import_labelled(labelled, icbs=icbs, source=source, update_existing=update_existing)


def seed_load(*, examples: bool = False, update_existing: bool = False) -> ImportResult:
    """Load the national services, and the example local services if asked, from `data/`.

    Services already present are kept as curators left them unless `update_existing` is True.
    """
    labelled, problems = [], []
    for path in [NATIONAL_SEED, *([EXAMPLES_SEED] if examples else [])]:
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{path.name} is not valid YAML: {exc}")
            continue
        except RecursionError:
            problems.append(f"{path.name} is not valid seed data: it is nested too deeply")
            continue
        file_labelled, file_problems = records.flats_from_seed(entries)
        labelled.extend((f"{path.name}, {label}", flat, p) for label, flat, p in file_labelled)
        problems.extend(f"{path.name}: {problem}" for problem in file_problems)
    if problems:
        return ImportResult(errors=problems)
    return _import_labelled(
        labelled, icbs=list(ICB.objects.all()), source="Seed data", update_existing=update_existing
    )
