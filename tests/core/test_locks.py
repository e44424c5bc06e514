"""Production installs the runtime lock only: no test or lint tool ships to production."""

import re
import tomllib

from django.conf import settings

ROOT = settings.BASE_DIR


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return dict(re.findall(r"^([a-z0-9][a-z0-9._\-]*)==(\S+)", text, re.MULTILINE))


def test_the_runtime_lock_holds_no_development_tool():
    runtime = pins("requirements.lock")
    for tool in ("pytest", "pytest-django", "pytest-xdist", "playwright", "hypothesis", "ruff"):
        assert tool not in runtime
    assert "django" in runtime and "weasyprint" in runtime


def test_the_development_lock_is_the_runtime_lock_plus_tools_at_the_same_versions():
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: development.get(name) for name in runtime} == runtime
    assert "pytest" in development and "playwright" in development


def test_every_declared_dependency_is_pinned_in_its_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements):
        return {re.split(r"[\[~=<>!; ]", r, maxsplit=1)[0].lower() for r in requirements}

    assert names(project["dependencies"]) <= set(pins("requirements.lock"))
    assert names(project["optional-dependencies"]["dev"]) <= set(pins("requirements-dev.lock"))
