"""The console's AppTest fixture serves the security suite too."""

from tests.console.conftest import app  # noqa: F401
