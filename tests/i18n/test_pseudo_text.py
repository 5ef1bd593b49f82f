"""Field names and problems reach the reader in their language: a form's error and an API
problem, read in the pseudo-locale, carry the field's label and the problem each between
the markers (and nothing of them outside), while the machine's names stay as they are."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from anice.auth import tokens
from anice.errors import Invalid
from anice.text import locales
from anice.text.labels import error_text, field_label, field_list, label
from anice.text.numbers import FigureError, NumberFormat, read_figure
from anice.validation import Fields, Reading

from ..factories import COUNTERFEIT, SEIZURE
from .catalogs import CLOSE, OPEN, PSEUDO
from .pseudo import untranslated
from .test_pseudo_locale import _check, _data

# Which words a page shows does not depend on the database: SQLite only (suite time).
pytestmark = pytest.mark.sqlite_only


def wrapped(english: str) -> str:
    return f"{OPEN}{english}{CLOSE}"


def _paragraphs(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page, flags=re.S)


def test_a_case_form_error_names_the_field_and_the_problem(client, auth, make):
    officer = make.officer(language=PSEUDO)
    auth.login(officer)
    future = (date.today() + timedelta(days=30)).isoformat()
    response = client.post("/cases/new", data={**COUNTERFEIT, "detected_on": future,
                                               "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # The summary line: "Detection date: cannot be in the future", each part translated.
    line = wrapped(f"{wrapped('Detection date')}: {wrapped('cannot be in the future')}")
    assert line in page
    assert wrapped(f"{wrapped('Title')}: {wrapped('is required')}") in page
    # The message beside the field.
    beside = _paragraphs(page, r'<p class="error" id="detected_on-error">(.*?)</p>')
    assert beside == [wrapped("cannot be in the future")]
    summary = _paragraphs(page, r'<div class="form-errors" role="alert">(.*?)</div>')
    assert summary
    problems = re.findall(r"<p>(.*?)</p>", summary[0], flags=re.S)[1:]  # after the heading
    assert len(problems) == 2
    assert [untranslated(f"<p>{p}</p>") for p in problems] == [[], []]


def test_a_figure_typed_with_a_currency_is_refused_in_the_reader_s_language(client, auth,
                                                                          make, db):
    from ..cases.helpers import new_case

    officer = make.officer(language=PSEUDO)
    case = new_case(db, officer)
    auth.login(officer)
    response = client.post(f"/cases/{case.id}/items/seizure",
                           data={**SEIZURE, "quantity": "RM 12", "category": "weapons"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = _paragraphs(page, r'<p class="error" id="seizure-quantity-error">(.*?)</p>')
    assert len(beside) == 1 and untranslated(f"<p>{beside[0]}</p>") == []
    assert "1,234,567.89" in beside[0]  # the example keeps the officer's own figures


def test_an_error_page_in_the_reader_s_language(client, auth, make):
    officer = make.officer(language=PSEUDO)
    auth.login(officer)
    response = client.get("/cases/", query_string={"q": "a\x00b"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert wrapped(f"{wrapped('Search')}: {wrapped('contains a NUL character')}") in page
    assert wrapped("Invalid input") in page
    assert untranslated(page, _data(officer)) == []


def test_metrics_is_no_page_in_the_reader_s_language(client, auth, make):
    officer = make.officer(language=PSEUDO)
    auth.login(officer)
    _check(client, "/metrics", _data(officer))
    assert wrapped("No such page.") in client.get("/metrics").get_data(as_text=True)


def test_an_api_problem_in_the_token_owner_s_language(client, db, make):
    officer = make.officer(language=PSEUDO)
    _, raw = tokens.create_token(db, officer, "pseudo", "read", 5)
    db.commit()
    response = client.get("/api/v1/cases", query_string={"page": "99999999999999999999"},
                          headers={"Authorization": f"Bearer {raw}"})
    problem = response.get_json()
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert problem["title"] == wrapped("Invalid input")
    message = wrapped("must be a whole number from 1 to 100000")
    assert problem["field"] == "page"  # the machine's name, unchanged
    assert problem["errors"] == [{"field": "page", "label": wrapped("Page"),
                                  "message": message}]
    assert problem["detail"] == wrapped(f"{wrapped('Page')} (page): {message}")


def test_an_api_problem_stays_english_for_an_english_reader(client, db, make):
    officer = make.officer(language="en")
    _, raw = tokens.create_token(db, officer, "english", "read", 5)
    db.commit()
    problem = client.get("/api/v1/cases", query_string={"page": "99999999999999999999"},
                         headers={"Authorization": f"Bearer {raw}"}).get_json()
    assert problem["title"] == "Invalid input"
    assert problem["detail"] == "Page (page): must be a whole number from 1 to 100000"


def test_labels_and_messages_follow_the_locale(app):
    from anice.models import CaseStatus, Category, Platform, Role

    with app.test_request_context(), force_locale(PSEUDO):
        assert label(Category.BAGS_ACCESSORIES) == wrapped("Bags and accessories")
        assert label(CaseStatus.DRAFT) == wrapped("Draft")
        assert label(Role.COORDINATOR) == wrapped("National coordinator")
        assert label(Platform.SHOPEE) == "Shopee"  # a name, not a word
        assert field_label("seizure.value_local") == wrapped("Value (local currency)")
        assert field_list(["title", "detected_on"]) == wrapped(
            f"{wrapped('Title')} and {wrapped('Detection date')}")
        assert error_text("title", "is required") == wrapped(
            f"{wrapped('Title')}: {wrapped('is required')}")
    with app.test_request_context(), force_locale("th"):
        assert label(Category.FOOTWEAR) == "รองเท้า"
        assert field_label("detected_on") == "วันที่ตรวจพบ"


@pytest.mark.parametrize("code", [*locales.LANGUAGES, PSEUDO])
def test_figures_are_read_the_same_in_every_language(app, code):
    """The language changes the words of a message, never how a figure is read: that follows
    the officer's own number format."""
    with app.test_request_context(), force_locale(code):
        assert read_figure("1.234,5", NumberFormat.COMMA) == Decimal("1234.5")
        assert read_figure("1,234.5", NumberFormat.POINT) == Decimal("1234.5")
        assert read_figure("๑,๒๓๔.๕", NumberFormat.POINT) == Decimal("1234.5")  # Thai digits
        with pytest.raises(FigureError) as refused:
            read_figure("1.200", NumberFormat.POINT)
        assert "1.2" in str(refused.value) and "1200" in str(refused.value)
        fields = Fields({"quantity": "36.000,50"}, reading=Reading(NumberFormat.POINT))
        assert fields.number("quantity") is None
        with pytest.raises(Invalid) as invalid:
            fields.done()
        assert "36000.5" in invalid.value.message
