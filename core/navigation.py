"""Decide which navigation links a user sees, from their role.

Only links whose URL exists are offered, so the menu grows as features land and never
points at a page that is not there.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


# (label, URL name, roles that see it)
_MENU = (
    ("My training", "training:home", {Role.CLINICIAN, Role.ICB_ADMIN, Role.SITE_ADMIN}),
    ("Certificates", "certificates:list", {Role.CLINICIAN, Role.ICB_ADMIN, Role.SITE_ADMIN}),
    ("Screening checklist", "screening:new", {Role.CLINICIAN}),
    ("My screenings", "screening:list", {Role.CLINICIAN}),
    (
        "Referral directory",
        "referrals:directory",
        {Role.CLINICIAN, Role.ICB_ADMIN, Role.SITE_ADMIN},
    ),
    ("Manage directory", "referrals:manage", {Role.ICB_ADMIN, Role.SITE_ADMIN}),
    ("Reports", "reporting:dashboard", {Role.ICB_ADMIN, Role.SITE_ADMIN}),
    ("Practice moves", "accounts:practice_moves", {Role.ICB_ADMIN, Role.SITE_ADMIN}),
    ("Site administration", "admin:index", {Role.SITE_ADMIN}),
)


def menu_for(user, current_path: str) -> list[NavItem]:
    """Return the navigation items this user's role may use, marking the current one."""
    if not user.is_authenticated:
        return []
    links = []
    for label, url_name, roles in _MENU:
        if user.role not in roles:
            continue
        try:
            links.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    # The current item is the one whose address is the longest prefix of this page's, so
    # /referrals/manage/ marks "Manage directory" and not "Referral directory" as well.
    matching = [href for _, href in links if href != "/" and current_path.startswith(href)]
    current = max(matching, key=len, default=None)
    return [NavItem(label=label, href=href, current=href == current) for label, href in links]
