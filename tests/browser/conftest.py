"""Playwright fixtures: Debian's Chromium (never a downloaded browser) against a live server.

Every page a browser test loads must be checked with axe-core before the test moves on or ends:
`page.on("load")` marks the page unchecked, `check_accessibility` clears the mark, and the
fixture fails the test if a page was left unchecked.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.demo import seed_demo_accounts

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in fixtures are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's package with "
            "`sudo apt-get install chromium` (or set CHROMIUM_PATH) to run the browser tests"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not AXE_JS.exists():
        pytest.fail(f"axe-core not found at {AXE_JS}: run `npm ci` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessibilityError(AssertionError):
    pass


# Resolves once the page has gone SETTLE_MS without a DOM change (at most MAX_WAIT_MS). The NHS.UK
# header moves navigation items into its "More" menu on the animation frame after a resize; axe
# run while that happens measures colour contrast on items in mid-move and reports a violation
# that no user sees, so every check waits for the page to be still first.
SETTLE_JS = """async ([settleMs, maxWaitMs]) => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await new Promise((resolve) => {
        let timer = setTimeout(done, settleMs);
        const giveUp = setTimeout(done, maxWaitMs);
        const observer = new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(done, settleMs);
        });
        observer.observe(document, {subtree: true, childList: true, attributes: true});
        function done() {
            observer.disconnect();
            clearTimeout(timer);
            clearTimeout(giveUp);
            resolve();
        }
    });
}"""
SETTLE_MS = 60
MAX_WAIT_MS = 2_000


# Links a user can reach, grouped by accessible name: a name shared by links that go to different
# places ("Change", "Read more") does not say where either goes (WCAG 2.4.4, 2.4.9), as
# NHSDigital/dtos-manage-breast-screening's system tests also insist. The name is worked out as
# browsers do for links: aria-labelledby, then aria-label, then the text (visually hidden text
# included, aria-hidden parts and images' alt aside).
DUPLICATE_LINKS_JS = """() => {
    const textOf = (node) => {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent;
        if (node.nodeType !== Node.ELEMENT_NODE) return "";
        if (node.getAttribute("aria-hidden") === "true") return "";
        if (node.tagName === "IMG") return node.getAttribute("alt") || "";
        return Array.from(node.childNodes).map(textOf).join("");
    };
    const nameOf = (link) => {
        const labelledBy = link.getAttribute("aria-labelledby");
        if (labelledBy) {
            return labelledBy.split(/\\s+/).map((id) => {
                const target = document.getElementById(id);
                return target ? textOf(target) : "";
            }).join(" ");
        }
        return link.getAttribute("aria-label") || textOf(link);
    };
    const byName = new Map();
    for (const link of document.querySelectorAll("a[href], [role=link][href]")) {
        if (link.closest("[hidden], [aria-hidden=true]") || !link.getClientRects().length) continue;
        const name = nameOf(link).replace(/\\s+/g, " ").trim();
        if (!name) continue;
        if (!byName.has(name)) byName.set(name, new Set());
        byName.get(name).add(link.href);
    }
    return Array.from(byName, ([name, hrefs]) => ({name, hrefs: Array.from(hrefs)}))
        .filter((entry) => entry.hrefs.length > 1);
}"""


def check_accessibility(page) -> None:
    """Run axe-core on the page once it is still; fail with every violation found.

    Also fail when links with the same accessible name lead to different places (except in
    Django's admin).
    """
    page.evaluate(SETTLE_JS, [SETTLE_MS, MAX_WAIT_MS])
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        AXE_TAGS,
    )
    # Django's admin is Django's markup, with an "Add" and a "Change" link for every model.
    is_admin = urlsplit(page.url).path.startswith(reverse("admin:index"))
    duplicates = [] if is_admin else page.evaluate(DUPLICATE_LINKS_JS)
    page.unchecked_urls.clear()
    lines = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations]
    lines += [
        f"duplicate-link-text: links named {d['name']!r} go to different places: {d['hrefs']}"
        for d in duplicates
    ]
    if lines:
        raise AccessibilityError(
            f"{len(lines)} accessibility problem(s) on {page.url}:\n" + "\n".join(lines)
        )


def _new_page(browser, live_server, **context_options):
    # bypass_csp lets axe's script be injected under the site's Content Security Policy.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.unchecked_urls = []
    page.on("load", lambda p: p.unchecked_urls.append(p.url))
    return context, page


@pytest.fixture
def demo_accounts(transactional_db, icbs):
    seed_demo_accounts()


@pytest.fixture
def page(browser, live_server, demo_accounts):
    context, page = _new_page(browser, live_server)
    yield page
    unchecked = list(page.unchecked_urls)
    context.close()
    assert not unchecked, f"pages loaded without an accessibility check: {unchecked}"


@pytest.fixture
def page_without_js(browser, live_server, demo_accounts):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


def pytest_report_header(config):
    found = CHROMIUM.exists() or shutil.which("chromium")
    return f"browser tests: Chromium {'at ' + str(CHROMIUM) if found else 'NOT FOUND (they skip)'}"
