"""Fixtures shared with the collector and console tests: the local fake API, the settings
helper, and the AppTest runner."""

from tests.collectors.conftest import fake_api, settings_env  # noqa: F401  (shared fixtures)
from tests.console.conftest import app  # noqa: F401
