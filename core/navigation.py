"""Build the header menu from the links the apps register.

Core knows no app and no role: an app registers its links from its AppConfig.ready(), each
with a test of who is shown it (accounts/navigation.py registers the menu by role). Only links
whose URL exists are offered, so the menu grows as features land and never points at a page
that is not there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuEntry:
    """A link an app offers in the header menu, and which signed-in users are shown it."""

    label: str
    url_name: str
    shown_to: Callable[[object], bool]


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


_entries: list[MenuEntry] = []


def register(*entries: MenuEntry) -> None:
    """Add links to the end of the menu; a URL name already registered is not added twice."""
    known = {entry.url_name for entry in _entries}
    for entry in entries:
        if entry.url_name not in known:
            _entries.append(entry)
            known.add(entry.url_name)


def menu_for(user, current_path: str) -> list[NavItem]:
    """Return the registered links this signed-in user is shown, marking the current one."""
    if not user.is_authenticated:
        return []
    links = []
    for entry in _entries:
        if not entry.shown_to(user):
            continue
        try:
            links.append((entry.label, reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    # The current item is the one whose address is the longest prefix of this page's, so
    # /referrals/manage/ marks "Manage directory" and not "Referral directory" as well.
    matching = [href for _, href in links if href != "/" and current_path.startswith(href)]
    current = max(matching, key=len, default=None)
    return [NavItem(label=label, href=href, current=href == current) for label, href in links]
