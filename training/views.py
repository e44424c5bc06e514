"""Training pages: my training, module pages, quiz, results, surveys."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import learner_required
from training import selectors, services
from training.forms import QuizForm, ReflectiveNoteForm, SurveyForm
from training.markdown import render_markdown
from training.models import ReflectiveNote, SurveyPhase
from training.survey import STATEMENTS


@learner_required
def home(request):
    """Show the learner's task list: surveys, modules and certificate, each with a status."""
    overview = selectors.training_overview(request.user)
    return render(request, "training/home.html", {"overview": overview})


def _before_survey_missing(user) -> bool:
    return not selectors.before_survey_done(user)


@learner_required
def module(request, slug):
    """Show a module's overview: its pages, progress and quiz results so far."""
    if _before_survey_missing(request.user):
        messages.info(request, "Before you start, tell us how confident you feel now.")
        return redirect("training:survey", phase="before")
    # The learner's modules with their status (one query) also find this one: no second query.
    status = next(
        (s for s in selectors.modules_with_status(request.user) if s.module.slug == slug), None
    )
    if status is None:
        raise Http404("No such module")
    mod = status.module
    return render(
        request,
        "training/module.html",
        {
            "module": mod,
            "status": status,
            "pages": selectors.module_pages(mod),
            "attempts": selectors.attempt_history(request.user, mod),
        },
    )


@learner_required
def page(request, slug, number):
    """Show one page of a module and record that the learner has read it."""
    if _before_survey_missing(request.user):
        return redirect("training:survey", phase="before")
    mod = selectors.module_for_learner(slug, request.user)
    pages = selectors.module_pages(mod, with_body=True)
    if not 1 <= number <= len(pages) or pages[number - 1].number != number:
        raise Http404("No such page")
    current = pages[number - 1]
    services.page_view_record(user=request.user, page=current)
    return render(
        request,
        "training/page.html",
        {
            "module": mod,
            "page": current,
            "body": render_markdown(current.body),
            "previous": pages[number - 2] if number > 1 else None,
            "next": pages[number] if number < len(pages) else None,
            "page_count": len(pages),
        },
    )


@learner_required
def quiz(request, slug):
    """Show the learner's open attempt, or start one; score it when submitted."""
    if _before_survey_missing(request.user):
        return redirect("training:survey", phase="before")
    mod = selectors.module_for_learner(slug, request.user)
    unread = selectors.unread_pages(request.user, mod)
    if unread:
        return render(request, "training/quiz_locked.html", {"module": mod, "unread": unread})
    if request.method == "POST":
        attempt = selectors.attempt_for_owner(request.user, mod, request.POST.get("attempt"))
        if attempt.is_submitted:
            # A double click, the back button or a replay: show the result already given.
            return redirect(attempt)
        questions = selectors.attempt_questions(attempt)
        form = QuizForm(request.POST, questions=questions, attempt=attempt)
        if form.is_valid():
            services.attempt_submit(attempt=attempt, selections=form.selections())
            return redirect(attempt)
    else:
        attempt = services.attempt_start(user=request.user, module=mod)
        questions = selectors.attempt_questions(attempt)
        form = QuizForm(questions=questions, attempt=attempt)
    return render(request, "training/quiz.html", {"module": mod, "attempt": attempt, "form": form})


@learner_required
def attempt(request, slug, pk):
    """Show a submitted attempt: score, pass or fail, and every answer with its explanation."""
    mod = selectors.module_for_learner(slug, request.user)
    att = selectors.attempt_for_owner(request.user, mod, pk)
    if not att.is_submitted:
        return redirect("training:quiz", slug=mod.slug)
    note = ReflectiveNote.objects.filter(user=request.user, module=mod).first()
    return render(
        request,
        "training/attempt.html",
        {
            "module": mod,
            "attempt": att,
            "questions": selectors.attempt_questions(att),
            "next_module": selectors.next_module(request.user, mod) if att.passed else None,
            "note_form": ReflectiveNoteForm(initial={"text": note.text if note else ""}),
        },
    )


@learner_required
@require_POST
def note(request, slug):
    """Save the learner's private reflective note on a module."""
    mod = selectors.module_for_learner(slug, request.user)
    form = ReflectiveNoteForm(request.POST)
    if form.is_valid():
        services.note_save(user=request.user, module=mod, text=form.cleaned_data["text"])
        messages.success(request, "Your reflective note has been saved.")
        return redirect("training:module", slug=mod.slug)
    return render(request, "training/note.html", {"module": mod, "form": form})


@learner_required
def survey(request, phase):
    """Ask the confidence statements before or after the course; once per version."""
    if phase not in SurveyPhase.values:
        raise Http404("No such survey")
    overview = selectors.training_overview(request.user)
    done = overview.before_done if phase == SurveyPhase.BEFORE else overview.after_done
    if done:
        messages.info(request, "You have already completed this survey. Thank you.")
        return redirect("training:home")
    if phase == SurveyPhase.AFTER and not overview.all_completed:
        messages.info(request, "The after-training survey opens when you complete every module.")
        return redirect("training:home")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.survey_submit(
            user=request.user, phase=phase, version=overview.version, answers=form.answers()
        )
        if phase == SurveyPhase.AFTER:
            messages.success(request, "Thank you. Your certificate is ready.")
            return redirect("certificates:list")
        messages.success(request, "Thank you. You can now start the first module.")
        return redirect("training:home")
    return render(
        request,
        "training/survey.html",
        {
            "form": form,
            "phase": phase,
            "statements": STATEMENTS,
            "title": "Before you start" if phase == SurveyPhase.BEFORE else "After the training",
            "home_url": reverse("training:home"),
        },
    )
