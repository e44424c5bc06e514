"""Render training pages from Markdown without ever passing raw HTML through."""

from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "html": False makes any HTML in the content show as text; markdown-it also refuses
# javascript: and similar link targets.
_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


@lru_cache(maxsize=256)
def render_markdown(text: str) -> SafeString:
    """Return the content as HTML that is safe to put in a page."""
    return mark_safe(_md.render(text))  # noqa: S308 - markdown-it escapes all raw HTML
