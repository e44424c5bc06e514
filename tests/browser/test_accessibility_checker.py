"""`check_accessibility` fails on links that share a name but go to different places."""

import pytest

from tests.browser.conftest import AccessibilityError, check_accessibility

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Links</title></head><body>
<main><h1>Services</h1>{links}</main></body></html>"""


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.unchecked_urls = []
    yield page
    context.close()


def _check(page, links):
    page.set_content(PAGE.format(links=links))
    check_accessibility(page)


def test_same_name_different_places_fails(blank_page):
    links = '<p><a href="/a/edit">Change</a></p><p><a href="/b/edit">Change</a></p>'
    with pytest.raises(AccessibilityError, match="links named 'Change' go to different places"):
        _check(blank_page, links)


def test_visually_hidden_context_tells_them_apart(blank_page):
    hidden = 'style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)"'
    links = (
        f'<p><a href="/a/edit">Change<span {hidden}> name</span></a></p>'
        f'<p><a href="/b/edit">Change<span {hidden}> email</span></a></p>'
        '<p><a href="/a/edit" aria-label="Edit A">Edit</a> <a href="/b/edit">Edit B</a></p>'
    )
    _check(blank_page, links)


def test_same_name_same_place_and_hidden_links_pass(blank_page):
    links = (
        '<p><a href="/help">Help</a> <a href="/help">Help</a></p>'
        '<p hidden><a href="/other-help">Help</a></p>'
        '<p><a href="/x" aria-hidden="true" tabindex="-1">Help</a></p>'
    )
    _check(blank_page, links)
