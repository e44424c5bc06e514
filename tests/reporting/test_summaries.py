import pytest

from reporting.models import QuestionStat
from reporting.scope import Scope
from reporting.selectors import hardest_questions
from reporting.summaries import question_stats_rebuild
from training.services import attempt_start, attempt_submit, page_view_record


def _stats():
    return sorted(
        QuestionStat.objects.values_list(
            "question_id", "icb_id", "professional_role", "month", "answered", "wrong"
        )
    )


@pytest.mark.django_db
def test_counts_kept_on_submit_match_a_full_rebuild(
    clinician, other_icb_clinician, course, before_survey_done
):
    for user in (clinician, other_icb_clinician):
        for page in course[0].pages.all():
            page_view_record(user=user, page=page)
        for _ in range(3):
            attempt_submit(attempt=attempt_start(user=user, module=course[0]), selections={})
    on_write = _stats()
    assert sum(row[4] for row in on_write) == 2 * 3 * 8
    assert sum(row[5] for row in on_write) == 2 * 3 * 8  # nothing selected: all wrong
    question_stats_rebuild()
    assert _stats() == on_write

    west_yorkshire = hardest_questions(Scope(icb=clinician.practice.icb))
    assert sum(q.answered for q in west_yorkshire) <= 3 * 8
    assert all(q.wrong == q.answered for q in west_yorkshire)
