"""Open Referral UK v3: the directory as ORUK services, and ORUK services back to flat records.

Where ORUK v3 has a place for a fact we use it; each field's place is its `oruk` path in
`referrals/fields.py` (plain keys are read and written from there), summed up in
`docs/referrals.md`. In short:
service type, referral route, gender and area (national, or each ICB by ODS code) are
`attributes` linking to taxonomy terms; each ICB is also a `service_area`; the phone number is a
contact's phone; opening hours are a schedule's description; the location is a
`service_at_location`. The profile has no field for eligibility in words, referral
instructions, what is still to check or when a service was retired, so those travel in one
extension object, `x_spotting_stalking`.

Nested ids (contacts, phones, schedules, areas, attributes) are derived from the service's id,
so the same directory always exports the same document.
"""

import json
import uuid
from dataclasses import dataclass

from referrals import fields, records
from referrals.models import Gender, ReferralRoute, Service, ServiceType

ORUK_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
EXTENSION = "x_spotting_stalking"

#: Every derived id lives under this namespace (a UUID 5 of the service's name).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://spotting-stalking.nhs.uk/oruk")


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    link_type: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy:{self.key}"))


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"term:{self.taxonomy.key}:{self.code}"))

    def as_oruk(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "term": self.name,
            "description": self.name,
            "taxonomy": self.taxonomy.name,
            "taxonomy_id": self.taxonomy.id,
        }


SERVICE_TYPES = Taxonomy(
    "service_type",
    "Spotting Stalking service types",
    "What kind of help a service gives to someone being stalked.",
    "service_type",
)
REFERRAL_ROUTES = Taxonomy(
    "referral_route",
    "Spotting Stalking referral routes",
    "Whether patients contact the service themselves, a professional refers them, or either.",
    "referral_route",
)
GENDERS = Taxonomy(
    "gender",
    "Spotting Stalking gender-specific services",
    "Present only when a service is for people of one gender.",
    "eligibility",
)
AREAS = Taxonomy(
    "area",
    "NHS Integrated Care Boards (ODS codes)",
    "Where a service is available: 'national', or an Integrated Care Board by its ODS code.",
    "service_area",
)
TAXONOMIES = (SERVICE_TYPES, REFERRAL_ROUTES, GENDERS, AREAS)

NATIONAL_TERM = Term(AREAS, records.NATIONAL, "National: available across England")


def fixed_terms() -> list[Term]:
    """Return the terms that do not depend on the database (all but the ICBs)."""
    return [
        *(Term(SERVICE_TYPES, value, label) for value, label in ServiceType.choices),
        *(Term(REFERRAL_ROUTES, value, label) for value, label in ReferralRoute.choices),
        *(Term(GENDERS, value, label) for value, label in Gender.choices),
        NATIONAL_TERM,
    ]


def icb_term(icb) -> Term:
    return Term(AREAS, icb.ods_code, icb.name)


def all_terms(icbs) -> list[Term]:
    """Return every taxonomy term: the fixed ones, then one per ICB."""
    return [*fixed_terms(), *(icb_term(icb) for icb in icbs)]


def _derived_id(parent: uuid.UUID, what: str) -> str:
    return str(uuid.uuid5(parent, what))


def _keys(service: Service, parent: str) -> dict:
    """Return the fields ORUK carries as plain keys of one object (`fields.oruk_keys`).

    A key with no value is left out, unless ORUK requires it.
    """
    data = {}
    for key, spec in fields.oruk_keys(parent).items():
        if spec.kind == fields.AGE:
            value = records.stored_value(service, spec)
        else:
            value = records.cell(service, spec)
        if spec.oruk_required or value not in ("", None):
            data[key] = value
    return data


def service_summary(service: Service) -> dict:
    """Return the service's one-to-one fields and its organisation (the `/services` list)."""
    return {**_keys(service, ""), "organization": _keys(service, "organization")}


def _attribute(service: Service, term: Term) -> dict:
    return {
        "id": _derived_id(service.id, f"attribute:{term.id}"),
        "link_id": str(service.id),
        "link_type": term.taxonomy.link_type,
        "link_entity": "service",
        "taxonomy_term_id": term.id,
        "taxonomy_term": term.as_oruk(),
    }


def service_full(service: Service) -> dict:
    """Return the fully nested ORUK service (`/services/{id}` and the JSON export).

    Needs the service's organisation, location and area ICBs loaded (see
    `selectors.services_with_everything`), or it queries for them.
    """
    data = service_summary(service)
    icbs = sorted(service.area_icbs.all(), key=lambda icb: icb.ods_code)

    data["contacts"] = []
    if service.phone:
        phone = {"id": _derived_id(service.id, "phone"), "number": service.phone_display}
        if service.phone_notes:
            phone["description"] = service.phone_notes
        data["contacts"].append(
            {"id": _derived_id(service.id, "contact"), "name": "Phone", "phones": [phone]}
        )
    data["schedules"] = []
    if service.opening_hours:
        data["schedules"].append(
            {"id": _derived_id(service.id, "schedule"), "description": service.opening_hours}
        )
    if service.is_national:
        data["service_areas"] = [
            {
                "id": _derived_id(service.id, "area:national"),
                "name": "England",
                "description": NATIONAL_TERM.name,
            }
        ]
    else:
        data["service_areas"] = [
            {"id": _derived_id(service.id, f"area:{icb.ods_code}"), "name": icb.name}
            for icb in icbs
        ]
    data["service_at_locations"] = []
    location = service.location_or_none
    if location is not None:
        address = {
            "id": _derived_id(location.id, "address"),
            "address_1": location.address,
            "city": location.town,
            "country": "GB",
            "address_type": "physical",
        }
        if location.postcode:
            address["postal_code"] = location.postcode
        data["service_at_locations"].append(
            {
                "id": _derived_id(location.id, "service_at_location"),
                "location": {"id": str(location.id), "name": location.name, "addresses": [address]},
            }
        )

    terms = [
        Term(SERVICE_TYPES, service.service_type, service.get_service_type_display()),
        Term(REFERRAL_ROUTES, service.referral_route, service.get_referral_route_display()),
    ]
    if service.gender:
        terms.append(Term(GENDERS, service.gender, service.get_gender_display()))
    terms.extend([NATIONAL_TERM] if service.is_national else [icb_term(icb) for icb in icbs])
    data["attributes"] = [_attribute(service, term) for term in terms]

    data[EXTENSION] = _keys(service, EXTENSION)
    return data


# --- Reading ORUK ----------------------------------------------------------------------------


class _Problems(list):
    def text(self, obj: dict, key: str, where: str = "") -> str:
        value = obj.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.append(f"{where}{key} must be text")
            return ""
        return value

    def items(self, obj: dict, key: str, *, at_most: int | None = None, what: str = "") -> list:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.append(f"{key} must be a list of objects")
            return []
        if at_most is not None and len(value) > at_most:
            self.append(
                f"{key} has {len(value)} entries; this directory keeps at most {at_most} {what}"
            )
            return value[:at_most]
        return value


def _age_text(value, name: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.append(f"{name} must be a number")
        return ""
    if isinstance(value, float):
        if not value.is_integer():
            problems.append(f"{name} {value} is not a whole number")
            return ""
        value = int(value)
    return str(value)


def _id_text(value) -> str:
    """Return an id given as text or a number as text; anything else (a list, say) is ''.

    Never str() of a list or object: a deeply nested one would recurse past Python's limit.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def flat_from_oruk(service, *, term_lookup: dict[str, Term]) -> tuple[dict | None, list[str]]:
    """Return a flat record for one ORUK service object, and any problems with its shape.

    Terms are found by `taxonomy_term_id` in `term_lookup` (every term this directory knows),
    or else by the nested term's taxonomy id and code, so an unknown ICB is reported by code.
    """
    problems = _Problems()
    if not isinstance(service, dict):
        return None, ["is not a JSON object"]
    flat = {}
    for key, spec in fields.oruk_keys("").items():
        if spec.kind == fields.AGE:
            flat[spec.name] = _age_text(service.get(key), key, problems)
        else:
            flat[spec.name] = problems.text(service, key)
    # Missing ids and names are reported with the other checks; these only ORUK requires.
    for key, spec in fields.oruk_keys("").items():
        if spec.oruk_required and not spec.required and key not in service:
            problems.append(f"{key} is missing (Open Referral UK requires it)")

    organisation = service.get("organization")
    if organisation is not None and not isinstance(organisation, dict):
        problems.append("organization must be an object")
    elif organisation is not None:
        for key, spec in fields.oruk_keys("organization").items():
            flat[spec.name] = problems.text(organisation, key, "organization ")

    phones = []
    for contact in problems.items(service, "contacts"):
        phones.extend(problems.items(contact, "phones"))
    if len(phones) > 1:
        problems.append(f"there are {len(phones)} phone numbers; this directory keeps one")
    if phones:
        flat["phone"] = problems.text(phones[0], "number", "phone ")
        flat["phone_notes"] = problems.text(phones[0], "description", "phone ")
    schedules = problems.items(service, "schedules", at_most=1, what="schedule (opening hours)")
    if schedules:
        flat["opening_hours"] = problems.text(schedules[0], "description", "schedule ")

    at_locations = problems.items(service, "service_at_locations", at_most=1, what="location")
    if at_locations:
        location = at_locations[0].get("location")
        if not isinstance(location, dict):
            problems.append("service_at_locations[0] has no location object")
        else:
            flat["location_id"] = problems.text(location, "id", "location ")
            flat["location_name"] = problems.text(location, "name", "location ")
            addresses = problems.items(location, "addresses", at_most=1, what="address")
            if addresses:
                flat["location_address"] = problems.text(addresses[0], "address_1", "address ")
                flat["location_town"] = problems.text(addresses[0], "city", "address ")
                flat["location_postcode"] = problems.text(addresses[0], "postal_code", "address ")

    by_taxonomy: dict[str, list[str]] = {taxonomy.key: [] for taxonomy in TAXONOMIES}
    taxonomy_keys = {taxonomy.id: taxonomy.key for taxonomy in TAXONOMIES}
    for attribute in problems.items(service, "attributes"):
        term = term_lookup.get(_id_text(attribute.get("taxonomy_term_id")))
        if term is not None:
            by_taxonomy[term.taxonomy.key].append(term.code)
            continue
        nested = attribute.get("taxonomy_term")
        nested = nested if isinstance(nested, dict) else {}
        key = taxonomy_keys.get(_id_text(nested.get("taxonomy_id")))
        code = nested.get("code")
        if key and isinstance(code, str) and code:
            by_taxonomy[key].append(code)
        # Attributes from other taxonomies are someone else's classification: ignored.
    for taxonomy, column in (
        (SERVICE_TYPES, "service_type"),
        (REFERRAL_ROUTES, "referral_route"),
        (GENDERS, "gender"),
    ):
        codes = by_taxonomy[taxonomy.key]
        if len(set(codes)) > 1:
            problems.append(f"more than one {column.replace('_', ' ')}: {', '.join(codes)}")
        flat[column] = codes[0] if codes else ""
    flat["area"] = " ".join(by_taxonomy[AREAS.key])

    extension = service.get(EXTENSION)
    if extension is not None and not isinstance(extension, dict):
        problems.append(f"{EXTENSION} must be an object")
    elif extension:
        for key, spec in fields.oruk_keys(EXTENSION).items():
            flat[spec.name] = problems.text(extension, key, f"{EXTENSION} ")
    return flat, list(problems)


def flats_from_document(
    text: str, *, term_lookup: dict[str, Term]
) -> tuple[list[records.Labelled], list[str]]:
    """Return labelled flat records from an ORUK JSON document, and what is wrong with it.

    The document is a list of fully nested services (what `export_oruk` writes), or a page of
    them as the API returns it (`{"contents": [...]}`).
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [
            f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ]
    except RecursionError:
        return [], ["The file is not valid JSON for this directory: it is nested too deeply"]
    except ValueError:  # a number with more digits than Python will convert
        return [], [
            "The file is not valid JSON for this directory: it has a number too long to read"
        ]
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        document = document["contents"]
    if not isinstance(document, list):
        return [], ["The file must hold a list of services, or an object with 'contents'"]
    if len(document) > records.MAX_RECORDS:
        return [], [records.too_many_records()]
    flats = []
    for number, item in enumerate(document, start=1):
        name = item.get("name") if isinstance(item, dict) else None
        label = f"Record {number}" + (f" ({name!r})" if isinstance(name, str) and name else "")
        flat, item_problems = flat_from_oruk(item, term_lookup=term_lookup)
        flats.append((label, flat, item_problems))
    return flats, []
