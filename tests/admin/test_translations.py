"""The reviewers' page of the catalogs' state (docs/i18n.md): what it reads from the .po
files, who opens it (policy.translation_languages), and what it lists."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from anice.admin import translations
from anice.errors import NotFound
from anice.models import Role


def _write(folder, code: str, messages) -> None:
    catalog = Catalog(locale=code, header_comment="# Test catalog.\n# Status: draft, not yet "
                                                  "reviewed.")
    for msgid, string, flags in messages:
        catalog.add(msgid, string, flags=flags)
    target = folder / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as handle:
        write_po(handle, catalog)


def test_read_catalog_lists_untranslated_and_fuzzy(tmp_path):
    _write(tmp_path, "th", [
        ("Save", "บันทึก", ()),
        ("Agencies", "", ()),
        ("Case %(ref)s saved.", "บันทึกคดี %(ref)s แล้ว", ("fuzzy", "python-format")),
        (("%(num)s item", "%(num)s items"), ("",), ("python-format",)),
    ])
    status = translations.read_catalog("th", tmp_path)
    assert (status.total, status.untranslated, status.fuzzy, status.translated) == (4, 2, 1, 1)
    assert [e.msgid for e in status.entries] == ["Agencies", "Case %(ref)s saved.",
                                                 "%(num)s item"]
    fuzzy = status.entries[1]
    assert fuzzy.fuzzy and fuzzy.text == "บันทึกคดี %(ref)s แล้ว"
    assert "python-format" in fuzzy.flags
    assert status.entries[2].plural == "%(num)s items" and status.entries[2].text == ""
    assert status.reviewed == "draft, not yet reviewed."
    assert status.name == "ไทย"


def test_the_committed_catalogs_are_read():
    for code in ("th", "my", "pt"):
        status = translations.read_catalog(code)
        assert status.total > 100
        assert status.untranslated + status.fuzzy == len(status.entries)


def test_who_reviews_which_catalog(make):
    admin = make.officer(Role.ADMIN)
    secretariat = make.officer(Role.SECRETARIAT)
    assert [c.code for c in translations.catalog_status(admin)] == [
        "id", "ms", "th", "vi", "km", "lo", "my", "fil", "pt"]
    assert len(translations.catalog_status(secretariat)) == 9
    coordinator = make.officer(Role.COORDINATOR, country="TH")
    assert [c.code for c in translations.catalog_status(coordinator)] == ["th"]
    for refused in (make.officer(Role.COORDINATOR, country="SG"),  # reads English
                    make.officer(Role.SUPERVISOR, country="TH"),
                    make.officer(Role.INVESTIGATOR, country="MM")):
        with pytest.raises(NotFound):
            translations.catalog_status(refused)


def test_coordinator_page_lists_their_language(client, auth, make, monkeypatch, tmp_path):
    _write(tmp_path, "my", [("Save", "သိမ်းရန်", ()), ("Agencies", "", ()),
                            ("Officers", "အရာရှိများ", ("fuzzy",))])
    monkeypatch.setattr(translations, "CATALOGS", tmp_path)
    auth.login(make.officer(Role.COORDINATOR, country="MM", language="en"))
    page = client.get("/admin/translations")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    entries = text.split('id="catalog-entries"', 1)[1]
    assert '<span lang="en">Agencies</span>' in entries
    assert '<span lang="my">အရာရှိများ</span>' in entries and "fuzzy (check it)" in entries
    assert "Save" not in entries  # translated and checked: not listed
    counts = text.split('id="catalog-counts"', 1)[1].split("</table>", 1)[0]
    assert "<td>3</td><td>1</td><td>1</td><td>1</td>" in counts
    assert "ไทย" not in counts  # only their own language
    # another language in the query string changes nothing for them
    assert client.get("/admin/translations?language=th").get_data(as_text=True).count(
        'lang="my">မြန်မာ</strong>') == 1


def test_admin_picks_a_language_and_the_secretariat_opens_it(client, auth, make):
    auth.login(make.officer(Role.ADMIN))
    page = client.get("/admin/translations?language=km").get_data(as_text=True)
    assert '<strong lang="km">ខ្មែរ</strong>' in page
    assert 'href="/admin/translations?language=th" lang="th"' in page
    officers = client.get("/admin/officers").get_data(as_text=True)
    assert 'href="/admin/translations"' in officers
    client.post("/logout")
    auth.login(make.officer(Role.SECRETARIAT))
    assert client.get("/admin/translations").status_code == 200
    assert client.get("/admin/officers").status_code == 404  # the rest stays closed
    assert 'href="/admin/translations"' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("role, country", [(Role.SUPERVISOR, "TH"), (Role.INVESTIGATOR, "MY"),
                                           (Role.PROSECUTOR, "VN"), (Role.COORDINATOR, "SG")])
def test_others_get_404(client, auth, make, role, country):
    auth.login(make.officer(role, country=country))
    assert client.get("/admin/translations").status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/translations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
