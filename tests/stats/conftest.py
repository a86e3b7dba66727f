from tests.programme.conftest import world  # noqa: F401 - the shared fixture
