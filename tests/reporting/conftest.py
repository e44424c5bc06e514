"""Hand-countable report data across two ICBs.

West Yorkshire (QWO):
- Practice P1: 10 GPs. 8 completed both modules, 1 only read a page, 1 did nothing.
- Practice P2: 6 nurses. 3 completed, 2 only read a page, 1 did nothing.
  So QWO has 16 registered, 14 started, 11 completed; P1 is fully trained (80%), P2 not (50%).
- Surveys: all 11 completers answered before and after; the 3 other starters only before.
  "identify": 6 of the 11 agreed before, all 11 after.
- 12 screenings by P1's first GP: 7 indicated, 5 possible; 5 high and 7 raised concern;
  PTSD assessment recommended in 10, arranged in 6 of those.
Cheshire and Merseyside (QYG):
- Practice P3: 20 GPs, all completed; 30 screenings, all high concern. Never in QWO's figures.
"""

import uuid

import pytest
from django.utils import timezone

from reporting.summaries import rebuild_all
from screening.models import Outcome, Screening
from tests.factories import PracticeFactory, UserFactory, icb
from tests.training.conftest import (  # noqa: F401 - fixtures shared with training tests
    before_survey_done,
    course,
    make_module,
)
from training.content import CourseSpec
from training.models import (
    Attempt,
    Module,
    ModuleCompletion,
    PageView,
    SurveyAnswer,
    SurveyResponse,
)
from training.services import content_load
from training.survey import STATEMENTS


def complete(user, modules):
    for module in modules:
        attempt = Attempt.objects.create(
            user=user,
            module=module,
            content_version="test.1",
            presented=[],
            question_count=8,
            submitted_at=timezone.now(),
            correct_count=8,
            score_percent=100,
            passed=True,
            is_first=True,
        )
        ModuleCompletion.objects.create(
            user=user,
            module=module,
            attempt=attempt,
            content_version="test.1",
            completed_at=timezone.now(),
        )
    PageView.objects.get_or_create(user=user, page=modules[0].pages.first())


def start(user, modules):
    PageView.objects.create(user=user, page=modules[0].pages.first())


def survey(user, phase, agree_identify):
    response = SurveyResponse.objects.create(
        user=user, phase=phase, content_version="test.1", submitted_at=timezone.now()
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            response=response,
            statement=key,
            value=4 if (key != "identify" or agree_identify) else 2,
        )
        for key, _ in STATEMENTS
    )


def screening(clinician, *, stalking, concern, ptsd=False, arranged=False):
    s = Screening.objects.create(
        clinician=clinician,
        practice=clinician.practice,
        icb=clinician.practice.icb,
        submission_id=uuid.uuid4(),
        answers={},
        rules_version="2026.1",
        stalking=stalking,
        concern=concern,
        reasons={},
        risk_count=0,
        ptsd_count=0,
        flag_ptsd_assessment=ptsd,
    )
    if arranged:
        Outcome.objects.create(
            screening=s,
            ptsd_assessment_arranged=True,
            referred_specialist=True,
            referred_service_type="stalking_advocacy",
        )
    return s


@pytest.fixture
def report_data(icbs):
    content_load(
        course=CourseSpec(
            version="test.1", modules=(make_module("alpha", 1), make_module("beta", 2))
        )
    )
    modules = list(Module.objects.order_by("order"))
    p1 = PracticeFactory(ods_code="P00001", name="P1 Surgery", icb=icb("QWO"))
    p2 = PracticeFactory(ods_code="P00002", name="P2 Health Centre", icb=icb("QWO"))
    p3 = PracticeFactory(ods_code="P00003", name="P3 Medical Practice", icb=icb("QYG"))
    gps = [UserFactory(practice=p1, professional_role="gp") for _ in range(10)]
    nurses = [UserFactory(practice=p2, professional_role="practice_nurse") for _ in range(6)]
    others = [UserFactory(practice=p3, professional_role="gp") for _ in range(20)]
    completers = gps[:8] + nurses[:3]
    for n, user in enumerate(completers):
        complete(user, modules)
        survey(user, "before", agree_identify=n < 6)
        survey(user, "after", agree_identify=True)
    for user in [gps[8], *nurses[3:5]]:
        start(user, modules)
        survey(user, "before", agree_identify=False)
    for user in others:
        complete(user, modules)
    for n in range(12):
        screening(
            gps[0],
            stalking="indicated" if n < 7 else "possible",
            concern="high" if n < 5 else "raised",
            ptsd=n < 10,
            arranged=n < 6,
        )
    for _ in range(30):
        screening(others[0], stalking="indicated", concern="high", ptsd=True, arranged=True)
    rebuild_all()
    return {"p1": p1, "p2": p2, "p3": p3, "modules": modules}
