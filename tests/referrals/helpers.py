"""Shared test data for the service form and the service layer."""

from referrals.services import ServiceDetails


def form_data(**overrides) -> dict:
    """Return a valid service form submission, with any fields overridden."""
    data = {
        "name": "Calder Valley Stalking Advocacy",
        "organisation": "Calder Support",
        "service_type": "stalking_advocacy",
        "description": "Advocacy for people being stalked.",
        "minimum_age": "16",
        "maximum_age": "",
        "gender": "",
        "eligibility": "People who live in Calderdale.",
        "referral_route": "both",
        "referral_instructions": "Send the referral form with the DASH.",
        "phone": "0113 496 0500",
        "phone_notes": "",
        "email": "calder@example.org",
        "website": "https://example.org/calder",
        "opening_hours": "Weekdays, 9am to 5pm",
        "location_name": "",
        "location_address": "",
        "location_town": "",
        "location_postcode": "",
        "verification_note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def details(**overrides) -> ServiceDetails:
    """Return service details as the form would hand them to the service layer.

    Overrides name a field of `ServiceDetails` or one of the service's own entered fields.
    """
    values = {
        "name": "Calder Valley Stalking Advocacy",
        "service_type": "stalking_advocacy",
        "description": "Advocacy for people being stalked.",
        "minimum_age": None,
        "maximum_age": None,
        "gender": "",
        "eligibility": "",
        "referral_route": "both",
        "referral_instructions": "",
        "phone": "0113 496 0500",
        "phone_notes": "",
        "email": "",
        "website": "",
        "opening_hours": "",
        "verification_note": "",
    }
    others = {
        "organisation_name": "Calder Support",
        "is_national": False,
        "icb_codes": ("QWO",),
        "location": None,
    }
    for key, value in overrides.items():
        (values if key in values else others)[key] = value
    return ServiceDetails(values=values, **others)
