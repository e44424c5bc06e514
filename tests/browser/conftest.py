"""Playwright fixtures: Debian's Chromium (never a downloaded browser) against a live server.

Every page a browser test loads must be checked with axe-core before the test moves on or ends:
`page.on("load")` marks the page unchecked, `check_accessibility` clears the mark, and the
fixture fails the test if a page was left unchecked.
"""

import os
import shutil
from pathlib import Path

import pytest

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


def check_accessibility(page) -> None:
    """Run axe-core on the page once it is still; fail with every violation found."""
    page.evaluate(SETTLE_JS, [SETTLE_MS, MAX_WAIT_MS])
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        AXE_TAGS,
    )
    page.unchecked_urls.clear()
    if violations:
        lines = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations]
        raise AccessibilityError(
            f"axe found {len(violations)} violation(s) on {page.url}:\n" + "\n".join(lines)
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
