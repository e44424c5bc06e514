"""Which referral services a result points to, from the directory for the clinician's ICB."""

from screening.models import Screening

# Service types offered for every result, then those a flag adds.
ALWAYS = ("stalking_advocacy", "helpline", "police", "victim_support")
BY_FLAG = {
    "ptsd_assessment": ("mental_health",),
    "urgent_mental_health": ("mental_health",),
    "domestic_abuse": ("domestic_abuse",),
    "safeguarding": ("safeguarding",),
}


def service_types_for(flags: set[str]) -> list[str]:
    """Return the service types relevant to these flags, in a stable order."""
    types = list(ALWAYS)
    for flag in sorted(flags):
        for service_type in BY_FLAG.get(flag, ()):
            if service_type not in types:
                types.append(service_type)
    return types


def support_services(screening: Screening) -> list:
    """Return the directory's services for the screening's ICB (local first, then national)."""
    from referrals.selectors import services_for_icb

    return services_for_icb(screening.icb, types=service_types_for(screening.flags))
