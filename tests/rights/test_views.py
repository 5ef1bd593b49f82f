"""Registry pages: every officer browses and reads contacts; admins and coordinators import."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from anice.models import ImportJob, Right, Role
from anice.rights import importing

from .helpers import ADIDAS, NIKE, csv_bytes


def seed(db):
    importing.import_csv(db, None, csv_bytes(NIKE, ADIDAS))
    db.commit()
    return db.scalar(select(Right).where(Right.number == "TM001"))


def test_investigator_browses_searches_and_reads_contacts(client, auth, db, make):
    nike = seed(db)
    auth.login(make.officer(Role.INVESTIGATOR, country="TH"))
    page = client.get("/rights/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "NIKE" in html and "adidas" in html and 'href="/rights/"' in html
    found = client.get("/rights/?q=nik&office=MY&type=trademark&status=registered&class=18")
    assert "NIKE" in found.get_data(as_text=True)
    assert "adidas" not in found.get_data(as_text=True)
    assert "NIKE" not in client.get("/rights/?class=30").get_data(as_text=True)
    assert "adidas" in client.get("/rights/?q=ADIDAS AG&sort=-owner").get_data(as_text=True)
    details = client.get(f"/rights/{nike.id}").get_data(as_text=True)
    assert "legal@nike.example" in details and "Rep Co" in details
    assert client.get("/rights/99999").status_code == 404


def test_bad_filters_are_reported(client, auth, db, make):
    auth.login(make.officer(Role.INVESTIGATOR))
    response = client.get("/rights/?type=brand")
    assert response.status_code == 422
    assert "Type: &#39;brand&#39; is not one of" in response.get_data(as_text=True)
    assert client.get("/rights/?class=abc").status_code == 422


def post_import(client, data, mode="abort", name="rights.csv"):
    return client.post("/rights/import", data={"mode": mode, "file": (data, name)},
                       content_type="multipart/form-data")


def test_import_page_for_coordinators_only(client, auth, db, make):
    auth.login(make.officer(Role.INVESTIGATOR))
    assert client.get("/rights/import").status_code == 404
    assert post_import(client, csv_bytes(NIKE)).status_code == 404
    auth.logout()
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    assert client.get("/rights/import").status_code == 200
    refused = post_import(client, csv_bytes(NIKE, ADIDAS))
    assert refused.status_code == 302
    url = refused.headers["Location"]
    assert re.fullmatch(r"/rights/import/\d+", url)
    html = client.get(url).get_data(as_text=True)
    assert "Nothing was imported" in html and "you may not import rights of office TH" in html
    assert "2 rows read; 1 problem" in html and "data-import-status" not in html
    status = client.get(url + "/status").get_json()
    assert status["status"] == "refused" and status["active"] is False
    assert status["errors"] == 1 and status["percent"] == 100
    done = client.get(post_import(client, csv_bytes(NIKE, ADIDAS), "skip").headers["Location"])
    assert done.status_code == 200 and "1 inserted" in done.get_data(as_text=True)
    assert "These rows were left out" in done.get_data(as_text=True)
    assert [r.number for r in db.scalars(select(Right))] == ["TM001"]
    listing = client.get("/rights/import").get_data(as_text=True)
    assert "Your recent imports" in listing and "Refused" in listing and "Done" in listing


def test_import_form_errors(client, auth, db, make):
    auth.login(make.officer(Role.ADMIN))
    empty = post_import(client, io.BytesIO(b""))
    assert empty.status_code == 422 and "File: is empty" in empty.get_data(as_text=True)
    missing = client.post("/rights/import", data={"mode": "abort"},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and "choose a file" in missing.get_data(as_text=True)
    bad_mode = post_import(client, csv_bytes(NIKE), mode="maybe")
    assert bad_mode.status_code == 422 and "Import mode: &#39;maybe&#39; is not one of" in \
        bad_mode.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_import_job_page_is_the_uploaders_only(client, auth, db, make):
    admin = make.officer(Role.ADMIN)
    auth.login(admin)
    url = post_import(client, csv_bytes(NIKE)).headers["Location"]
    auth.logout()
    auth.login(make.officer(Role.ADMIN))
    assert client.get(url).status_code == 404
    assert client.get(url + "/status").status_code == 404
    assert client.get("/rights/import/0").status_code == 404


# --- editing -----------------------------------------------------------------------------

def form_of(client, right_id) -> dict:
    html = client.get(f"/rights/{right_id}/edit").get_data(as_text=True)
    token = re.search(r'name="updated_at" value="([^"]+)"', html).group(1)
    return {"updated_at": token, "office": "MY", "number": "TM001", "type": "trademark",
            "status": "registered", "mark_text": "NIKE", "classes": "25;18",
            "names": "", "owner": "Nike Inc", "contact_email": "legal@nike.example"}


def test_coordinator_edits_a_right_on_the_web(client, auth, db, make):
    nike = seed(db)
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    page = client.get(f"/rights/{nike.id}")
    assert f'href="/rights/{nike.id}/edit"' in page.get_data(as_text=True)
    form = client.get(f"/rights/{nike.id}/edit").get_data(as_text=True)
    assert 'name="contacts[0].country"' in form and 'name="names"' in form
    assert '<label for="identification_notes">' in form and 'value="NIKE"' in form
    data = {**form_of(client, nike.id), "names": "ไนกี้\r\nNAIKI", "status": "expired",
            "identification_notes": "Stitched logo.", "contacts[0].country": "TH",
            "contacts[0].name": "Somchai", "contacts[0].email": "th@nike.example",
            "contacts[1].country": "", "contacts[1].name": ""}
    saved = client.post(f"/rights/{nike.id}/edit", data=data)
    assert saved.status_code == 302 and saved.headers["Location"] == f"/rights/{nike.id}"
    shown = client.get(f"/rights/{nike.id}").get_data(as_text=True)
    assert "Right saved." in shown and "ไนกี้ (Thai)" in shown and "Stitched logo." in shown
    assert "Somchai" in shown and "Contacts per member state" in shown
    assert "Expired" in shown


def test_edit_form_errors_and_conflicts(client, auth, db, make):
    nike = seed(db)
    auth.login(make.officer(Role.ADMIN))
    data = form_of(client, nike.id)
    bad = client.post(f"/rights/{nike.id}/edit", data={
        **data, "classes": "25;99", "contacts[0].country": "TH", "contacts[0].email": "x"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "99 is not a Nice class" in html and 'aria-invalid="true"' in html
    assert 'id="c0-email-error"' in html and "is not an e-mail address" in html
    assert 'value="25;99"' in html  # what was typed is kept
    assert client.post(f"/rights/{nike.id}/edit", data={**data, "status": "filed"}
                       ).status_code == 302
    stale = client.post(f"/rights/{nike.id}/edit", data={**data, "status": "refused"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "changed by someone else" in html
    assert "The right as it is now" in html and "(yours: refused)" in html
    db.expire_all()
    assert db.get(Right, nike.id).status.value == "filed"


def test_edit_is_for_admins_and_the_office_coordinator(client, auth, db, make):
    nike = seed(db)
    for role, country in ((Role.INVESTIGATOR, "MY"), (Role.COORDINATOR, "TH")):
        auth.login(make.officer(role, country=country))
        assert f"/rights/{nike.id}/edit" not in client.get(f"/rights/{nike.id}").get_data(
            as_text=True)
        # every officer reads the right, so editing it is refused (403, as on the API)
        assert client.get(f"/rights/{nike.id}/edit").status_code == 403
        assert client.post(f"/rights/{nike.id}/edit", data={"status": "expired"}
                           ).status_code == 403
        auth.logout()
    assert client.get("/rights/999999/edit").status_code == 302  # to the login page


def test_anonymous_is_sent_to_login(client):
    response = client.get("/rights/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
