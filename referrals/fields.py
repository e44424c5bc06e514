"""The one specification of a directory entry's fields.

The model's column sizes, the service form, the import and export records (CSV columns, in
this order), the change history and the Open Referral UK mapping all read `FIELDS`, so a limit
set here holds everywhere: whatever an import takes, the form takes too, and an imported entry
can always be edited.

Plain data only: nothing here imports the rest of the app.
"""

import functools
from dataclasses import dataclass

# What a field holds, which decides how it is asked for, checked and written out.
ID = "id"  # a UUID
TEXT = "text"  # one line
LONG_TEXT = "long_text"  # paragraphs
CHOICE = "choice"  # one of a model's TextChoices
AGE = "age"  # a whole number of years, or none
PHONE = "phone"  # stored as `rules.phone_number` stores it, shown as `rules.phone_display`
EMAIL = "email"
URL = "url"  # http or https only
POSTCODE = "postcode"  # stored as `rules.normalise_postcode` writes it
AREA = "area"  # 'national', or ICB ODS codes
DATE = "date"
TIMESTAMP = "timestamp"
PERSON = "person"
STATUS = "status"  # active, inactive or defunct, worked out from `retired_at`

# Where a field is stored (the first part of `Field.stored`); "" is the service itself.
SERVICE, ORGANISATION, LOCATION = "", "organisation", "location"


@dataclass(frozen=True)
class Field:
    """One field of a directory entry."""

    #: Its key in a flat record, which is also its CSV column.
    name: str
    kind: str = TEXT
    #: The longest text taken, in characters, after line endings (and postcodes) are put in
    #: their stored form. The model, the form and every import use this one number.
    max_length: int | None = None
    #: An entry cannot be saved or imported without it.
    required: bool = False
    #: Its label on the service form; "" when the form does not ask for it.
    label: str = ""
    #: The form field's name, where it is not `name`.
    form_field: str = ""
    #: Where it is kept: a `Service` attribute, or 'organisation.<attribute>' or
    #: 'location.<attribute>'; "" when it is worked out from other fields.
    stored: str = ""
    #: Its label in the change history, in the words the pages use; "" when not shown there.
    history: str = ""
    #: Where Open Referral UK v3 carries it: a key path (list items as [0]), or a note.
    oruk: str = ""
    #: Open Referral UK requires the key, so it is written even when empty.
    oruk_required: bool = False
    #: It is a CSV column and a flat record key; False for who checked (personal data).
    exported: bool = True
    #: For a plain field the form does not lay out by hand: its hint, and the part of the form
    #: it goes in (the heading of one of the form's groups, or "" for the first part).
    hint: str = ""
    section: str = ""

    @property
    def form_name(self) -> str:
        return self.form_field or self.name

    @property
    def owner(self) -> str:
        """Return what keeps the value: SERVICE, ORGANISATION or LOCATION."""
        return self.stored.rpartition(".")[0]

    @property
    def attr(self) -> str:
        """Return the attribute that holds the value on its owner."""
        return self.stored.rpartition(".")[2]

    @property
    def words(self) -> str:
        """Return the name as the import's messages write it: 'organisation id'."""
        return self.name.replace("_", " ")


_PHONE = "contacts[0].phones[0]"
_LOCATION = "service_at_locations[0].location"
_ADDRESS = f"{_LOCATION}.addresses[0]"
_EXTENSION = "x_spotting_stalking"  # `oruk.EXTENSION`: the UK profile has no field for these

FIELDS = (
    Field("id", ID, required=True, stored="id", oruk="id"),
    Field(
        "name",
        max_length=200,
        required=True,
        label="Service name",
        stored="name",
        history="Name",
        oruk="name",
    ),
    Field(
        "description",
        LONG_TEXT,
        max_length=5000,
        required=True,
        label="What the service does",
        stored="description",
        history="What it does",
        oruk="description",
    ),
    Field(
        "service_type",
        CHOICE,
        required=True,
        label="Type of service",
        stored="service_type",
        history="Type",
        oruk="attributes: a term in the service type taxonomy",
    ),
    Field("organisation_id", ID, required=True, stored="organisation.id", oruk="organization.id"),
    Field(
        "organisation_name",
        max_length=200,
        required=True,
        label="Organisation that runs it",
        form_field="organisation",
        stored="organisation.name",
        history="Organisation",
        oruk="organization.name",
    ),
    Field(
        "organisation_description",
        LONG_TEXT,
        max_length=5000,
        stored="organisation.description",
        oruk="organization.description",
        oruk_required=True,
    ),
    Field(
        "organisation_website",
        URL,
        max_length=500,
        stored="organisation.website",
        oruk="organization.website",
    ),
    Field(
        "organisation_email",
        EMAIL,
        max_length=254,
        stored="organisation.email",
        oruk="organization.email",
    ),
    Field(
        "minimum_age",
        AGE,
        label="Youngest age (optional)",
        stored="minimum_age",
        history="Ages",  # both ages, as one range
        oruk="minimum_age",
    ),
    Field(
        "maximum_age",
        AGE,
        label="Oldest age (optional)",
        stored="maximum_age",
        oruk="maximum_age",
    ),
    Field(
        "gender",
        CHOICE,
        label="Is the service only for people of one gender?",
        stored="gender",
        history="Gender",
        oruk="attributes: a term in the gender taxonomy, none for any gender",
    ),
    Field(
        "eligibility",
        LONG_TEXT,
        max_length=5000,
        label="Who the service is for (optional)",
        stored="eligibility",
        history="Who it is for",
        oruk=f"{_EXTENSION}.eligibility",
    ),
    Field(
        "referral_route",
        CHOICE,
        required=True,
        label="How do people get to the service?",
        stored="referral_route",
        history="How people are referred",
        oruk="attributes: a term in the referral route taxonomy",
    ),
    Field(
        "referral_instructions",
        LONG_TEXT,
        max_length=5000,
        label="How to refer (optional)",
        stored="referral_instructions",
        history="How to refer",
        oruk=f"{_EXTENSION}.referral_instructions",
    ),
    Field(
        "phone",
        PHONE,
        max_length=30,
        label="Phone number (optional)",
        stored="phone",
        history="Phone",
        oruk=f"{_PHONE}.number",
    ),
    Field(
        "phone_notes",
        max_length=300,
        label="About the phone line (optional)",
        stored="phone_notes",
        history="About the phone line",
        oruk=f"{_PHONE}.description",
    ),
    Field(
        "email",
        EMAIL,
        max_length=254,
        label="Email address (optional)",
        stored="email",
        history="Email",
        oruk="email",
    ),
    Field(
        "website",
        URL,
        max_length=500,
        label="Website (optional)",
        stored="website",
        history="Website",
        oruk="url",
        oruk_required=True,  # by the UK profile: "" when there is none
    ),
    Field(
        "opening_hours",
        max_length=500,
        label="Opening hours (optional)",
        stored="opening_hours",
        history="Opening hours",
        oruk="schedules[0].description",
    ),
    Field(
        "area",
        AREA,
        required=True,
        history="Area",
        oruk="attributes: a term in the area taxonomy for each ICB, or national; and service_areas",
    ),
    Field(
        "location_id",
        ID,
        stored="location.id",
        history="Location",  # the whole location, on one line
        oruk=f"{_LOCATION}.id",
    ),
    Field(
        "location_name",
        max_length=200,
        label="Building or place name (optional)",
        stored="location.name",
        oruk=f"{_LOCATION}.name",
    ),
    Field(
        "location_address",
        max_length=200,
        label="Address line",
        stored="location.address",
        oruk=f"{_ADDRESS}.address_1",
    ),
    Field(
        "location_town",
        max_length=100,
        label="Town or city",
        stored="location.town",
        oruk=f"{_ADDRESS}.city",
    ),
    Field(
        "location_postcode",
        POSTCODE,
        max_length=8,
        label="Postcode (optional)",
        stored="location.postcode",
        oruk=f"{_ADDRESS}.postal_code",
    ),
    Field(
        "last_verified_on",
        DATE,
        stored="last_verified_on",
        history="Last checked",
        oruk="assured_date",
    ),
    Field(
        "verified_by",
        PERSON,
        stored="verified_by",
        history="Checked by",
        oruk="never published (assurer_email would be personal data)",
        exported=False,
    ),
    Field(
        "verification_note",
        max_length=300,
        label="Anything still to check (optional)",
        stored="verification_note",
        history="Still to check",
        oruk=f"{_EXTENSION}.verification_note",
    ),
    Field("status", STATUS, history="Status", oruk="status", oruk_required=True),
    Field("retired_at", TIMESTAMP, stored="retired_at", oruk=f"{_EXTENSION}.retired_at"),
    Field("last_modified", TIMESTAMP, stored="updated_at", oruk="last_modified"),
)

BY_NAME = {field.name: field for field in FIELDS}
EXPORTED = tuple(field for field in FIELDS if field.exported)
#: The flat record's keys and the CSV export's header, in order.
COLUMNS = tuple(field.name for field in EXPORTED)
ON_FORM = tuple(field for field in FIELDS if field.label)
IN_HISTORY = tuple(field for field in FIELDS if field.history)


def limit(name: str) -> int:
    """Return the longest text the named field takes (for the model's column sizes)."""
    return BY_NAME[name].max_length


def stored_on(owner: str) -> tuple[Field, ...]:
    """Return the fields kept on SERVICE, ORGANISATION or LOCATION."""
    return tuple(field for field in FIELDS if field.stored and field.owner == owner)


def entered_on(owner: str) -> tuple[Field, ...]:
    """Return the fields on `owner` that curators enter on the form (and imports bring)."""
    return tuple(field for field in stored_on(owner) if field.label)


#: What a plain field holds: text the model, form and imports handle with no code of their own.
PLAIN = (TEXT, LONG_TEXT)


def plain_on(owner: str) -> tuple[Field, ...]:
    """Return the plain text fields kept on `owner`, which need nothing but their entry here.

    The model gives each one it does not declare a column (`models.add_plain_columns`) and the
    service form a text field in its `section` (`forms.ServiceForm`); records, history and the
    Open Referral UK mapping already read every field from `FIELDS`.
    """
    return tuple(field for field in stored_on(owner) if field.kind in PLAIN)


@functools.cache
def oruk_keys(parent: str) -> dict[str, Field]:
    """Return the fields Open Referral UK carries as plain keys of one object, by key.

    `parent` is "" for the service object itself, 'organization', or the extension's name.
    """
    found = {}
    for field in FIELDS:
        path, _, key = field.oruk.rpartition(".")
        if path == parent and key.isidentifier():
            found[key] = field
    return found
