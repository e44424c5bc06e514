"""Reporting keeps its summaries by listening to training, in the learner's own transaction:
a summary commits or rolls back with the row it counts, and a failing summary fails the write."""

import pytest
from django.db import transaction

from reporting import summaries
from reporting.models import LearnerProgress, QuestionStat
from training.models import Attempt, AttemptAnswer
from training.services import attempt_start, attempt_submit


class Boom(Exception):
    pass


@pytest.mark.django_db
def test_summaries_are_written_before_the_transaction_commits(clinician, course):
    with transaction.atomic():
        attempt_submit(attempt=attempt_start(user=clinician, module=course[0]), selections={})
        # Read inside the same transaction: no on_commit hook has run.
        assert LearnerProgress.objects.filter(user=clinician).exists()
        assert QuestionStat.objects.count() == 8


@pytest.mark.django_db
def test_a_rolled_back_submission_leaves_no_summary(clinician, course):
    attempt = attempt_start(user=clinician, module=course[0])
    with pytest.raises(Boom), transaction.atomic():
        attempt_submit(attempt=attempt, selections={})
        raise Boom
    assert QuestionStat.objects.count() == 0
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


@pytest.mark.django_db
def test_a_failing_summary_fails_the_submission(clinician, course, monkeypatch):
    attempt = attempt_start(user=clinician, module=course[0])

    def broken(**kwargs):
        raise Boom

    monkeypatch.setattr(summaries, "question_stats_add", broken)
    with pytest.raises(Boom):
        attempt_submit(attempt=attempt, selections={})
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


@pytest.mark.django_db
def test_an_admins_training_is_announced_but_not_counted(icb_admin, course):
    attempt_submit(attempt=attempt_start(user=icb_admin, module=course[0]), selections={})
    assert not LearnerProgress.objects.exists()
    assert QuestionStat.objects.count() == 0
