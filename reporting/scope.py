"""Who sees which figures: the one place that decides a report's scope.

An ICB admin always sees their own ICB, whatever the query string says. A site admin sees
England, or any ICB they pick with ?icb=. Nobody else sees reports.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.models import ICB, Practice


@dataclass(frozen=True)
class Scope:
    icb: ICB | None  # None: England
    start: datetime.date | None = None
    end: datetime.date | None = None
    practice: Practice | None = None
    professional_role: str = ""
    period_label: str = "All months"

    @property
    def filtered(self) -> bool:
        """Return True if a practice or professional role narrows the figures."""
        return bool(self.practice or self.professional_role)

    @property
    def area_name(self) -> str:
        return self.icb.name if self.icb else "England"


BOTH_FILTERS = (
    "Choose a practice or a professional role, not both: together they make groups too small "
    "to show safely"
)
MONTH_FILTERED = "For one practice or role, choose a quarter, a financial year or all months"


def filter_problems(*, period_kind: str, practice: bool, professional_role: bool) -> dict:
    """Return {field: message} for a combination of filters reports do not offer.

    Single months of one practice or role, and one role within one practice, are the smallest
    groups there are: offering them would give a reader many overlapping small figures.
    """
    problems = {}
    if practice and professional_role:
        problems["professional_role"] = BOTH_FILTERS
    if (practice or professional_role) and period_kind == "month":
        problems["period"] = MONTH_FILTERED
    return problems


def require_report_viewer(user) -> None:
    """Refuse anyone who is not an ICB admin or a site admin."""
    if not (user.is_icb_admin or user.is_site_admin):
        raise PermissionDenied("Reports are for ICB admins and site admins")


def allowed_icb(user, requested_code: str | None) -> ICB | None:
    """Return the ICB the user may report on given the ?icb= they asked for."""
    require_report_viewer(user)
    if user.is_icb_admin:
        return user.icb  # the query string cannot widen an ICB admin's view
    code = str(requested_code or "").upper()[:5]
    # No ICB code holds a NUL, and PostgreSQL refuses one in a query: treat it as unknown.
    if code and "\x00" not in code:
        return ICB.objects.filter(pk=code).first()
    return None
