"""Directory entries as flat records: checked the same way whether they come from Open Referral
UK JSON, a CSV file or the seed data, and written out as CSV.

A flat record is a mapping of `fields.COLUMNS` to text (CSV cells, or values taken out of an
ORUK service by `referrals.oruk`). `check_records` turns a list of them into `ServiceRecord`s
and a list of every problem found, each naming its record, so a whole file can be fixed at once.
"""

import csv
import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_date, parse_datetime

from core.csvsafe import SafeDictWriter, unsafe_cell
from referrals import fields, rules
from referrals.fields import COLUMNS, LOCATION, ORGANISATION, SERVICE
from referrals.models import Gender, ReferralRoute, Service, ServiceType

NATIONAL = "national"
#: The most services one import takes; England's whole directory is a small fraction of it.
MAX_RECORDS = 10_000
ACTIVE, INACTIVE, DEFUNCT = "active", "inactive", "defunct"
STATUSES = (ACTIVE, INACTIVE, DEFUNCT)
#: The problem a missing required field is, where "<name> is missing" says too little.
MISSING = {"area": "area is missing: give 'national' or the ODS codes of ICBs"}

_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class ServiceRecord:
    """One checked directory entry, ready for `services.directory_import`.

    Values are keyed by the attribute that keeps them (`fields.Field.attr`).
    """

    id: uuid.UUID
    #: The fields curators enter for the service itself (`fields.entered_on(SERVICE)`).
    values: dict[str, object]
    organisation_id: uuid.UUID
    #: The organisation's name, description, website and email.
    organisation: dict[str, str]
    is_national: bool
    icb_codes: tuple[str, ...]
    location_id: uuid.UUID | None
    #: The location's name, address, town and postcode; None when it has no location.
    location: dict[str, str] | None
    last_verified_on: datetime.date | None
    retired_at: datetime.datetime | None
    last_modified: datetime.datetime | None


@dataclass
class CheckResult:
    records: list[ServiceRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def timestamp_text(moment: datetime.datetime | None) -> str:
    """Return a moment as ORUK writes it: UTC, to the millisecond, with a Z; '' for none."""
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _age(value: str, name: str, problems: list[str]) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or int(value) > rules.OLDEST_AGE:
        problems.append(f"{name} {value!r} is not an age from 0 to {rules.OLDEST_AGE}")
        return None
    return int(value)


def _timestamp(value: str, name: str, problems: list[str]) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems.append(f"{name} {value!r} is not a date and time with a time zone")
        return None
    # Milliseconds are what Open Referral UK carries; keeping more would not round-trip.
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def _is_unicode_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(flat: dict, name: str) -> str:
    value = flat.get(name)
    return "" if value is None else rules.normalise_text(str(value))


def _stored_form(v: dict[str, str]) -> None:
    """Put the values that have one stored form in it, so limits count what is stored."""
    v["location_postcode"] = rules.normalise_postcode(v["location_postcode"])
    v["area"] = " ".join(v["area"].replace(";", " ").replace(",", " ").split())


def check_flat(
    flat: dict[str, str], *, icb_codes: set[str], today: datetime.date
) -> tuple[ServiceRecord | None, list[str]]:
    """Check one flat record; return the record (or None) and every problem found."""
    problems: list[str] = []
    v = {name: _text(flat, name) for name in COLUMNS}
    raw_postcode = v["location_postcode"]
    _stored_form(v)

    for spec in fields.EXPORTED:
        name, value = spec.name, v[spec.name]
        if "\x00" in value:
            problems.append(f"{name} contains a NUL character")
            v[name] = value = value.replace("\x00", "")
        if not _is_unicode_text(value):
            # A lone surrogate ("\\ud800" in JSON) cannot be stored or written out.
            problems.append(f"{name} contains a character that is not valid Unicode text")
            v[name] = value.encode("utf-8", "replace").decode("utf-8")
        if spec.max_length and len(v[name]) > spec.max_length:
            problems.append(f"{name} is longer than {spec.max_length} characters")
        if spec.required and not v[name]:
            problems.append(MISSING.get(name, f"{spec.words} is missing"))

    service_id = _uuid(v["id"]) if v["id"] else None
    if v["id"] and service_id is None:
        problems.append(f"id {v['id']!r} is not a UUID")
    if v["service_type"] and v["service_type"] not in ServiceType.values:
        problems.append(
            f"service type {v['service_type']!r} is not one of {', '.join(ServiceType.values)}"
        )
    organisation_id = _uuid(v["organisation_id"]) if v["organisation_id"] else None
    if v["organisation_id"] and organisation_id is None:
        problems.append(f"organisation id {v['organisation_id']!r} is not a UUID")

    ages = {
        spec.name: _age(v[spec.name], spec.words, problems)
        for spec in fields.EXPORTED
        if spec.kind == fields.AGE
    }
    minimum, maximum = ages["minimum_age"], ages["maximum_age"]
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append(f"minimum age {minimum} is above maximum age {maximum}")
    if v["gender"] and v["gender"] not in Gender.values:
        problems.append(f"gender {v['gender']!r} is not one of {', '.join(Gender.values)}")
    if v["referral_route"] and v["referral_route"] not in ReferralRoute.values:
        problems.append(
            f"referral route {v['referral_route']!r} is not one of "
            f"{', '.join(ReferralRoute.values)}"
        )

    if v["phone"]:
        try:
            v["phone"] = rules.phone_number(v["phone"])
        except rules.PhoneNumberError as exc:
            problems.append(f"phone {v['phone']!r} is not accepted: {exc}")
    for spec in fields.EXPORTED:
        value = v[spec.name]
        try:
            if value and spec.kind == fields.EMAIL:
                validate_email(value)
            elif value and spec.kind == fields.URL:
                _url(value)
        except ValidationError:
            what = "an email address" if spec.kind == fields.EMAIL else "a web address"
            problems.append(f"{spec.words} {value!r} is not {what}")
    if not any(v[name] for name in ("phone", "email", "website", "referral_instructions")):
        problems.append("there is no phone, email, website or referral instructions")

    area = v["area"].split()
    is_national = area == [NATIONAL]
    codes = tuple(sorted({code.upper() for code in area}))
    if NATIONAL in area and not is_national:
        problems.append("area is both national and ICBs; a service is one or the other")
    elif area and not is_national:
        unknown = [code for code in codes if code not in icb_codes]
        if unknown:
            problems.append(f"unknown ICB code(s): {', '.join(unknown)}")

    location_id, location = None, None
    location_fields = fields.entered_on(LOCATION)
    if any(v[spec.name] for spec in location_fields):
        if not v["location_address"]:
            problems.append("location address is missing")
        if not v["location_town"]:
            problems.append("location town is missing")
        if v["location_postcode"] and not rules.is_postcode(v["location_postcode"]):
            problems.append(f"location postcode {raw_postcode!r} is not a UK postcode")
        location_id = _uuid(v["location_id"]) if v["location_id"] else None
        if v["location_id"] and location_id is None:
            problems.append(f"location id {v['location_id']!r} is not a UUID")
        elif location_id is None:
            location_id = uuid.uuid5(service_id, "location") if service_id else uuid.uuid4()
        location = {spec.attr: v[spec.name] for spec in location_fields}

    last_verified_on = None
    if v["last_verified_on"]:
        try:
            last_verified_on = parse_date(v["last_verified_on"])
        except ValueError:
            last_verified_on = None
        if last_verified_on is None:
            problems.append(f"last checked date {v['last_verified_on']!r} is not a date")
        elif last_verified_on > today:
            problems.append(f"last checked date {last_verified_on} is in the future")

    status = v["status"].lower() or ACTIVE
    if status not in STATUSES:
        problems.append(f"status {v['status']!r} is not one of {', '.join(STATUSES)}")
    last_modified = _timestamp(v["last_modified"], "last modified", problems)
    retired_at = None
    if status in (INACTIVE, DEFUNCT):
        retired_at = _timestamp(v["retired_at"], "retired at", problems) or last_modified
        if retired_at is None and v["retired_at"] == "":
            problems.append("retired at is missing for a service that is not active")

    if problems:
        return None, problems
    checked = {**v, **ages}
    return (
        ServiceRecord(
            id=service_id,
            values={spec.attr: checked[spec.name] for spec in fields.entered_on(SERVICE)},
            organisation_id=organisation_id,
            organisation={
                spec.attr: v[spec.name]
                for spec in fields.stored_on(ORGANISATION)
                if spec.kind != fields.ID
            },
            is_national=is_national,
            icb_codes=() if is_national else codes,
            location_id=location_id,
            location=location,
            last_verified_on=last_verified_on,
            retired_at=retired_at,
            last_modified=last_modified,
        ),
        [],
    )


#: A flat record as read from a file: its label for messages ("Line 3", "Record 2 ('Name')"),
#: the record (None when it could not be read at all) and the problems reading it.
Labelled = tuple[str, dict[str, str] | None, list[str]]


def check_records(
    labelled: list[Labelled],
    *,
    icb_codes: set[str],
    today: datetime.date,
) -> CheckResult:
    """Check every labelled flat record, and that ids are not repeated across them.

    Each problem is reported as "<label>: <problem>", a record's problems together; the
    result has records only when there are no problems at all.
    """
    result = CheckResult()
    seen_services: dict[str, str] = {}
    seen_locations: dict[uuid.UUID, str] = {}
    organisation_names: dict[uuid.UUID, tuple[str, str]] = {}
    organisation_ids: dict[str, tuple[uuid.UUID, str]] = {}
    for label, flat, read_problems in labelled:
        record, problems = (
            check_flat(flat, icb_codes=icb_codes, today=today) if flat is not None else (None, [])
        )
        problems = [*read_problems, *problems]
        # Checked for every record with an id, valid or not, so a repeat is always reported.
        raw_id = _text(flat or {}, "id")
        service_key = str(_uuid(raw_id) or raw_id)
        if raw_id and service_key in seen_services:
            problems.append(f"id {raw_id} appears again (first in {seen_services[service_key]})")
        elif raw_id:
            seen_services[service_key] = label
        if record is not None:
            if record.location_id is not None:
                if record.location_id in seen_locations:
                    problems.append(
                        f"location id {record.location_id} appears again "
                        f"(first in {seen_locations[record.location_id]})"
                    )
                else:
                    seen_locations[record.location_id] = label
            org_id, org_name = record.organisation_id, record.organisation["name"]
            if org_id in organisation_names and organisation_names[org_id][0] != org_name:
                first_name, first_label = organisation_names[org_id]
                problems.append(
                    f"organisation {org_id} is named {org_name!r} here but {first_name!r} in "
                    f"{first_label}"
                )
            organisation_names.setdefault(org_id, (org_name, label))
            key = org_name.casefold()
            if key in organisation_ids and organisation_ids[key][0] != org_id:
                problems.append(
                    f"organisation name {org_name!r} is used by another organisation id in "
                    f"{organisation_ids[key][1]}"
                )
            organisation_ids.setdefault(key, (org_id, label))
        if problems:
            result.errors.extend(f"{label}: {problem}" for problem in problems)
        else:
            result.records.append(record)
    if not labelled:
        result.errors.append("There are no services in the file")
    if result.errors:
        result.records = []
    return result


# --- CSV -------------------------------------------------------------------------------------


def too_many_records() -> str:
    return f"The file has more than {MAX_RECORDS:,} services, the most one import takes: split it"


def rows_to_csv(rows: list[dict[str, str]]) -> str:
    """Return CSV text with a header of `COLUMNS` and one line per flat record."""
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in COLUMNS})
    return out.getvalue()


def flats_from_csv(text: str) -> tuple[list[Labelled], list[str]]:
    """Return labelled flat records from CSV text, and any problems with the file as a whole."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip() for name in (reader.fieldnames or [])]
    missing = [name for name in ("id", "name", "service_type", "area") if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"Line 1: the header is missing the columns {', '.join(missing)}")
        if unknown:
            problems.append(f"Line 1: unknown columns {', '.join(unknown)}")
        return [], problems
    reader.fieldnames = header
    flats, problems = [], []
    try:
        for row in reader:
            if len(flats) == MAX_RECORDS:
                problems.append(too_many_records())
                break
            label = f"Line {reader.line_num}"
            if None in row:
                flats.append((label, None, [f"too many values (expected {len(header)})"]))
                continue
            flats.append((label, {k: unsafe_cell(v or "") for k, v in row.items()}, []))
    except csv.Error as exc:
        problems.append(f"Line {reader.line_num}: not valid CSV ({exc})")
    return flats, problems


def flats_from_seed(entries) -> tuple[list[Labelled], list[str]]:
    """Return labelled flat records from the seed data's YAML entries."""
    if not isinstance(entries, list):
        return [], ["The seed file must be a list of services"]
    flats, problems = [], []
    for number, entry in enumerate(entries, start=1):
        label = f"Entry {number}"
        if not isinstance(entry, dict):
            flats.append((label, None, ["not a mapping of column to value"]))
            continue
        unknown = sorted(map(str, set(entry) - set(COLUMNS)))
        if unknown:
            flats.append((label, None, [f"unknown keys {', '.join(unknown)}"]))
            continue
        flat, nested = {}, []
        for key, value in entry.items():
            if isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(item, dict | list) for item in value)
            ):
                nested.append(str(key))
                continue
            if isinstance(value, list):
                value = " ".join(str(item) for item in value)
            elif isinstance(value, datetime.date | datetime.datetime):
                value = value.isoformat()
            flat[key] = "" if value is None else str(value)
        if nested:
            problem = (
                f"{', '.join(nested)}: give text or a list of values, not a nested list or mapping"
            )
            flats.append((label, None, [problem]))
            continue
        flats.append((label, flat, []))
    return flats, problems


def stored_value(service: Service, spec: fields.Field):
    """Return the value a service keeps for the field, or None where it has no location."""
    if spec.owner == ORGANISATION:
        owner = service.organisation
    elif spec.owner == LOCATION:
        owner = service.location_or_none
    else:
        owner = service
    return None if owner is None else getattr(owner, spec.attr)


def cell(service: Service, spec: fields.Field) -> str:
    """Return the service's value for the field as flat-record text ('' for none)."""
    if spec.kind == fields.AREA:
        if service.is_national:
            return NATIONAL
        return " ".join(sorted(icb.ods_code for icb in service.area_icbs.all()))
    if spec.kind == fields.STATUS:
        return INACTIVE if service.retired_at else ACTIVE
    value = stored_value(service, spec)
    if spec.kind == fields.PHONE:
        return rules.phone_display(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timestamp_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def service_row(service: Service) -> dict[str, str]:
    """Return the service as a flat record (a CSV row), every value as text."""
    return {spec.name: cell(service, spec) for spec in fields.EXPORTED}
