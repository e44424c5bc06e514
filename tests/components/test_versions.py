"""nhsuk-frontend (npm) and nhsuk-frontend-jinja (pip) are upgraded together.

The macros are the reference for our markup only while they match the CSS and JavaScript we
ship. NHS England releases them in step; upgrading one without the other fails here, and the
component tests then show what changed in the markup.
"""

import json
import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: nhsuk-frontend version -> the nhsuk-frontend-jinja release that ports it (from the
#: compatibility table in nhsuk-frontend-jinja's README).
KNOWN_PAIRS = {"10.6.1": "0.10.2"}


def _npm_spec():
    return json.loads((ROOT / "package.json").read_text())["dependencies"]["nhsuk-frontend"]


def _npm_locked():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"]["node_modules/nhsuk-frontend"]["version"]


def _pip_locked():
    text = (ROOT / "requirements-dev.lock").read_text()
    match = re.search(r"^nhsuk-frontend-jinja==(\S+)", text, re.MULTILINE)
    assert match, "nhsuk-frontend-jinja is not pinned in requirements-dev.lock"
    return match.group(1)


def test_package_json_and_its_lock_agree():
    assert _npm_spec().lstrip("^~=") == _npm_locked(), (
        "package.json's nhsuk-frontend range should start at the locked version"
    )


def test_the_frontend_and_its_jinja_port_are_a_known_pair():
    frontend = _npm_locked()
    assert frontend in KNOWN_PAIRS, (
        f"nhsuk-frontend {frontend} has no known nhsuk-frontend-jinja release here: upgrade "
        "nhsuk-frontend-jinja to the matching version (see its README) and add the pair to "
        "KNOWN_PAIRS"
    )
    assert _pip_locked() == KNOWN_PAIRS[frontend], (
        f"nhsuk-frontend {frontend} needs nhsuk-frontend-jinja {KNOWN_PAIRS[frontend]}, "
        f"but requirements-dev.lock pins {_pip_locked()}"
    )


def test_the_installed_packages_are_the_locked_ones():
    assert version("nhsuk-frontend-jinja") == _pip_locked()
    installed = ROOT / "node_modules" / "nhsuk-frontend" / "package.json"
    if installed.exists():
        assert json.loads(installed.read_text())["version"] == _npm_locked()
