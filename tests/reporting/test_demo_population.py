"""The demo population `seed_demo` makes: marked as demo, believable, deterministic, idempotent.

Seeding takes several seconds, so TestDemoPopulation seeds once (course, directory and population,
as `make run` does) inside a transaction rolled back after the class; each test runs in a
savepoint of it.
"""

import datetime
import io
import re
import uuid
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_PRACTICES, DEMO_USERS
from accounts.models import ICB, Practice, Role, User
from accounts.reference import load_icbs
from referrals.selectors import directory_services
from reporting import demo_population
from reporting.demo_population import demo_people, demo_practices, screening_fields
from reporting.models import ConfidenceStat, LearnerProgress, ModuleStat, QuestionStat
from reporting.scope import Scope
from reporting.selectors import FULLY_TRAINED_SHARE, progress
from reporting.summaries import rebuild_all
from screening import rules
from screening.models import Outcome, Screening
from training.models import (
    Attempt,
    AttemptAnswer,
    Certificate,
    Module,
    ModuleCompletion,
    PageView,
    SurveyPhase,
    SurveyResponse,
)
from training.rules import pathway_field, pathway_for

DEMO_EMAIL = re.compile(r"^demo-[a-z]+\.[a-z]+\.\d{4}@demo\.example\.invalid$")
DEMO_CODE = re.compile(r"^X99\d{3}$")
CONTRACT_CODES = {code for code, *_ in DEMO_PRACTICES}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the class, as `make run` does, and undo it all afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        if not ICB.objects.exists():
            load_icbs(ICB)
        call_command("load_training", stdout=io.StringIO())
        call_command("load_referrals", "--examples", "--force", stdout=io.StringIO())
        yield _run("--force")
        transaction.set_rollback(True)


@pytest.fixture
def output(seeded, db):
    return seeded


def fingerprint() -> dict:
    """Return what the population is, row for row: ids, people and every figure that counts."""
    people = demo_people()
    return {
        "people": list(people.order_by("email").values_list("email", "practice__ods_code")),
        "attempts": sorted(
            Attempt.objects.filter(user__in=people).values_list("id", "score_percent")
        ),
        "answers": AttemptAnswer.objects.filter(attempt__user__in=people).count(),
        "views": PageView.objects.filter(user__in=people).count(),
        "completions": sorted(
            ModuleCompletion.objects.filter(user__in=people).values_list("attempt_id", flat=True)
        ),
        "surveys": SurveyResponse.objects.filter(user__in=people).count(),
        "certificates": sorted(
            Certificate.objects.filter(user__in=people).values_list("id", flat=True)
        ),
        "screenings": sorted(
            Screening.objects.filter(clinician__in=people).values_list("id", "stalking", "concern")
        ),
        "outcomes": Outcome.objects.filter(screening__clinician__in=people).count(),
        "progress": sorted(
            LearnerProgress.objects.filter(completed_at__isnull=False).values_list(
                "user__email", flat=True
            )
        ),
    }


def summaries() -> dict:
    return {
        model.__name__: sorted(
            tuple(row.values())
            for row in model.objects.values(*[f.attname for f in model._meta.concrete_fields[1:]])
        )
        for model in (QuestionStat, ModuleStat, ConfidenceStat, LearnerProgress)
    }


class TestDemoPopulation:
    def test_output_says_what_was_made(self, output):
        people = demo_people().count()
        assert f"Demo population: {people} people" in output
        screenings = Screening.objects.filter(clinician__in=demo_people()).count()
        assert f"Screenings: {screenings} (" in output
        assert "certificates" in output and "Report summaries rebuilt" in output

    def test_everything_is_marked_as_demo(self, output):
        people = list(demo_people().select_related("practice"))
        assert len(people) > 600
        for person in people:
            assert DEMO_EMAIL.match(person.email), person.email
            assert person.full_name.endswith("(demo)")
            assert not person.has_usable_password()
            assert person.role == Role.CLINICIAN and person.icb_id is None and person.is_active
            assert DEMO_CODE.match(person.practice.ods_code)
            assert person.practice.ods_code not in CONTRACT_CODES
            assert person.practice.name.startswith("Demo Practice ")
        assert Counter(p.professional_role for p in people).keys() == {
            "gp",
            "practice_nurse",
            "other_clinician",
            "practice_staff",
        }

    def test_contract_accounts_and_practices_are_as_they_were(self, output):
        emails = {spec["email"] for spec in DEMO_USERS}
        assert set(User.objects.exclude(pk__in=demo_people()).values_list("email", flat=True)) == (
            emails
        )
        for code, name, postcode, icb in DEMO_PRACTICES:
            practice = Practice.objects.get(ods_code=code)
            assert (practice.name, practice.postcode, practice.icb_id) == (name, postcode, icb)
            assert not practice.members.filter(pk__in=demo_people()).exists()
        contract = User.objects.filter(email__in=emails)
        assert not PageView.objects.filter(user__in=contract).exists()
        assert not Screening.objects.filter(clinician__in=contract).exists()

    def test_no_real_ods_code_is_used(self, output):
        codes = set(Practice.objects.values_list("ods_code", flat=True))
        assert codes == CONTRACT_CODES | set(demo_practices().values_list("ods_code", flat=True))
        assert all(DEMO_CODE.match(code) for code in codes)

    def test_demo_icbs_full_others_light_three_empty(self, output):
        per_icb = dict(
            demo_practices().values("icb_id").annotate(n=Count("pk")).values_list("icb_id", "n")
        )
        assert per_icb.pop("QWO") == 8 and per_icb.pop("QYG") == 8
        current = set(ICB.objects.current().values_list("ods_code", flat=True)) - {"QWO", "QYG"}
        assert set(per_icb) <= current and set(per_icb.values()) == {2}
        assert len(current - set(per_icb)) == 3
        sizes = (
            demo_people()
            .filter(practice__icb__in=["QWO", "QYG"])
            .values("practice")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
        )
        assert len(sizes) == 16 and all(10 <= n <= 14 for n in sizes)

    def test_times_lie_in_the_last_year_in_the_order_the_app_allows(self, output):
        now = timezone.now()
        year_ago = now - datetime.timedelta(days=366)
        people = demo_people()
        joined = dict(people.values_list("pk", "date_joined"))
        assert all(year_ago <= t <= now for t in joined.values())
        months = {timezone.localtime(t).strftime("%Y-%m") for t in joined.values()}
        assert len(months) >= 10  # spread over the year, not all on one day
        before = dict(
            SurveyResponse.objects.filter(user__in=people, phase=SurveyPhase.BEFORE).values_list(
                "user_id", "submitted_at"
            )
        )
        first_view = defaultdict(lambda: now)
        pages_read = defaultdict(dict)
        for user_id, page_id, module_id, when in PageView.objects.filter(
            user__in=people
        ).values_list("user_id", "page_id", "page__module_id", "first_viewed_at"):
            assert joined[user_id] <= when <= now
            assert before[user_id] <= when  # the before-survey comes first
            first_view[user_id] = min(first_view[user_id], when)
            pages_read[(user_id, module_id)][page_id] = when
        page_count = dict(Module.objects.annotate(n=Count("pages")).values_list("pk", "n"))
        open_attempts = Counter()
        for attempt in Attempt.objects.filter(user__in=people):
            read = pages_read[(attempt.user_id, attempt.module_id)]
            assert len(read) == page_count[attempt.module_id]  # every page before the quiz
            assert max(read.values()) <= attempt.started_at
            if attempt.submitted_at is None:
                open_attempts[(attempt.user_id, attempt.module_id)] += 1
            else:
                assert attempt.started_at < attempt.submitted_at <= now
        assert open_attempts and max(open_attempts.values()) == 1
        for completion in ModuleCompletion.objects.filter(user__in=people).select_related(
            "attempt"
        ):
            assert completion.attempt.passed and completion.completed_at == (
                completion.attempt.submitted_at
            )
        assert all(year_ago <= t <= now for t in first_view.values())

    def test_first_attempts_sometimes_fail_then_pass(self, output):
        attempts = Attempt.objects.filter(user__in=demo_people(), submitted_at__isnull=False)
        firsts = attempts.filter(is_first=True)
        assert firsts.filter(passed=False).exists() and firsts.filter(passed=True).exists()
        # One first attempt per learner and module, and one completion per learner and module.
        assert firsts.count() == firsts.values("user", "module").distinct().count()
        retaken = ModuleCompletion.objects.filter(user__in=demo_people(), attempt__is_first=False)
        assert retaken.exists()
        for attempt in attempts.filter(pk__in=retaken.values("attempt"))[:20]:
            assert attempts.filter(
                user=attempt.user, module=attempt.module, is_first=True, passed=False
            ).exists()
        answers = AttemptAnswer.objects.filter(attempt__in=firsts[:50])
        assert answers.filter(is_correct=False).exists()

    def test_certificates_only_for_those_who_finished_and_answered_after(self, output):
        people = demo_people()
        after = set(
            SurveyResponse.objects.filter(user__in=people, phase=SurveyPhase.AFTER).values_list(
                "user_id", flat=True
            )
        )
        done = Counter(
            ModuleCompletion.objects.filter(user__in=people).values_list("user_id", flat=True)
        )
        certified = Certificate.objects.filter(user__in=people).select_related("user")
        assert certified.count() > 100
        for certificate in certified:
            user = certificate.user
            route = Module.objects.filter(
                is_active=True, **{pathway_field(pathway_for(user.professional_role)): True}
            )
            assert done[user.pk] == route.count() and user.pk in after
            assert [m["slug"] for m in certificate.modules] == list(
                route.order_by("order").values_list("slug", flat=True)
            )
            assert certificate.learner_name == user.full_name
        assert set(certified.values_list("user_id", flat=True)) == after
        finished = LearnerProgress.objects.filter(user__in=people, completed_at__isnull=False)
        paired = finished.filter(user_id__in=after).count()
        assert paired / finished.count() > 0.75  # most who finished answered both surveys

    def test_every_demo_screening_is_what_the_rules_give(self, output):
        screenings = list(
            Screening.objects.filter(clinician__in=demo_people()).select_related("clinician")
        )
        assert len(screenings) > 1000
        now = timezone.now()
        fields = ("answers", "rules_version", "stalking", "concern", "reasons")
        fields += ("risk_count", "ptsd_count", "unanswered")
        for s in screenings:
            expected = screening_fields(rules.assess(s.answers))
            for name in fields:
                assert getattr(s, name) == expected[name], (s.pk, name)
            assert s.flags == {k.removeprefix("flag_") for k in expected if k.startswith("flag_")}
            assert s.rules_version == rules.RULES_VERSION and not s.unanswered
            assert s.practice_id == s.clinician.practice_id
            assert s.clinician.professional_role != "practice_staff"
            assert s.clinician.date_joined <= s.created_at <= now
        levels = Counter(s.stalking for s in screenings)
        assert all(levels[level] > len(screenings) / 10 for level in rules.Stalking)

    def test_outcomes_ptsd_and_referrals(self, output):
        screenings = Screening.objects.filter(clinician__in=demo_people())
        outcomes = Outcome.objects.filter(screening__in=screenings)
        assert outcomes.count() > screenings.count() * 0.7
        flagged = screenings.filter(flag_ptsd_assessment=True)
        arranged = flagged.filter(outcome__ptsd_assessment_arranged=True).count()
        assert 0.4 <= arranged / flagged.count() <= 0.6
        referred = outcomes.filter(referred_specialist=True).select_related("screening")
        assert 0 < referred.count() < screenings.count() / 5  # a few
        for outcome in referred:
            offered = {
                s.name: s.service_type
                for s in directory_services(outcome.screening.icb_id, types=["stalking_advocacy"])
            }
            assert offered[outcome.referred_service_name] == outcome.referred_service_type
        local = referred.filter(screening__icb="QWO").values_list(
            "referred_service_name", flat=True
        )
        assert local and all(name.startswith("Example West Yorkshire") for name in local)

    def test_screenings_rise_after_the_training_rolls_out(self, output):
        qwo = Screening.objects.filter(icb="QWO").values_list("created_at", flat=True)
        months = Counter(timezone.localtime(t).strftime("%Y-%m") for t in qwo)
        series = [months[m] for m in sorted(months)][1:-1]  # leave out the part months
        assert len(series) >= 10
        assert sum(series[:3]) * 2 < sum(series[-3:])
        assert min(series) >= 8  # every month shows, none "fewer than 8"

    def test_summaries_equal_a_full_rebuild(self, output):
        seeded_summaries = summaries()
        rebuild_all()
        assert summaries() == seeded_summaries

    def test_icb_reports_have_figures_to_show(self, output):
        report = progress(Scope(icb=ICB.objects.get(pk="QWO")))
        assert sum(r.registered for r in report.clinical_roles) >= 50
        assert max(r.completed for r in report.by_area) >= 8
        shares = [r.completed / r.registered for r in report.by_area if r.registered]
        assert sum(s >= FULLY_TRAINED_SHARE for s in shares) >= 2
        assert sum(s < FULLY_TRAINED_SHARE for s in shares) >= 5
        assert report.team.registered >= 8 and report.team.completed >= 8
        cm = progress(Scope(icb=ICB.objects.get(pk="QYG")))
        assert sum(r.registered for r in cm.clinical_roles) >= 50

    def test_england_view_shows_differences_between_icbs(self, output):
        by_icb = progress(Scope(icb=None)).by_area
        assert len(by_icb) == 33
        shares = [r.completed / r.registered for r in by_icb]
        assert max(shares) - min(shares) > 0.5

    def test_rerun_leaves_it_and_refresh_makes_the_same_again(self, output):
        before = fingerprint()
        assert "already there" in _run("--force")
        assert fingerprint() == before
        # Someone real, at a demo practice and elsewhere, with their own work.
        icb = ICB.objects.get(pk="QWO")
        real_practice = Practice.objects.create(
            ods_code="B86001", name="Real Surgery", postcode="LS2 9JT", icb=icb
        )
        at_demo = User.objects.create_user(
            "joiner@nhs.net", full_name="Jo Joiner", practice=demo_practices().first()
        )
        real = User.objects.create_user(
            "real@nhs.net", full_name="Real Clinician", practice=real_practice
        )
        mine = Screening.objects.create(
            clinician=real,
            practice=real_practice,
            icb=icb,
            submission_id=uuid.uuid4(),
            **screening_fields(rules.assess({"unwanted": "no"})),
        )
        out = _run("--force", "--refresh-population")
        assert "Demo population:" in out
        assert fingerprint() == before
        assert User.objects.filter(pk__in=[at_demo.pk, real.pk]).count() == 2
        assert Screening.objects.filter(pk=mine.pk).exists()
        assert Practice.objects.filter(pk=real_practice.pk).exists()

    def test_without_population_touches_nothing_of_it(self, output):
        before = fingerprint()
        out = _run("--force", "--without-population")
        assert "Demo population" not in out
        assert fingerprint() == before


@pytest.mark.django_db
class TestSeedDemoPrerequisites:
    def test_population_needs_the_course(self, settings, icbs):
        settings.DEBUG = True
        with pytest.raises(CommandError, match="load_training.*--without-population"):
            call_command("seed_demo", stdout=io.StringIO())
        assert not demo_people().exists()


def test_practice_codes_stay_in_the_demo_range():
    assert demo_population.practice_code(4) == "X99004"
    assert demo_population.practice_code(999) == "X99999"
    for number in (1, 3, 1000):
        with pytest.raises(ValueError):
            demo_population.practice_code(number)
