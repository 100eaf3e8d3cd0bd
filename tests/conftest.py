import pytest


# The repository checks read the repository's files and run commands; they
# need no Odoo database. pytest-odoo, when installed, loads one for every
# session: these fixtures of the same names replace its own here.
@pytest.fixture(scope="session", autouse=True)
def load_registry():
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    yield
