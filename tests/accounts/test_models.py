import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import ICB, Role, User, validate_registration_number
from tests import factories


@pytest.mark.parametrize("value", ["1234567", "12A3456E", "12a3456e", " 1234567 ", "12 A3456E", ""])
def test_registration_number_accepts_gmc_and_nmc_formats(value):
    validate_registration_number(value)


@pytest.mark.parametrize(
    "value", ["123456", "12345678", "A234567", "12A345E", "1AA3456E", "12A34567", "GMC1234567"]
)
def test_registration_number_rejects_other_formats(value):
    with pytest.raises(ValidationError):
        validate_registration_number(value)


@pytest.mark.django_db
class TestICBReferenceData:
    def test_all_boards_are_kept_with_history(self):
        assert ICB.objects.count() == 48

    def test_todays_list_reflects_the_april_2026_mergers(self):
        current = set(ICB.objects.current(datetime.date(2026, 11, 25)).values_list("pk", flat=True))
        assert len(current) == 36
        assert {"S1Y5D", "D7T5G", "T6Y0W", "S0E4D", "S9B9J", "Z9B2Z", "QRL", "QWO"} <= current
        assert not {"QMJ", "QRV", "QNQ", "QM7"} & current

    def test_before_april_2026_the_original_42_were_current(self):
        assert ICB.objects.current(datetime.date(2026, 3, 31)).count() == 42

    def test_whole_mergers_name_their_successor(self):
        assert ICB.objects.get(pk="QRV").successor_id == "Z9B2Z"
        assert ICB.objects.get(pk="QMM").successor_id == "T6Y0W"

    def test_split_boards_have_no_single_successor_but_say_where_they_went(self):
        frimley = ICB.objects.get(pk="QNQ")
        assert frimley.successor is None
        assert "Thames Valley" in frimley.change_note
        assert "Hampshire" in frimley.change_note

    def test_valid_to_cannot_precede_valid_from(self):
        with pytest.raises(IntegrityError):
            ICB.objects.create(
                ods_code="ZZZ",
                name="Bad",
                region="London",
                valid_from=datetime.date(2026, 4, 1),
                valid_to=datetime.date(2026, 3, 1),
            )


@pytest.mark.django_db
class TestUser:
    def test_email_is_unique_regardless_of_case(self, clinician):
        with pytest.raises(IntegrityError):
            User.objects.bulk_create([User(email="ALICE@nhs.net", full_name="Copy")])

    def test_icb_admin_must_have_an_icb_in_the_database(self, icbs):
        with pytest.raises(IntegrityError):
            User.objects.bulk_create([User(email="x@nhs.net", full_name="X", role=Role.ICB_ADMIN)])

    def test_only_icb_admins_have_an_icb(self, icbs):
        with pytest.raises(IntegrityError):
            User.objects.bulk_create(
                [User(email="x@nhs.net", full_name="X", role=Role.CLINICIAN, icb_id="QWO")]
            )

    def test_create_user_lowercases_email_and_validates(self, practice):
        user = User.objects.create_user(
            "Dana@NHS.net", "a-long-password-1", full_name="Dana", practice=practice
        )
        assert user.email == "dana@nhs.net"
        with pytest.raises(ValidationError):
            User.objects.create_user(
                "eve@nhs.net", "pw", full_name="Eve", registration_number="bad"
            )

    def test_only_site_admins_are_staff(self, clinician, icb_admin, site_admin):
        assert not clinician.is_staff
        assert not icb_admin.is_staff
        assert site_admin.is_staff
        assert site_admin.has_perm("accounts.change_user")
        assert not icb_admin.has_perm("accounts.change_user")

    def test_role_description(self, clinician, icb_admin, site_admin):
        assert clinician.role_description == "GP at Alpha Surgery"
        assert icb_admin.role_description == "ICB admin for West Yorkshire ICB"
        assert site_admin.role_description == "site admin"

    def test_home_icb(self, clinician, icb_admin, site_admin):
        assert clinician.home_icb.pk == "QWO"
        assert icb_admin.home_icb.pk == "QWO"
        assert site_admin.home_icb is None

    def test_password_is_hashed_with_argon2_outside_tests(self, settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
        user = factories.UserFactory()
        assert user.password.startswith("argon2")
