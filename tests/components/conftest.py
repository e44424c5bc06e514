"""The training course fixtures, for the pages that show training content."""

from tests.training.conftest import before_survey_done, course  # noqa: F401 - fixtures
