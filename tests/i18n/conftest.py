"""The i18n tests read catalogs compiled from today's .po files (and the pseudo-locale)."""

from __future__ import annotations

import pytest

from anice.extensions import babel

from . import catalogs


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    return catalogs.build(tmp_path_factory.mktemp("translations"))


@pytest.fixture
def app_config(app_config, compiled):
    return {**app_config, "BABEL_TRANSLATION_DIRECTORIES": str(compiled),
            "PSEUDO_LOCALE": catalogs.PSEUDO}


@pytest.fixture(autouse=True)
def fresh_translations(request):
    """Flask-Babel keeps loaded catalogs per process: start and end with none loaded, so that
    no other test's catalogs are seen here, nor these elsewhere."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        babel.domain_instance.cache.clear()
    yield
    with app.app_context():
        babel.domain_instance.cache.clear()
