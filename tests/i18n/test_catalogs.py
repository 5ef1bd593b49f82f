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
    empty = sorted(str(i) for i, m in have.items()
                   if not all(text for _, text in catalogs.forms(m)))
    assert empty == [], f"{code}: untranslated"
    for msgid, message in have.items():
        for english, text in catalogs.forms(message):
            assert (sorted(catalogs.PLACEHOLDERS.findall(english))
                    == sorted(catalogs.PLACEHOLDERS.findall(text))), (code, msgid)


@pytest.mark.parametrize("code", catalogs.LANGUAGES)
def test_catalog_header_says_how_it_was_made_and_who_reviews_it(code):
    cat = catalogs.catalog(code)
    assert "machine-drafted by the ANICE development team" in cat.header_comment
    assert "national coordinators" in cat.header_comment
    assert str(cat.locale) == code


def test_plural_messages_are_checked_form_by_form():
    from babel.messages.catalog import Catalog

    cat = Catalog(locale="pt")
    cat.add(("%(num)s case", "%(num)s cases"), ("%(num)s caso", ""))
    cat.add(("One case", "%(num)s cases"), ("Um caso", "%(num)s casos"))
    missing, complete = list(cat)[1:]
    assert [bool(text) for _, text in catalogs.forms(missing)] == [True, False]
    assert catalogs.forms(complete) == [("One case", "Um caso"), ("%(num)s cases", "%(num)s casos")]
    pseudo = catalogs.pseudo_catalog()
    plural = [m for m in catalogs.template() if isinstance(m.id, tuple)]
    for message in plural:
        assert pseudo[message.id[0]].string == tuple(catalogs.OPEN + f + catalogs.CLOSE
                                                     for f in message.id)
