"""The collectors' local fake API and settings helper, for the probes that run collectors."""

from tests.collectors.conftest import fake_api, settings_env  # noqa: F401  (shared fixtures)
