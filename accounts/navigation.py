"""The header menu by role: who is shown which link (registered with core/navigation.py)."""

from dataclasses import dataclass

from accounts.models import Role
from core.navigation import MenuEntry, register


@dataclass(frozen=True)
class HasRole:
    """Shown to users whose role is one of these."""

    roles: frozenset[str]

    def __call__(self, user) -> bool:
        return user.role in self.roles


EVERYONE = HasRole(frozenset(Role))
CLINICIANS = HasRole(frozenset({Role.CLINICIAN}))
ADMINS = HasRole(frozenset({Role.ICB_ADMIN, Role.SITE_ADMIN}))
SITE_ADMINS = HasRole(frozenset({Role.SITE_ADMIN}))

# In menu order. Admins may take the training, to know what they report on.
MENU = (
    MenuEntry("My training", "training:home", EVERYONE),
    MenuEntry("Certificates", "certificates:list", EVERYONE),
    MenuEntry("Screening checklist", "screening:new", CLINICIANS),
    MenuEntry("My screenings", "screening:list", CLINICIANS),
    MenuEntry("Referral directory", "referrals:directory", EVERYONE),
    MenuEntry("Manage directory", "referrals:manage", ADMINS),
    MenuEntry("Reports", "reporting:dashboard", ADMINS),
    MenuEntry("Practice moves", "accounts:practice_moves", ADMINS),
    MenuEntry("Site administration", "admin:index", SITE_ADMINS),
)


def register_menu() -> None:
    """Register the menu with core (called once, from AccountsConfig.ready)."""
    register(*MENU)
