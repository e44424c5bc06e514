"""seed_bench at small scale: counts, integrity, and data shaped like the real thing."""

import datetime
import io
import json
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from accounts.models import (
    ICB,
    Practice,
    ProfessionalRole,
    Role,
    User,
    validate_registration_number,
)
from bench import data
from referrals.models import Service
from reporting.models import LearnerProgress, ModuleStat, QuestionStat
from screening import rules
from screening.models import FLAG_FIELDS, Outcome, Screening
from tests.factories import UserFactory
from tests.referrals.factories import ServiceFactory
from training.content import read_course
from training.models import (
    Attempt,
    AttemptAnswer,
    Certificate,
    Module,
    ModuleCompletion,
    Option,
    Page,
    PageView,
    SurveyAnswer,
    SurveyResponse,
)

SMALL = {"clinicians": 50, "attempts": 300, "screenings": 100, "practices": 40, "icb_admins": 1}
BENCH = f"@{data.BENCH_EMAIL_DOMAIN}"


def run_seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_bench", force=True, stdout=out, **{**SMALL, **options})
    return out.getvalue()


@pytest.fixture
def seeded(icbs):
    return run_seed()


def current_icbs() -> set[str]:
    return set(ICB.objects.current().values_list("ods_code", flat=True))


@pytest.mark.django_db
class TestCounts:
    def test_rows_as_asked_in_current_icbs(self, seeded):
        clinicians = User.objects.filter(email__endswith=BENCH, role=Role.CLINICIAN)
        admins = User.objects.filter(email__endswith=BENCH, role=Role.ICB_ADMIN)
        assert clinicians.count() == 50
        assert Attempt.objects.count() == 300
        assert Screening.objects.count() == 100
        practices = Practice.objects.filter(ods_code__startswith="Z9")
        assert practices.count() == 40
        assert set(practices.values_list("icb_id", flat=True)) <= current_icbs()
        assert set(clinicians.values_list("practice__icb_id", flat=True)) <= current_icbs()
        # One admin for each current ICB, and only current ones.
        assert sorted(admins.values_list("icb_id", flat=True)) == sorted(current_icbs())
        assert not admins.filter(practice__isnull=False).exists()

    def test_prints_timings_per_table(self, seeded):
        for table in (
            "accounts_practice",
            "accounts_user",
            "training_attempt",
            "training_attemptanswer",
            "training_pageview",
            "screening_screening",
            "screening_outcome",
            "total",
        ):
            assert table in seeded

    def test_loads_training_content_when_there_is_none(self, seeded):
        assert Module.objects.filter(is_active=True).count() == len(read_course().modules)


@pytest.mark.django_db
class TestPeople:
    def test_synthetic_and_unusable_passwords(self, seeded):
        users = list(User.objects.filter(email__endswith=BENCH))
        assert len({u.password for u in users}) == 1
        assert not users[0].has_usable_password()
        for user in users:
            validate_registration_number(user.registration_number)
            assert user.email_verified_at >= user.date_joined
        assert all(len(p.ods_code) == 6 for p in Practice.objects.filter(ods_code__startswith="Z9"))

    def test_roles_are_mixed(self, seeded):
        roles = Counter(
            User.objects.filter(role=Role.CLINICIAN).values_list("professional_role", flat=True)
        )
        for role in (
            ProfessionalRole.GP,
            ProfessionalRole.PRACTICE_NURSE,
            ProfessionalRole.OTHER_CLINICIAN,
        ):
            assert roles[role] >= 3


@pytest.mark.django_db
class TestTraining:
    def test_attempts_are_scored_from_their_answers(self, seeded):
        correct_options = defaultdict(set)
        for qid, oid in Option.objects.filter(is_correct=True).values_list("question_id", "id"):
            correct_options[qid].add(oid)
        answers = defaultdict(list)
        for answer in AttemptAnswer.objects.all():
            answers[answer.attempt_id].append(answer)
        attempts = list(Attempt.objects.select_related("module"))
        submitted = [a for a in attempts if a.submitted_at]
        assert submitted
        assert sum(len(v) for v in answers.values()) == 8 * len(submitted)
        for attempt in attempts:
            presented = {item["question"]: set(item["options"]) for item in attempt.presented}
            assert len(presented) == attempt.question_count == 8
            given = answers.get(attempt.pk, [])
            if attempt.submitted_at is None:
                assert given == []
                assert attempt.passed is None and attempt.correct_count is None
                continue
            assert attempt.started_at < attempt.submitted_at
            assert {a.question_id for a in given} == set(presented)
            for answer in given:
                assert set(answer.selected) <= presented[answer.question_id]
                assert answer.is_correct == (
                    set(answer.selected) == correct_options[answer.question_id]
                )
            right = sum(a.is_correct for a in given)
            assert attempt.correct_count == right
            assert attempt.score_percent == right * 100 // 8
            assert attempt.passed == (right * 100 >= attempt.module.pass_mark * 8)

    def test_first_attempts_and_open_attempts(self, seeded):
        by_user_module = defaultdict(list)
        for attempt in Attempt.objects.order_by("started_at"):
            by_user_module[attempt.user_id, attempt.module_id].append(attempt)
        for attempts in by_user_module.values():
            assert sum(a.submitted_at is None for a in attempts) <= 1
            done = [a for a in attempts if a.submitted_at]
            if done:
                first = min(done, key=lambda a: a.submitted_at)
                assert [a.pk for a in done if a.is_first] == [first.pk]
        # The database refuses a second open attempt, as it does for real learners.
        open_attempt = Attempt.objects.filter(submitted_at__isnull=True).first()
        if open_attempt:
            with pytest.raises(IntegrityError), transaction.atomic():
                Attempt.objects.create(
                    user_id=open_attempt.user_id,
                    module_id=open_attempt.module_id,
                    content_version="x",
                    presented=[],
                    question_count=0,
                )

    def test_quizzes_follow_reading_and_completions_follow_passes(self, seeded):
        pages = defaultdict(set)
        for module_id, page_id in Module.objects.values_list("id", "pages"):
            pages[module_id].add(page_id)
        viewed = defaultdict(dict)
        for view in PageView.objects.all():
            viewed[view.user_id][view.page_id] = view.first_viewed_at
        for attempt in Attempt.objects.all():
            seen = viewed[attempt.user_id]
            assert pages[attempt.module_id] <= set(seen)
            assert max(seen[p] for p in pages[attempt.module_id]) <= attempt.started_at
        completions = list(ModuleCompletion.objects.select_related("attempt"))
        assert completions
        for completion in completions:
            attempt = completion.attempt
            assert attempt.passed is True
            assert (attempt.user_id, attempt.module_id) == (
                completion.user_id,
                completion.module_id,
            )
            assert completion.completed_at == attempt.submitted_at
            assert not Attempt.objects.filter(
                user_id=attempt.user_id,
                module_id=attempt.module_id,
                passed=True,
                submitted_at__lt=attempt.submitted_at,
            ).exists()
        passed_pairs = set(Attempt.objects.filter(passed=True).values_list("user_id", "module_id"))
        assert passed_pairs == {(c.user_id, c.module_id) for c in completions}

    def test_report_summaries_are_rebuilt_to_match_the_rows(self, seeded):
        learners = set(PageView.objects.values_list("user_id", flat=True)) | set(
            Attempt.objects.values_list("user_id", flat=True)
        )
        assert set(LearnerProgress.objects.values_list("user_id", flat=True)) == learners
        firsts = ModuleStat.objects.aggregate(n=Sum("first_attempts"), done=Sum("completions"))
        assert firsts["n"] == Attempt.objects.filter(is_first=True).count()
        assert firsts["done"] == ModuleCompletion.objects.count()
        assert QuestionStat.objects.aggregate(n=Sum("answered"))["n"] == (
            AttemptAnswer.objects.count()
        )

    def test_surveys_pair_up_and_certificates_follow(self, seeded):
        modules = Module.objects.filter(for_clinicians=True).count()  # bench learners: clinical
        completed = Counter(ModuleCompletion.objects.values_list("user_id", flat=True))
        complete_users = {u for u, n in completed.items() if n == modules}
        before = set(
            SurveyResponse.objects.filter(phase="before").values_list("user_id", flat=True)
        )
        after = set(SurveyResponse.objects.filter(phase="after").values_list("user_id", flat=True))
        active = set(PageView.objects.values_list("user_id", flat=True))
        assert len(before) > 0.6 * len(active)
        assert after <= complete_users
        certificates = {c.user_id: c for c in Certificate.objects.all()}
        assert set(certificates) == after
        last_done = {}
        for completion in ModuleCompletion.objects.all():
            last_done[completion.user_id] = max(
                last_done.get(completion.user_id, completion.completed_at),
                completion.completed_at,
            )
        for response in SurveyResponse.objects.filter(phase="after"):
            assert response.submitted_at >= last_done[response.user_id]
        for user_id, certificate in certificates.items():
            user = User.objects.get(pk=user_id)
            assert certificate.learner_name == user.full_name
            assert len(certificate.modules) == modules
            assert certificate.cpd_minutes == sum(m["cpd_minutes"] for m in certificate.modules)
            assert certificate.professional_role == user.get_professional_role_display()
        values = defaultdict(list)
        for phase, value in SurveyAnswer.objects.values_list("response__phase", "value"):
            assert 1 <= value <= 5
            values[phase].append(value)
        assert SurveyAnswer.objects.count() == 6 * SurveyResponse.objects.count()
        if values["after"]:
            mean = {k: sum(v) / len(v) for k, v in values.items()}
            assert mean["after"] > mean["before"]

    def test_hard_questions_stand_out(self, icbs):
        run_seed(clinicians=100, attempts=1500, screenings=0)
        rates = [
            sum(not ok for ok in answers) / len(answers)
            for answers in _answers_by_question().values()
            if len(answers) >= 20
        ]
        assert max(rates) > 2 * min(rates)


def _answers_by_question():
    result = defaultdict(list)
    for qid, ok in AttemptAnswer.objects.values_list("question_id", "is_correct"):
        result[qid].append(ok)
    return result


@pytest.mark.django_db
class TestScreenings:
    def test_results_are_those_of_the_rules(self, seeded):
        screenings = list(Screening.objects.select_related("clinician__practice"))
        for screening in screenings:
            result = rules.assess(screening.answers)
            assert screening.stalking == result.stalking
            assert screening.concern == result.concern
            assert screening.risk_count == result.risk_count
            assert screening.ptsd_count == result.ptsd_count
            assert screening.rules_version == rules.RULES_VERSION
            assert screening.flags == set(result.flags)
            assert screening.reasons == {k: list(v) for k, v in result.reasons.items()}
            clinician = screening.clinician
            assert clinician.professional_role != ProfessionalRole.PRACTICE_STAFF
            assert screening.practice_id == clinician.practice_id
            assert screening.icb_id == clinician.practice.icb_id
            assert screening.created_at > clinician.date_joined
        assert {s.stalking for s in screenings} == {"indicated", "possible", "not_indicated"}
        assert sum(any(getattr(s, f) for f in FLAG_FIELDS) for s in screenings) > 10

    def test_outcomes_for_a_share(self, seeded):
        outcomes = list(Outcome.objects.select_related("screening"))
        assert 0.2 * 100 < len(outcomes) < 0.9 * 100
        for outcome in outcomes:
            assert bool(outcome.referred_service_type) == outcome.referred_specialist
            assert outcome.recorded_at >= outcome.screening.created_at
            assert outcome.recorded_at <= timezone.now()


@pytest.mark.django_db
class TestDates:
    def test_spread_over_the_last_eighteen_months(self, icbs):
        run_seed(clinicians=60, attempts=600, screenings=150)
        now = timezone.now()
        earliest = now - datetime.timedelta(days=18 * 30.44 + 1)
        times = {
            "joined": list(User.objects.values_list("date_joined", flat=True)),
            "attempts": list(Attempt.objects.values_list("started_at", flat=True)),
            "views": list(PageView.objects.values_list("first_viewed_at", flat=True)),
            "surveys": list(SurveyResponse.objects.values_list("submitted_at", flat=True)),
            "completions": list(ModuleCompletion.objects.values_list("completed_at", flat=True)),
        }
        for name, values in times.items():
            assert values, name
            assert earliest <= min(values) and max(values) <= now, name
        months = {(t.year, t.month) for t in times["attempts"]}
        assert len(months) >= 10
        screened = list(Screening.objects.values_list("created_at", flat=True))
        assert min(screened) >= now - datetime.timedelta(days=365)
        assert len({(t.year, t.month) for t in screened}) >= 8


@pytest.mark.django_db
class TestRunsAgain:
    def test_adds_without_reset_and_replaces_with_it(self, icbs, clinician):
        run_seed()
        run_seed()
        real_view = PageView.objects.create(user=clinician, page=Page.objects.first())
        bench = User.objects.filter(email__endswith=BENCH, role=Role.CLINICIAN)
        assert bench.count() == 100
        assert Practice.objects.filter(ods_code__startswith="Z9").count() == 40
        assert Attempt.objects.count() == 600
        assert Screening.objects.count() == 200

        output = run_seed(reset=True)
        assert "reset" in output
        assert bench.count() == 50
        assert Attempt.objects.count() == 300
        assert Screening.objects.count() == 100
        # Real people and practices are left alone.
        assert User.objects.filter(pk=clinician.pk).exists()
        assert Practice.objects.filter(ods_code="A11111").exists()
        assert PageView.objects.filter(pk=real_view.pk).exists()
        assert PageView.objects.exclude(user__email__endswith=BENCH).count() == 1

    def test_reset_clears_references_that_are_set_null(self, icbs):
        run_seed()
        admin = User.objects.filter(email__endswith=BENCH, role=Role.ICB_ADMIN).first()
        service = ServiceFactory(name="Leeds Stalking Advocacy", icbs=["QWO"])
        Service.objects.filter(pk=service.pk).update(verified_by=admin)
        run_seed(reset=True)
        service.refresh_from_db()
        assert service.verified_by is None

    def test_reset_keeps_a_bench_practice_a_real_user_joined(self, icbs):
        run_seed()
        practice = Practice.objects.filter(ods_code__startswith="Z9").first()
        UserFactory(email="real@nhs.net", practice=practice)
        run_seed(reset=True, clinicians=0, attempts=0, screenings=0, practices=0, icb_admins=0)
        assert list(Practice.objects.filter(ods_code__startswith="Z9")) == [practice]
        assert not User.objects.filter(email__endswith=BENCH).exists()
        assert not Attempt.objects.exists()
        assert not Certificate.objects.exists()


@pytest.mark.django_db
class TestSafety:
    @override_settings(DEBUG=False)
    def test_refuses_with_debug_off_unless_forced(self, icbs):
        with pytest.raises(CommandError, match="--force"):
            call_command("seed_bench", stdout=io.StringIO(), **SMALL)
        assert not User.objects.filter(email__endswith=BENCH).exists()

    def test_too_many_practices(self, icbs):
        with pytest.raises(CommandError):
            run_seed(practices=data.MAX_PRACTICES + 1)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuilds")
def test_postgres_rebuilds_what_it_drops_for_a_big_load(icbs):
    tables = [m._meta.db_table for m in data.TOUCHED_TABLES]

    def constraints():
        with connection.cursor() as cursor:
            return {
                table: set(connection.introspection.get_constraints(cursor, table))
                for table in tables
            }

    call_command("load_training", stdout=io.StringIO())
    before = constraints()
    sink = data.PostgresSink(connection, defer_indexes_from=0)
    options = data.Options(**SMALL)
    data.seed(sink, options, timezone.now(), data.Timer(lambda step: None))
    assert constraints() == before
    assert set(sink.rebuild_seconds) >= {"training_attempt", "training_attemptanswer"}
    assert Attempt.objects.count() == 300


class TestPureHelpers:
    def test_split_total_adds_up(self):
        rng = random.Random(1)
        for total in (0, 1, 7, 1000):
            weights = [rng.random() for _ in range(13)] + [0.0]
            shares = data.split_total(total, weights)
            assert sum(shares) == total and shares[-1] == 0
        assert data.split_total(5, [0, 0]) in ([3, 2], [2, 3])

    def test_practice_codes_have_the_shape_but_not_the_range_of_real_ones(self):
        assert data.practice_code(0) == "Z90000"
        assert data.practice_code(9999) == "Z99999"
        with pytest.raises(ValueError):
            data.practice_code(10_000)

    def test_spread_times_rise_within_the_window(self):
        rng = random.Random(2)
        times = data.spread_times(rng, 1000.0, 5000.0, [True, False, False, True, False])
        assert times == sorted(times)
        assert times[0] > 1000.0 and times[-1] <= 5000.0

    def test_screening_answers_are_valid_checklist_answers(self):
        rng = random.Random(3)
        levels = Counter()
        for _ in range(500):
            levels[rules.assess(data.screening_answers(rng)).stalking] += 1
        assert all(n > 50 for n in levels.values()) and len(levels) == 3

    def test_wrong_answers_are_never_right(self):
        rng = random.Random(4)
        single = data.question_data(rng, 1, [(10, False), (11, True), (12, False)], 0.0)
        multiple = data.question_data(rng, 2, [(20, True), (21, True), (22, False)], 0.0)
        for q in (single, multiple):
            assert q.correct not in q.wrong
            assert all(json.loads(item)["question"] == q.id for item in q.shown)
        assert multiple.correct == "[20, 21]"
        assert set(multiple.wrong) == {"[21]", "[20]", "[20, 21, 22]"}

    def test_pass_probability(self):
        assert data.pass_probability(1.0, 8, 80) == pytest.approx(1.0)
        assert 0.6 < data.pass_probability(0.85, 8, 80) < 0.7
