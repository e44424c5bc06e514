"""The learner's next step in the training, for the signed-in start page."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from training import selectors

register = template.Library()


@dataclass(frozen=True)
class NextStep:
    done: int
    total: int
    label: str
    href: str

    @property
    def progress(self) -> str:
        return f"{self.done} of {self.total} modules done"


@register.simple_tag
def training_next_step(user) -> NextStep | None:
    """Return where the learner goes next and how far they are, or None if not a learner."""
    if not getattr(user, "is_clinician", False):
        return None
    overview = selectors.training_overview(user)
    done = sum(m.status == selectors.COMPLETED for m in overview.modules)
    total = len(overview.modules)
    if not overview.before_done:
        label, href = (
            "Start with the confidence survey",
            reverse("training:survey", args=["before"]),
        )
    elif unfinished := next((m for m in overview.modules if m.status != selectors.COMPLETED), None):
        verb = "Carry on with" if unfinished.status == selectors.IN_PROGRESS else "Start"
        label, href = f"{verb} {unfinished.module.title}", unfinished.module.get_absolute_url()
    elif not overview.after_done:
        label, href = (
            "Fill in the after-training survey",
            reverse("training:survey", args=["after"]),
        )
    else:
        label, href = "See your certificate", reverse("certificates:list")
    return NextStep(done=done, total=total, label=label, href=href)
