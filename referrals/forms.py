"""Forms for the referral directory: the directory's filters and the service editor."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from core.layout import Field, Fieldset, Layout, Submit
from referrals import fields, records, rules
from referrals.fields import LOCATION, SERVICE
from referrals.models import Gender, ReferralRoute, ServiceType
from referrals.services import ServiceDetails

AREA_NATIONAL = "national"
AREA_ICBS = "icbs"


class DirectoryFilterForm(forms.Form):
    """Which ICB's directory to show, and optional filters; submitted with GET."""

    icb = forms.ChoiceField(label="ICB area", required=False)
    type = forms.ChoiceField(
        label="Type of service",
        required=False,
        choices=[("", "All types")] + ServiceType.choices,
        error_messages={"invalid_choice": "Select a type of service from the list"},
    )
    self_referral = forms.BooleanField(
        label="Only services patients can contact themselves", required=False
    )

    def __init__(self, *args, icbs, **kwargs):
        super().__init__(*args, **kwargs)
        self.icbs = {icb.ods_code: icb for icb in icbs}
        field = self.fields["icb"]
        field.choices = [("", "Choose an ICB")] + [(icb.ods_code, icb.short_name) for icb in icbs]
        field.error_messages["invalid_choice"] = "Select an ICB from the list"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout(
            "icb", "type", "self_referral", Submit("Show services", secondary=True)
        )

    def clean_icb(self):
        code = self.cleaned_data["icb"]
        return self.icbs.get(code) if code else None


class StoredTextField(forms.CharField):
    """Text put in its stored form before it is checked, so a limit counts what is stored.

    Browsers send a textarea's line breaks as CRLF; counted as sent, an entry at its limit with
    line breaks could not be saved again.
    """

    def __init__(self, *, normalise=rules.normalise_text, **kwargs):
        self.normalise = normalise
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.normalise(super().to_python(value))


def _asked(name: str) -> dict:
    """Return the label and need of the field `name`, as `fields` specifies them."""
    spec = fields.BY_NAME[name]
    return {"label": spec.label, "required": spec.required}


def _text(name, *, hint="", required_message="", rows=4, **attrs):
    """Return the text field for the field `name`: one line, or a textarea for long text."""
    spec = fields.BY_NAME[name]
    if spec.kind == fields.LONG_TEXT:
        widget = forms.Textarea(attrs={"rows": rows})
    else:
        widget = forms.TextInput(attrs=attrs) if attrs else forms.TextInput
    postcode = spec.kind == fields.POSTCODE
    return StoredTextField(
        **_asked(name),
        max_length=spec.max_length,
        help_text=hint,
        widget=widget,
        normalise=rules.normalise_postcode if postcode else rules.normalise_text,
        error_messages={
            "required": required_message or f"Enter {spec.label.lower()}",
            "max_length": f"{spec.label} must be {spec.max_length} characters or fewer",
        },
    )


def _age(name):
    label = fields.BY_NAME[name].label
    return forms.IntegerField(
        **_asked(name),
        validators=[MinValueValidator(0), MaxValueValidator(rules.OLDEST_AGE)],
        widget=forms.TextInput(
            attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": f"{label} must be a whole number, like 16",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {rules.OLDEST_AGE} or less",
        },
    )


class ServiceForm(forms.Form):
    """Add or edit a service. Site admins choose its area; an ICB admin's is their own ICB."""

    # Labels, limits and what is required come from `fields`; how each is asked, from here.
    name = _text("name")
    organisation = _text(
        "organisation_name",
        hint="Use the same name as other entries for this organisation, so they are grouped.",
        required_message="Enter the organisation that runs the service",
    )
    service_type = forms.ChoiceField(
        **_asked("service_type"),
        choices=ServiceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of service"},
    )
    description = _text(
        "description",
        hint="One or two sentences a clinician can read in a consultation.",
        required_message="Enter what the service does",
    )
    minimum_age = _age("minimum_age")
    maximum_age = _age("maximum_age")
    gender = forms.ChoiceField(
        **_asked("gender"),
        choices=[("", "No, it is for any gender")] + Gender.choices,
        widget=forms.RadioSelect,
    )
    eligibility = _text(
        "eligibility",
        hint="For example: high-risk victims only, or people who live in a named area.",
        rows=3,
    )
    referral_route = forms.ChoiceField(
        **_asked("referral_route"),
        choices=ReferralRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how people get to the service"},
    )
    referral_instructions = _text(
        "referral_instructions",
        hint="Forms, what to send with them (such as the DASH), consent needed.",
        rows=3,
    )
    phone = _text(
        "phone",
        hint="A UK number, like 0808 802 0300, or a short number, like 116 123 or 999",
        type="tel",
        autocomplete="off",
        **{"class": "nhsuk-input--width-20"},
    )
    phone_notes = _text("phone_notes", hint="For example: London service: press 2")
    email = forms.EmailField(
        **_asked("email"),
        max_length=fields.limit("email"),
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    website = forms.URLField(
        **_asked("website"),
        max_length=fields.limit("website"),
        assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        error_messages={"invalid": "Enter a web address, like https://www.example.org"},
    )
    opening_hours = _text(
        "opening_hours",
        hint="For example: Monday to Friday, 9am to 5pm. Closed on bank holidays.",
    )
    location_name = _text("location_name")
    location_address = _text("location_address")
    location_town = _text("location_town", **{"class": "nhsuk-u-width-two-thirds"})
    location_postcode = _text(
        "location_postcode", autocomplete="off", **{"class": "nhsuk-input--width-10"}
    )
    area = forms.ChoiceField(
        label="Where is the service available?",
        choices=[
            (AREA_NATIONAL, "Across England (national)"),
            (AREA_ICBS, "In one or more ICB areas"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the service is available"},
    )
    area_icbs = forms.MultipleChoiceField(
        label="Which ICB areas?",
        required=False,
        help_text="Only for a service in ICB areas. Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select ICBs from the list"},
    )
    verification_note = _text(
        "verification_note",
        hint="Shown to admins, and with the entry in the directory, until it is cleared.",
    )
    checked = forms.BooleanField(
        label="I have checked these details with the service today", required=False
    )
    # Identifies one filled-in add form, so submitting it twice adds one service.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, icbs, service=None, **kwargs):
        """`icbs` are the ICBs a site admin may choose from; ICB admins do not choose."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.service = service
        self.chooses_area = user.is_site_admin
        self.icbs = {icb.ods_code: icb for icb in icbs}
        if self.chooses_area:
            self.fields["area_icbs"].choices = [(icb.ods_code, icb.short_name) for icb in icbs]
        else:
            del self.fields["area"]
            del self.fields["area_icbs"]
        if service is None:
            del self.fields["checked"]
            self.fields["submission"].initial = uuid.uuid4()
        else:
            del self.fields["submission"]

        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout(
            *(["submission"] if service is None else []),
            "name",
            "organisation",
            Field("service_type", label_size="m"),
            "description",
            *self._added_in(""),
            Fieldset(
                "Who it is for",
                Field("minimum_age"),
                Field("maximum_age"),
                Field("gender", label_size="s"),
                "eligibility",
                *self._added_in("Who it is for"),
            ),
            Fieldset(
                "How to refer",
                Field("referral_route", label_size="s"),
                "referral_instructions",
                *self._added_in("How to refer"),
            ),
            Fieldset(
                "Contact details",
                "phone",
                "phone_notes",
                "email",
                "website",
                "opening_hours",
                *self._added_in("Contact details"),
                hint="Give at least one way to reach the service: phone, email, website or "
                "referral instructions.",
            ),
            Fieldset(
                "Where it is based (optional)",
                "location_name",
                "location_address",
                "location_town",
                "location_postcode",
                *self._added_in("Where it is based (optional)"),
                hint="Only if patients go there in person.",
            ),
            # Not a conditional reveal: NHS.UK's script marks the radio aria-expanded, which
            # axe reports as not allowed on a radio.
            *(
                [Field("area", label_size="m"), Field("area_icbs", label_size="s")]
                if self.chooses_area
                else []
            ),
            "verification_note",
            *([Field("checked", legend="Checking the details")] if service else []),
            Submit("Save service", prevent_double_click=True),
        )

    #: The specification's plain fields the form does not lay out by hand (`_add_plain_fields`).
    added: tuple = ()

    def _added_in(self, section: str) -> list[str]:
        """Return the form names of the added fields that go in `section`."""
        return [spec.form_name for spec in self.added if spec.section == section]

    @classmethod
    def initial_for(cls, service) -> dict:
        """Return the form's starting values for an existing service, as an export shows them."""
        initial = {spec.form_name: records.cell(service, spec) for spec in fields.ON_FORM}
        initial["area"] = AREA_NATIONAL if service.is_national else AREA_ICBS
        initial["area_icbs"] = [icb.ods_code for icb in service.area_icbs.all()]
        return initial

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = rules.normalise_text(value)
        return self._check_together(cleaned)

    def clean_website(self):
        website = self.cleaned_data["website"]
        # Only web links: the directory shows it as a link, and imports accept only these.
        if website and not website.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a web address, like https://www.example.org")
        return website

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""
        try:
            return rules.phone_number(phone)
        except rules.PhoneNumberError as exc:
            raise ValidationError(str(exc), code="invalid_phone") from None

    def clean_location_postcode(self):
        postcode = self.cleaned_data["location_postcode"]  # normalised by its field
        if postcode and not rules.is_postcode(postcode):
            raise ValidationError("Enter a full UK postcode, like LS1 4AP", code="invalid_postcode")
        return postcode

    def _check_together(self, cleaned):
        """Check the rules that involve more than one field."""
        minimum, maximum = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error(
                "maximum_age", "Oldest age must be the same as or more than youngest age"
            )
        ways = ("phone", "email", "website", "referral_instructions")
        if not any(cleaned.get(name) for name in ways) and not any(
            name in self.errors for name in ways
        ):
            self.add_error(
                "phone", "Enter at least one way to reach the service: phone, email or website"
            )
        if any(cleaned.get(f"location_{part}") for part in ("name", "address", "town", "postcode")):
            for name, message in (
                ("location_address", "Enter the address line, or leave the location empty"),
                ("location_town", "Enter the town or city, or leave the location empty"),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if self.chooses_area and "area_icbs" not in self.errors:
            area, icbs = cleaned.get("area"), cleaned.get("area_icbs")
            if area == AREA_ICBS and not icbs:
                self.add_error("area_icbs", "Select at least one ICB area")
            elif area == AREA_NATIONAL and icbs:
                self.add_error(
                    "area_icbs", "A national service has no ICB areas: clear the ICBs selected"
                )
        return cleaned

    def details(self) -> ServiceDetails:
        """Return the cleaned form as the service layer takes it."""
        data = self.cleaned_data
        if self.chooses_area:
            is_national = data["area"] == AREA_NATIONAL
            codes = () if is_national else tuple(sorted(data["area_icbs"]))
        else:
            is_national, codes = False, (self.user.icb_id,)
        location = None
        if data["location_address"]:
            location = {spec.attr: data[spec.form_name] for spec in fields.entered_on(LOCATION)}
        return ServiceDetails(
            values={spec.attr: data[spec.form_name] for spec in fields.entered_on(SERVICE)},
            organisation_name=data["organisation"],
            is_national=is_national,
            icb_codes=codes,
            location=location,
            submission_id=data.get("submission"),
        )


def _add_plain_fields(form_class) -> None:
    """Give the form a text field for each plain field of a service or its location that it does
    not declare, in the field's `section`: with the model's `add_plain_columns`, a new text field
    is its entry in `fields.FIELDS` and a migration."""
    added = []
    for spec in (*fields.plain_on(SERVICE), *fields.plain_on(LOCATION)):
        if spec.label and spec.form_name not in form_class.base_fields:
            form_class.base_fields[spec.form_name] = _text(spec.name, hint=spec.hint)
            added.append(spec)
    form_class.added = tuple(added)


_add_plain_fields(ServiceForm)
