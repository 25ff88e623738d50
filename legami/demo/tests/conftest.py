import pytest


@pytest.fixture(autouse=True)
def _demo_site(settings):
    # The demo commands run only on a demo or development site (LEGAMI_DEMO=1, as make demo).
    settings.LEGAMI_DEMO = True
