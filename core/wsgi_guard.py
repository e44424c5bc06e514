"""Make a request Django could not even begin to build into one it can answer.

Django builds request.GET in WSGIRequest's constructor, decoding the query string with the
charset the Content-Type header names, before any middleware or error page can run. A charset
Python knows but that is not a text encoding (base64, hex, zlib, rot13) makes that decoding
raise, and the server answers with its own bare 500. So before Django sees the request, a
charset that is not a text encoding is removed from the header: the request is then read as
UTF-8, and a form body that is not UTF-8 gets the styled 400 page (core.views).
"""

import codecs
import re

_CHARSET = re.compile(r";\s*charset\s*=\s*(\"?)([^\";]*)\1", re.IGNORECASE)


def usable_charset(name: str) -> bool:
    """Return whether Python can decode text with this charset."""
    try:
        return codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False


def without_unusable_charset(content_type: str) -> str:
    """Return the Content-Type with any charset that is not a text encoding removed."""
    return _CHARSET.sub(
        lambda m: m.group(0) if usable_charset(m.group(2).strip()) else "", content_type
    )


class CharsetGuard:
    """WSGI middleware around Django's application (config/wsgi.py)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "")
        if "charset" in content_type.lower():
            environ["CONTENT_TYPE"] = without_unusable_charset(content_type)
        return self.app(environ, start_response)
