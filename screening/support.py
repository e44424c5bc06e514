"""Which referral services a result points to, from the directory for the clinician's ICB."""

from collections.abc import Collection, Mapping

from screening import rules
from screening.models import Screening

# Service types offered for every result, then those a flag adds.
ALWAYS = ("stalking_advocacy", "helpline", "police", "victim_support")
BY_FLAG = {
    "unsafe_home": ("domestic_abuse",),
    "ptsd_assessment": ("mental_health",),
    "urgent_mental_health": ("mental_health",),
    "domestic_abuse": ("domestic_abuse",),
    "safeguarding": ("safeguarding",),
}
#: Types whose services are for the people around a young patient too, so never age-filtered.
FOR_ANY_AGE = ("young_people",)
#: The oldest a patient in each band can be, and the youngest.
AGE_RANGE = {"under_16": (0, 15), "16_17": (16, 17), "18_plus": (18, 200)}


def service_types_for(
    *, flags: Collection[str], concern: str, answers: Mapping[str, object]
) -> list[str]:
    """Return the service types relevant to this result, in a stable order.

    MARAC is the high-risk domestic abuse route: shown only for a personally connected case
    (the `domestic_abuse` flag, which excludes under-16s) with high concern.
    """
    types = list(ALWAYS)

    def add(*more):
        types.extend(t for t in more if t not in types)

    for flag in sorted(flags):
        add(*BY_FLAG.get(flag, ()))
    if "domestic_abuse" in flags and concern == rules.Concern.HIGH:
        add("marac")
    if answers.get("patient_age") in rules.YOUNG:
        add("young_people")
    if answers.get("risk_strangulation_sexual") == rules.YES:
        add("sexual_violence")
    return types


def suits_age(service, patient_age: object) -> bool:
    """Return False for a service whose age limits leave out every patient in the age band."""
    if patient_age not in AGE_RANGE or service.service_type in FOR_ANY_AGE:
        return True
    youngest, oldest = AGE_RANGE[patient_age]
    if service.minimum_age is not None and service.minimum_age > oldest:
        return False
    return not (service.maximum_age is not None and service.maximum_age < youngest)


def support_services(screening: Screening) -> list:
    """Return the directory's services for the screening's ICB (local first, then national)."""
    from referrals.selectors import services_for_icb

    answers = screening.answers
    types = service_types_for(flags=screening.flags, concern=screening.concern, answers=answers)
    services = services_for_icb(screening.icb, types=types)
    return [s for s in services if suits_age(s, answers.get("patient_age"))]
