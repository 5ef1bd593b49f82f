"""Every catalog translates every message of the template, none fuzzy or empty, and the
template holds what the sources mark today: a string added without its translations fails
here (`make i18n-update`, translate, then this test)."""

from __future__ import annotations

import pytest

from . import catalogs


def test_the_template_holds_every_marked_string(tmp_path):
    committed = {m.id for m in catalogs.template() if m.id}
    today = {m.id for m in catalogs.extracted(tmp_path / "messages.pot") if m.id}
    assert today - committed == set(), "new strings: run `make i18n-update` and translate"
    assert committed - today == set(), "strings gone: run `make i18n-update`"


@pytest.mark.parametrize("code", catalogs.LANGUAGES)
def test_catalog_translates_every_message(code):
    cat = catalogs.catalog(code)
    wanted = {m.id for m in catalogs.template() if m.id}
    have = {m.id: m for m in cat if m.id}
    assert sorted(wanted - set(have)) == [], f"{code}: messages missing"
    fuzzy = sorted(m.id for m in have.values() if m.fuzzy)
    assert fuzzy == [], f"{code}: fuzzy entries to review"
    empty = sorted(i for i, m in have.items() if not m.string)
    assert empty == [], f"{code}: untranslated"
    for msgid, message in have.items():
        assert (sorted(catalogs.PLACEHOLDERS.findall(msgid))
                == sorted(catalogs.PLACEHOLDERS.findall(message.string))), (code, msgid)


@pytest.mark.parametrize("code", catalogs.LANGUAGES)
def test_catalog_header_says_how_it_was_made_and_who_reviews_it(code):
    cat = catalogs.catalog(code)
    assert "machine-drafted by the ANICE development team" in cat.header_comment
    assert "national coordinators" in cat.header_comment
    assert str(cat.locale) == code
