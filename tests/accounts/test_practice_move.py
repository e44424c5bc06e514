"""Moving practice: at once within an ICB; into another ICB only once its admin confirms (issue 17).

Alice (QWO, Alpha Surgery) moves to Gamma Medical Practice in Cheshire and Merseyside (QYG),
whose admin is Carl. Wendy administers West Yorkshire (QWO), Alice's old ICB.
"""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Practice, PracticeMove, PracticeMoveOutcome, User
from accounts.services import practice_change, practice_move_decide
from core.models import AuditAction, AuditEvent
from referrals.selectors import home_icb_code
from reporting.scope import Scope
from reporting.selectors import progress
from reporting.summaries import rebuild_all
from tests.factories import PracticeFactory, icb
from tests.reporting.conftest import complete, report_data  # noqa: F401 - a fixture
from tests.training.conftest import make_module
from training.content import CourseSpec
from training.models import Module
from training.services import content_load

PROFILE = reverse("accounts:profile")
MOVES = reverse("accounts:practice_moves")
CANCEL = reverse("accounts:practice_move_cancel")
CSV = reverse("reporting:export_csv")


def decide(pk):
    return reverse("accounts:practice_move_decide", args=[pk])


def profile_post(client, user, ods_code):
    return client.post(
        PROFILE,
        {
            "full_name": user.full_name,
            "professional_role": user.professional_role,
            "registration_number": "",
            "practice": ods_code,
        },
    )


def registered(scope) -> int:
    return sum(row.registered for row in progress(scope).by_role)


def move_events():
    return list(
        AuditEvent.objects.filter(action=AuditAction.PRACTICE_MOVE)
        .order_by("pk")
        .values_list("actor__email", "detail")
    )


@pytest.fixture
def trained_alice(clinician):
    """Alice has finished a one-module course, so she counts as registered and completed."""
    content_load(course=CourseSpec(version="test.1", modules=(make_module("alpha", 1),)))
    complete(clinician, list(Module.objects.all()))
    rebuild_all()
    return clinician


@pytest.fixture
def pending(clinician_client, clinician, other_icb_practice):
    """Alice has asked, through her profile, to move to Gamma Medical Practice (QYG)."""
    response = profile_post(clinician_client, clinician, "C33333")
    assert response.status_code == 302
    return PracticeMove.objects.get(user=clinician)


@pytest.mark.django_db
class TestWithinTheICB:
    def test_takes_effect_at_once(self, clinician_client, clinician, other_practice):
        assert profile_post(clinician_client, clinician, "B22222").status_code == 302
        clinician.refresh_from_db()
        assert clinician.practice == other_practice
        assert not PracticeMove.objects.exists()
        assert not move_events()


@pytest.mark.django_db
class TestIntoAnotherICB:
    def test_waits_and_the_user_stays_where_they_were(
        self, clinician_client, clinician, practice, pending
    ):
        clinician.refresh_from_db()
        assert clinician.practice == practice
        assert home_icb_code(clinician) == "QWO"  # the directory is still West Yorkshire's
        assert pending.outcome == PracticeMoveOutcome.PENDING
        assert pending.from_practice == practice
        assert pending.to_practice.ods_code == "C33333"
        assert move_events() == [
            (
                "alice@nhs.net",
                "Requested (local profile change): Alpha Surgery (A11111) in QWO → "
                "Gamma Medical Practice (C33333) in QYG",
            )
        ]

    def test_profile_says_whose_confirmation_it_waits_for(self, clinician_client, pending):
        html = clinician_client.get(PROFILE).content.decode()
        assert "waiting for Cheshire and Merseyside ICB&#x27;s admin" in html
        assert "Until then you stay at Alpha Surgery" in html
        assert "Cancel my move to Gamma Medical Practice" in html

    def test_other_details_are_saved_meanwhile(self, clinician_client, clinician, icbs):
        PracticeFactory(ods_code="C33333", icb=icb("QYG"))
        clinician_client.post(
            PROFILE,
            {"full_name": "Alice New", "professional_role": "gp", "practice": "C33333"},
        )
        clinician.refresh_from_db()
        assert clinician.full_name == "Alice New"
        assert clinician.practice.ods_code == "A11111"

    def test_saving_the_profile_again_leaves_the_move_waiting(
        self, clinician_client, clinician, pending
    ):
        profile_post(clinician_client, clinician, "A11111")  # the form shows the old practice
        profile_post(clinician_client, clinician, "C33333")  # or asks for the same again
        assert list(PracticeMove.objects.values_list("outcome", flat=True)) == ["pending"]

    def test_counts_in_neither_icb_until_decided(
        self, trained_alice, other_icb_practice, rf, site_admin
    ):
        qwo, qyg = Scope(icb=icb("QWO")), Scope(icb=icb("QYG"))
        assert (registered(qwo), registered(qyg), registered(Scope(icb=None))) == (1, 0, 1)
        request = rf.post(PROFILE)
        request.user = trained_alice
        practice_change(user=trained_alice, practice=other_icb_practice, request=request)
        assert (registered(qwo), registered(qyg), registered(Scope(icb=None))) == (0, 0, 0)
        assert sum(r.completed for r in progress(Scope(icb=None)).by_role) == 0
        rebuild_all()  # a rebuild of the summaries agrees
        assert registered(Scope(icb=None)) == 0

    def test_a_new_choice_within_the_icb_replaces_the_move(
        self, clinician_client, clinician, other_practice, pending
    ):
        profile_post(clinician_client, clinician, "B22222")
        clinician.refresh_from_db()
        assert clinician.practice == other_practice
        pending.refresh_from_db()
        assert pending.outcome == PracticeMoveOutcome.CANCELLED

    def test_a_new_choice_in_a_third_icb_replaces_the_move(
        self, clinician_client, clinician, pending
    ):
        PracticeFactory(ods_code="D44444", name="Delta Surgery", icb=icb("QHM"))
        profile_post(clinician_client, clinician, "D44444")
        waiting = PracticeMove.objects.pending().get(user=clinician)
        assert waiting.to_practice.ods_code == "D44444"
        pending.refresh_from_db()
        assert pending.outcome == PracticeMoveOutcome.CANCELLED

    def test_the_database_allows_one_pending_move_per_user(self, pending):
        with pytest.raises(IntegrityError), transaction.atomic():
            PracticeMove.objects.create(
                user=pending.user,
                from_practice=pending.from_practice,
                to_practice=pending.to_practice,
            )


@pytest.mark.django_db
class TestTheReportCSV:
    """Four of P1's ten GPs ask to move to P3 (QYG): neither ICB's CSV counts them."""

    @pytest.mark.usefixtures("report_data")
    def test_pending_movers_are_in_neither_icbs_csv(
        self, icb_admin_client, other_icb_admin_client, rf
    ):
        def registered_in(client):
            text = client.get(CSV).content.decode()
            data = csv.DictReader(io.StringIO(text[text.index("area,table,row") :]))
            return [
                r["value"]
                for r in data
                if r["table"] == "Headlines" and r["row"] == "Registered clinicians"
            ]

        # 16 in QWO and 20 in QYG, shown rounded to 5.
        assert registered_in(icb_admin_client) == ["15"]
        assert registered_in(other_icb_admin_client) == ["20"]
        p3 = Practice.objects.get(ods_code="P00003")
        for user in User.objects.filter(practice__ods_code="P00001").order_by("pk")[:4]:
            request = rf.post(PROFILE)
            request.user = user
            practice_change(user=user, practice=p3, request=request)
        assert registered_in(icb_admin_client) == ["10"]  # 12, not 16
        assert registered_in(other_icb_admin_client) == ["20"]  # 20, not 24


@pytest.mark.django_db
class TestDeciding:
    def test_the_destination_icbs_admin_sees_the_move(
        self, other_icb_admin_client, icb_admin_client, site_admin_client, pending
    ):
        assert "Alice Clinician" in other_icb_admin_client.get(MOVES).content.decode()
        assert "Alice Clinician" in site_admin_client.get(MOVES).content.decode()
        html = icb_admin_client.get(MOVES).content.decode()  # Wendy: the ICB Alice leaves
        assert "Alice Clinician" not in html
        assert "There are no moves waiting for you to decide" in html

    def test_confirm_applies_the_move_and_audits_it(
        self, other_icb_admin_client, other_icb_admin, clinician, clinician_client, pending
    ):
        response = other_icb_admin_client.post(decide(pending.pk), {"decision": "confirm"})
        assert response.status_code == 302
        assert response["Location"] == MOVES
        clinician.refresh_from_db()
        assert clinician.practice.ods_code == "C33333"
        assert home_icb_code(clinician) == "QYG"
        pending.refresh_from_db()
        assert pending.outcome == PracticeMoveOutcome.CONFIRMED
        assert pending.decided_by == other_icb_admin
        assert pending.decided_at is not None
        assert move_events()[-1] == (
            "carl@nhs.net",
            "Confirmed by carl@nhs.net: Alpha Surgery (A11111) in QWO → "
            "Gamma Medical Practice (C33333) in QYG",
        )
        # The change of organisation is in the audit log as every such change is.
        change = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
        assert change.actor == other_icb_admin
        assert change.target == "alice@nhs.net"
        assert "practice:" in change.detail
        html = clinician_client.get(PROFILE).content.decode()
        assert "Your move to Gamma Medical Practice was confirmed" in html
        assert "Cheshire and Merseyside ICB&#x27;s admin" in html

    def test_once_confirmed_they_count_in_the_new_icb(
        self, trained_alice, other_icb_admin_client, pending
    ):
        other_icb_admin_client.post(decide(pending.pk), {"decision": "confirm"})
        assert registered(Scope(icb=icb("QWO"))) == 0
        assert registered(Scope(icb=icb("QYG"))) == 1

    def test_refuse_leaves_the_user_where_they_were(
        self, other_icb_admin_client, clinician, clinician_client, practice, pending
    ):
        response = other_icb_admin_client.post(decide(pending.pk), {"decision": "refuse"})
        assert response.status_code == 302
        clinician.refresh_from_db()
        assert clinician.practice == practice
        pending.refresh_from_db()
        assert pending.outcome == PracticeMoveOutcome.REFUSED
        assert move_events()[-1][1].startswith("Refused by carl@nhs.net: ")
        assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()
        html = clinician_client.get(PROFILE).content.decode()
        assert "Your move to Gamma Medical Practice was refused" in html
        assert "You are still at Alpha Surgery" in html

    def test_refused_they_count_in_their_old_icb_again(
        self, trained_alice, other_icb_admin_client, pending
    ):
        other_icb_admin_client.post(decide(pending.pk), {"decision": "refuse"})
        assert registered(Scope(icb=icb("QWO"))) == 1

    def test_a_site_admin_may_decide(self, site_admin_client, clinician, pending):
        site_admin_client.post(decide(pending.pk), {"decision": "confirm"})
        clinician.refresh_from_db()
        assert clinician.practice.ods_code == "C33333"

    def test_double_submit_applies_once(self, other_icb_admin_client, clinician, pending):
        first = other_icb_admin_client.post(decide(pending.pk), {"decision": "confirm"})
        second = other_icb_admin_client.post(
            decide(pending.pk), {"decision": "refuse"}, follow=True
        )
        assert (first.status_code, second.status_code) == (302, 200)
        assert "already confirmed. Nothing has changed" in second.content.decode()
        clinician.refresh_from_db()
        assert clinician.practice.ods_code == "C33333"
        assert [d for _, d in move_events() if not d.startswith("Requested")] == [
            "Confirmed by carl@nhs.net: Alpha Surgery (A11111) in QWO → "
            "Gamma Medical Practice (C33333) in QYG"
        ]
        assert AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).count() == 1

    def test_two_admins_at_once_decide_it_once(
        self, other_icb_admin, site_admin, clinician, pending, rf
    ):
        # Both read the move while it was pending; only the first decision goes through.
        seen_by_carl = PracticeMove.objects.get(pk=pending.pk)
        seen_by_sue = PracticeMove.objects.get(pk=pending.pk)
        request = rf.post("/")
        request.user = other_icb_admin
        assert practice_move_decide(
            move=seen_by_carl, decider=other_icb_admin, confirm=False, request=request
        )
        request.user = site_admin
        assert not practice_move_decide(
            move=seen_by_sue, decider=site_admin, confirm=True, request=request
        )
        assert seen_by_sue.outcome == PracticeMoveOutcome.REFUSED  # read back as it stands
        clinician.refresh_from_db()
        assert clinician.practice.ods_code == "A11111"
        assert len(move_events()) == 2  # the request and one decision

    def test_deciding_after_the_user_cancelled_changes_nothing(
        self, clinician_client, other_icb_admin_client, clinician, pending
    ):
        clinician_client.post(CANCEL)
        response = other_icb_admin_client.post(
            decide(pending.pk), {"decision": "confirm"}, follow=True
        )
        assert "already cancelled" in response.content.decode()
        clinician.refresh_from_db()
        assert clinician.practice.ods_code == "A11111"

    def test_decisions_need_a_csrf_token(self, other_icb_admin, clinician, pending):
        client = Client(enforce_csrf_checks=True)
        client.force_login(other_icb_admin)
        assert client.post(decide(pending.pk), {"decision": "confirm"}).status_code == 403
        clinician.refresh_from_db()
        assert clinician.practice.ods_code == "A11111"

    def test_an_unknown_decision_is_a_bad_request(self, other_icb_admin_client, pending):
        response = other_icb_admin_client.post(decide(pending.pk), {"decision": "maybe"})
        assert response.status_code == 400
        pending.refresh_from_db()
        assert pending.is_pending


@pytest.mark.django_db
class TestWhoMayDecide:
    def test_the_icb_the_user_leaves_cannot_decide(self, icb_admin_client, clinician, pending):
        response = icb_admin_client.post(decide(pending.pk), {"decision": "confirm"})
        assert response.status_code == 404
        pending.refresh_from_db()
        assert pending.is_pending

    @pytest.mark.parametrize("persona", ["clinician", "other_practice_clinician"])
    def test_clinicians_are_refused(self, role_clients, persona, pending):
        client = role_clients(persona)
        assert client.get(MOVES).status_code == 403
        assert client.post(decide(pending.pk), {"decision": "confirm"}).status_code == 403
        pending.refresh_from_db()
        assert pending.is_pending

    def test_nobody_decides_their_own_move(self, site_admin, site_admin_client, practice, rf):
        site_admin.practice = practice
        site_admin.save()
        gamma = PracticeFactory(ods_code="C33333", icb=icb("QYG"))
        profile_post(site_admin_client, site_admin, "C33333")
        move = PracticeMove.objects.get(user=site_admin)
        assert site_admin_client.post(decide(move.pk), {"decision": "confirm"}).status_code == 404
        request = rf.post("/")
        request.user = site_admin
        with pytest.raises(PermissionDenied):
            practice_move_decide(move=move, decider=site_admin, confirm=True, request=request)
        site_admin.refresh_from_db()
        assert site_admin.practice == practice
        assert gamma.pk != site_admin.practice_id


@pytest.mark.django_db
class TestCancelling:
    def test_the_user_cancels_their_move(self, clinician_client, clinician, practice, pending):
        response = clinician_client.post(CANCEL, follow=True)
        assert "You have cancelled your move to Gamma Medical Practice" in (
            response.content.decode()
        )
        pending.refresh_from_db()
        assert pending.outcome == PracticeMoveOutcome.CANCELLED
        assert pending.decided_by == clinician
        clinician.refresh_from_db()
        assert clinician.practice == practice
        assert move_events()[-1][1].startswith("Cancelled by the user: ")
        html = clinician_client.get(PROFILE).content.decode()
        assert 'id="practice-move"' not in html

    def test_cancelling_twice_or_with_nothing_pending_is_harmless(self, clinician_client, pending):
        assert clinician_client.post(CANCEL).status_code == 302
        assert clinician_client.post(CANCEL).status_code == 302
        assert len(move_events()) == 2

    def test_cancelling_is_a_post(self, clinician_client, pending):
        assert clinician_client.get(CANCEL).status_code == 405
        pending.refresh_from_db()
        assert pending.is_pending
