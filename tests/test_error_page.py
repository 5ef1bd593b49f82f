"""The 500 page is ANICE's own, also after a failed SQL statement: PostgreSQL refuses every
statement of a failed transaction until it is rolled back, and the page reads the officer."""

from __future__ import annotations

from sqlalchemy import text

from anice import db


def test_an_sql_error_gives_the_error_page_to_a_logged_in_officer(app, client, make, auth):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler answers

    def failing() -> str:
        db.session().execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    app.add_url_rule("/test-failing-sql", "test_failing_sql", failing)
    auth.login(make.officer())
    response = client.get("/test-failing-sql")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "An unexpected error occurred; it was logged." in page  # not werkzeug's bare 500
    assert client.get("/").status_code == 200  # the next request works
