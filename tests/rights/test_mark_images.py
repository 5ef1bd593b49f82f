"""Mark images: embedded in ST.66, referenced by ST.96 inside a ZIP, CSV in a ZIP; the ZIP's
guards; re-import; the image route, the right's page, the case's candidates, the API.

The records follow the element names of published files: ST.66 as EUIPO/TMview and WIPO's
IPAS exports write them (MarkImageDetails/MarkImage with MarkImageFilename,
MarkImageFileFormat, MarkImageBinary, MarkImageCategory/CategoryCodeDetails/CategoryCode),
ST.96 as the USPTO and CIPO write them (tmk:MarkRepresentation/tmk:MarkReproduction/
tmk:MarkImageBag/tmk:MarkImage with com:FileName, com:ImageFormatCategory, and Vienna codes
as com:ViennaClassification parts). The images are drawn here with Pillow.
"""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from anice.auth import tokens
from anice.errors import NotFound
from anice.evidence import runtime
from anice.models import AuditEvent, RightChange, RightImage, Role
from anice.rights import importing, importing_zip, mark_images, service

from .helpers import HEADER
from .test_import_st96 import right, st96
from .test_import_xml import st66, trademark


@pytest.fixture(autouse=True)
def _countries(make):
    """The factory sets up the member states, which the import checks offices against."""
    return make


def logo(fmt: str = "JPEG", size=(120, 80), color=(200, 30, 40)) -> bytes:
    """A small figurative mark: a disc and a bar, as an office would scan it."""
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 70, 70), fill=color)
    draw.rectangle((75, 30, 110, 50), fill=(20, 20, 20))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "scanned at the office"  # ImageDescription: metadata to be dropped
    image.save(out, format=fmt, **({"exif": exif} if fmt == "JPEG" else {}))
    return out.getvalue()


def st66_image(data: bytes | None = None, name: str = "", fmt: str = "JPEG",
               codes=("26.01.03", "27.05.01")) -> str:
    binary = (f"<MarkImageBinary>{base64.encodebytes(data).decode()}</MarkImageBinary>"
              if data is not None else "")
    named = f"<MarkImageFilename>{name}</MarkImageFilename>" if name else ""
    category = "".join(f"<CategoryCode>{c}</CategoryCode>" for c in codes)
    return (f"\n        <MarkImageDetails><MarkImage>{named}"
            f"<MarkImageFileFormat>{fmt}</MarkImageFileFormat>"
            f"<MarkImageCategory><CategoryKind>Vienna</CategoryKind>"
            f"<CategoryVersion>9</CategoryVersion><CategoryCodeDetails>{category}"
            f"</CategoryCodeDetails></MarkImageCategory>{binary}"
            "</MarkImage></MarkImageDetails>")


def st96_figurative(number="40202455555F", files=("40202455555F.jpg",),
                    vienna=(("26", "4", "3"),)) -> str:
    images = "".join(
        "<tmk:MarkImage>"
        f"<com:FileName>{name}</com:FileName>"
        "<com:ImageFormatCategory>JPEG</com:ImageFormatCategory>"
        "<tmk:MarkImageClassification><com:FigurativeElementClassificationBag>"
        "<com:ViennaClassificationBag>"
        + "".join(f"<com:ViennaClassification><com:ViennaCategory>{c}</com:ViennaCategory>"
                  f"<com:ViennaDivision>{d}</com:ViennaDivision>"
                  f"<com:ViennaSection>{s}</com:ViennaSection></com:ViennaClassification>"
                  for c, d, s in vienna)
        + "</com:ViennaClassificationBag></com:FigurativeElementClassificationBag>"
        "</tmk:MarkImageClassification></tmk:MarkImage>" for name in files)
    return f"""
  <tmk:Trademark>
    <com:RegistrationOfficeCode>SG</com:RegistrationOfficeCode>
    <com:ApplicationNumber><com:ApplicationNumberText>{number}</com:ApplicationNumberText>
    </com:ApplicationNumber>
    <com:ApplicationDate>2024-02-03</com:ApplicationDate>
    <tmk:MarkCurrentStatusCode>Registered</tmk:MarkCurrentStatusCode>
    <tmk:MarkRepresentation><tmk:MarkFeatureCategory>Combined</tmk:MarkFeatureCategory>
      <tmk:MarkReproduction>
        <tmk:WordMarkSpecification>
          <tmk:MarkVerbalElementText>RED LOTUS</tmk:MarkVerbalElementText>
        </tmk:WordMarkSpecification>
        <tmk:MarkImageBag>{images}</tmk:MarkImageBag>
      </tmk:MarkReproduction></tmk:MarkRepresentation>
    <tmk:GoodsServicesBag><tmk:GoodsServices><tmk:ClassDescriptionBag><tmk:ClassDescription>
      <tmk:ClassNumber>25</tmk:ClassNumber>
      <tmk:GoodsServicesDescriptionText>Clothing</tmk:GoodsServicesDescriptionText>
    </tmk:ClassDescription></tmk:ClassDescriptionBag></tmk:GoodsServices></tmk:GoodsServicesBag>
  </tmk:Trademark>"""


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def run(db, data: bytes, mode="abort", filename=""):
    result = importing_zip.import_file(db, None, io.BytesIO(data), filename=filename,
                                       mode=mode)
    db.commit()
    return result


def images_of(db, number: str) -> list[RightImage]:
    db.expire_all()
    return list(db.scalars(select(RightImage).where(RightImage.right_id == right(db, number).id)
                           .order_by(RightImage.position)))


def stored_png(image: RightImage, thumb: bool = False) -> Image.Image:
    with runtime.storage().open(image.thumb_key if thumb else image.storage_key) as fh:
        return Image.open(io.BytesIO(fh.read()))


# --- import -----------------------------------------------------------------------------

def test_st66_embedded_image_is_stored_as_png_with_its_vienna_codes(db):
    data = logo()
    result = run(db, st66(trademark(extra=st66_image(data)), trademark("TM002")))
    assert (result.inserted, result.errors, result.warnings) == (2, [], [])
    [image] = images_of(db, "TM001")
    assert image.vienna_codes == ["26.01.03", "27.05.01"]
    assert (image.media_type, image.size, image.width, image.height) == (
        "image/jpeg", len(data), 120, 80)
    assert image.filename == "MarkImage.jpeg" or image.filename.endswith(".jpeg")
    assert image.storage_key.startswith("marks/") and image.sha256 in image.storage_key
    png = stored_png(image)
    assert (png.format, png.size) == ("PNG", (120, 80))
    assert "exif" not in png.info and not png.getexif()  # the scan's metadata is gone
    assert max(stored_png(image, thumb=True).size) <= 160
    assert images_of(db, "TM002") == []  # a word mark


def test_re_import_is_idempotent_and_a_changed_image_replaces_the_old(db):
    record = st66(trademark(extra=st66_image(logo())))
    run(db, record)
    [first] = images_of(db, "TM001")
    first_id, first_sha = first.id, first.sha256
    again = run(db, record)
    assert (again.unchanged, again.updated, again.images) == (1, 0, 0)
    assert [i.id for i in images_of(db, "TM001")] == [first_id]
    changed = run(db, st66(trademark(extra=st66_image(logo(color=(10, 120, 10))))))
    assert (changed.updated, changed.unchanged) == (1, 0)  # only the image changed
    [second] = images_of(db, "TM001")
    assert second.sha256 != first_sha
    assert db.scalar(select(func.count()).select_from(RightImage)) == 1
    # the right's history says so, and points to the import that changed it
    last = db.scalars(select(RightChange).where(RightChange.right_id == second.right_id)
                      .order_by(RightChange.id.desc())).first()
    assert (last.kind.value, last.changes) == ("updated", {"images": [None, 1]})
    assert last.import_id == changed.run.id


def test_images_no_right_uses_any_more_are_cleaned_up(runner, db):
    run(db, st66(trademark(extra=st66_image(logo()))))
    [old] = images_of(db, "TM001")
    old_keys = (old.storage_key, old.thumb_key)
    run(db, st66(trademark(extra=st66_image(logo(color=(10, 120, 10)))),
                 trademark("TM002", extra=st66_image(logo(color=(10, 120, 10))))))
    [new] = images_of(db, "TM001")
    assert images_of(db, "TM002")[0].storage_key == new.storage_key  # stored once
    store = runtime.storage()
    assert runner.invoke(args=["rights", "images-cleanup"]).output.startswith("0 unused")
    output = runner.invoke(args=["rights", "images-cleanup", "--min-age", "0"])
    assert output.exit_code == 0 and "2 unused mark image objects removed" in output.output
    assert not any(store.exists(key) for key in old_keys)
    assert store.exists(new.storage_key) and store.exists(new.thumb_key)
    db.expire_all()
    assert db.scalar(select(AuditEvent).where(
        AuditEvent.action == "right.images.unused_removed")).details == {"objects": 2}


def test_bad_vienna_codes_are_warnings_and_a_non_image_is_an_error(db):
    result = run(db, st66(trademark(extra=st66_image(logo(), codes=("260403", "26.4", "xx")))))
    assert result.inserted == 1 and result.errors == []
    assert [w.message for w in result.warnings] == [
        "'xx' is not a Vienna code such as 26.04.03: left out"]
    assert images_of(db, "TM001")[0].vienna_codes == ["26.04.03", "26.04"]
    with pytest.raises(importing.RightsImportRefused) as refused:
        run(db, st66(trademark("TM009", extra=st66_image(b"%PDF-1.4 not an image"))))
    [error] = refused.value.result.errors
    assert error.field == "MarkImageBinary" and error.line > 1
    assert "is not an image" in error.message


def test_an_embedded_image_over_the_limit_or_bad_base64_is_refused_by_line(db, monkeypatch):
    monkeypatch.setattr(mark_images, "MAX_IMAGE_BYTES", 1000)
    with pytest.raises(importing.RightsImportRefused) as refused:
        run(db, st66(trademark(extra=st66_image(logo(size=(400, 300))))))
    [error] = refused.value.result.errors
    assert (error.field, error.message) == (
        "MarkImageBinary", "'MarkImageBinary.jpeg' is larger than the limit of 1,000 bytes "
                           "per image")
    broken = st66(trademark(extra=st66_image(b"x"))).replace(b"eA==", b"e!==")
    with pytest.raises(importing.RightsImportRefused) as refused:
        run(db, broken)
    assert refused.value.result.errors[0].message == (
        "is not valid base64: the embedded image cannot be read")


def test_st96_images_referenced_in_a_zip(db):
    bundle = zipped({
        "SG/2024-06/trademarks.xml": st96(st96_figurative(
            files=("40202455555F.jpg", "40202455555F-2.png"),
            vienna=(("26", "4", "3"), ("5", "3", "13")))),
        "SG/2024-06/images/40202455555F.jpg": logo(),
        "SG/2024-06/images/40202455555F-2.png": logo("PNG", size=(40, 40)),
    })
    result = run(db, bundle, filename="delivery.zip")
    assert (result.inserted, result.errors, result.warnings) == (1, [], [])
    first, second = images_of(db, "40202455555F")
    assert (first.filename, first.vienna_codes) == (
        "SG/2024-06/images/40202455555F.jpg", ["26.04.03", "05.03.13"])
    assert (second.position, second.media_type, second.width) == (1, "image/png", 40)
    assert run(db, bundle).unchanged == 1


def test_st66_names_its_file_without_extension_and_gives_the_format_apart(db):
    """WIPO's IPAS exports: MarkImageFilename 'TM001' and MarkImageFileFormat 'JPEG'."""
    bundle = zipped({"MY/TM.xml": st66(trademark(extra=st66_image(name="TM001"))),
                     "MY/img/TM001.jpg": logo()})
    assert run(db, bundle).warnings == []
    [image] = images_of(db, "TM001")
    assert (image.filename, image.vienna_codes) == ("MY/img/TM001.jpg",
                                                    ["26.01.03", "27.05.01"])


def test_an_upright_image_is_turned_as_its_exif_says():
    image = Image.new("RGB", (60, 20), (0, 0, 0))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to show
    image.save(out, format="JPEG", exif=exif)
    png, _, width, height, _ = mark_images.normalise(out.getvalue())
    assert (width, height) == (20, 60) == Image.open(io.BytesIO(png)).size


def test_a_missing_referenced_file_is_a_warning_and_keeps_the_right(db):
    bundle = zipped({"trademarks.xml": st96(st96_figurative())})
    result = run(db, bundle)
    assert (result.inserted, result.errors) == (1, [])
    [warning] = result.warnings
    assert str(warning).startswith("line ")
    assert "trademarks.xml: FileName: '40202455555F.jpg' is not in the upload" in str(warning)
    # A plain XML upload: the same warning, and images imported before are kept.
    run(db, zipped({"t.xml": st96(st96_figurative()), "40202455555F.jpg": logo()}))
    assert len(images_of(db, "40202455555F")) == 1
    plain = run(db, st96(st96_figurative()))
    assert "is not in the upload (upload a ZIP" in plain.warnings[0].message
    assert len(images_of(db, "40202455555F")) == 1


@pytest.mark.parametrize(("members", "expected"), [
    ({"../../etc/evil.jpg": b"x", "t.xml": b"<x/>"},
     "../../etc/evil.jpg: climbs out of the archive"),
    ({"/abs/t.xml": b"<x/>"}, "/abs/t.xml: has an absolute path"),
    ({"inner.zip": b"PK\x03\x04", "t.xml": b"<x/>"},
     "inner.zip: is an archive inside the archive"),
    ({"t.xml": b"PK\x03\x04 disguised"}, "t.xml: is an archive inside the archive"),
    ({"readme.txt": b"hello"}, "file: holds no .xml or .csv file"),
], ids=["traversal", "absolute", "nested", "nested-by-content", "no-data"])
def test_a_zip_is_refused_naming_the_member(db, members, expected):
    with pytest.raises(importing.RightsImportRefused) as refused:
        run(db, zipped(members))
    assert str(refused.value.result.errors[0]).startswith(expected)
    assert db.scalar(select(func.count()).select_from(RightImage)) == 0


def test_a_zip_too_large_unpacked_and_an_image_bomb_are_refused(db, app, monkeypatch):
    app.config["RIGHTS_IMPORT_MAX_UNZIPPED_BYTES"] = 10_000
    big = zipped({"t.xml": st96(st96_figurative()), "40202455555F.jpg": b"\0" * 20_000})
    with pytest.raises(importing.RightsImportRefused) as refused:
        run(db, big)
    assert "40202455555F.jpg: takes the archive past 10,000 bytes unpacked" in str(
        refused.value.result.errors[0])
    app.config["RIGHTS_IMPORT_MAX_UNZIPPED_BYTES"] = None
    monkeypatch.setattr(mark_images, "MAX_PIXELS", 50 * 50)
    bomb = zipped({"t.xml": st96(st96_figurative()), "40202455555F.jpg": logo()})
    with pytest.raises(importing.RightsImportRefused) as refused:
        run(db, bomb)
    [error] = refused.value.result.errors
    assert error.field == "t.xml: FileName"
    assert "'40202455555F.jpg' decodes to 120 x 80 pixels, more than the limit" in error.message


def test_a_real_decompression_bomb_is_refused_by_pillow(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(mark_images.BadImage, match="decompression bomb|more than the limit"):
        mark_images.normalise(logo("PNG", size=(200, 200)))


def test_csv_rows_in_a_zip_name_their_image_and_vienna_codes(db):
    header = HEADER + ",image,vienna"
    row = ("MY,TM500,trademark,registered,LOTUS,25,Lotus Sdn Bhd,,legal@lotus.example,"
           "2020-01-02,2021-01-02,2031-01-02,clothing,lotus.png,26.01.03;27.05.01")
    bundle = zipped({"marks.csv": f"{header}\r\n{row}\r\n".encode(),
                     "lotus.png": logo("PNG")})
    result = run(db, bundle)
    assert (result.inserted, result.errors) == (1, [])
    [image] = images_of(db, "TM500")
    assert image.vienna_codes == ["26.01.03", "27.05.01"]
    assert right(db, "TM500").contact_email == "legal@lotus.example"  # CSV carries it


def test_the_cli_imports_a_zip_and_reads_images_beside_an_xml(runner, db, tmp_path):
    path = tmp_path / "delivery.zip"
    path.write_bytes(zipped({"t.xml": st96(st96_figurative()), "40202455555F.jpg": logo()}))
    output = runner.invoke(args=["rights", "import", str(path)])
    assert output.exit_code == 0 and "1 inserted" in output.output
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "t.xml").write_bytes(st96(st96_figurative("40202466666G",
                                                        files=("g.jpg",))))
    (folder / "g.jpg").write_bytes(logo(color=(0, 0, 200)))
    output = runner.invoke(args=["rights", "import", str(folder / "t.xml")])
    assert output.exit_code == 0, output.output
    assert len(images_of(db, "40202466666G")) == 1


# --- showing ----------------------------------------------------------------------------

def test_the_image_route_checks_access_and_sends_safe_headers(client, auth, db, make):
    run(db, st66(trademark(extra=st66_image(logo())), trademark("TM002", extra=st66_image(
        logo(color=(0, 90, 0))))))
    [image] = images_of(db, "TM001")
    [other] = images_of(db, "TM002")
    me = make.officer(Role.INVESTIGATOR, country="TH")
    auth.login(me)
    answer = client.get(f"/rights/{image.right_id}/images/{image.id}")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.headers["Cache-Control"].startswith("private")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(answer.data)).size == (120, 80)
    thumb = client.get(f"/rights/{image.right_id}/images/{image.id}/thumb")
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 160
    # Another right's image under this right's address, an unknown one: 404.
    assert client.get(f"/rights/{image.right_id}/images/{other.id}").status_code == 404
    assert client.get(f"/rights/{image.right_id}/images/999999").status_code == 404
    auth.logout()
    assert client.get(f"/rights/{image.right_id}/images/{image.id}").status_code in (302, 401)
    gone = make.officer(Role.INVESTIGATOR, country="TH", active=False)
    with pytest.raises(NotFound):
        service.get_image(db, gone, image.right_id, image.id)


def test_the_rights_page_and_list_show_the_image_with_its_vienna_codes(client, auth, db,
                                                                       make):
    run(db, st66(trademark(extra=st66_image(logo()))))
    [image] = images_of(db, "TM001")
    auth.login(make.officer(Role.INVESTIGATOR, country="TH"))
    page = client.get(f"/rights/{image.right_id}").get_data(as_text=True)
    assert f'src="/rights/{image.right_id}/images/{image.id}"' in page
    assert 'alt="Image of the mark NIKE (Vienna codes 26.01.03, 27.05.01)"' in page
    assert "26.01.03" in page and "120 × 80 pixels" in page
    listing = client.get("/rights/?q=NIKE").get_data(as_text=True)
    assert f'src="/rights/{image.right_id}/images/{image.id}/thumb"' in listing


def test_the_case_page_shows_the_image_beside_the_candidate(client, auth, db, make):
    run(db, st66(trademark(mark="ZORBAX", extra=st66_image(logo()))))
    [image] = images_of(db, "TM001")
    me = make.officer(Role.INVESTIGATOR, country="MY")
    case = make.case(me)
    make.seizure_item(me, case, brand="ZORBAX")
    make.match(me, case, right(db, "TM001"), decision=None)
    auth.login(me)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'src="/rights/{image.right_id}/images/{image.id}/thumb"' in page
    assert 'alt="Image of the mark ZORBAX (Vienna codes 26.01.03, 27.05.01)"' in page


def test_the_api_gives_the_images_and_serves_them_with_the_token(client, db, make):
    run(db, st66(trademark(extra=st66_image(logo()))))
    [image] = images_of(db, "TM001")
    _, token = tokens.create_token(db, make.officer(Role.INVESTIGATOR, country="VN"), "test",
                                   "read", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    data = client.get(f"/api/v1/rights/{image.right_id}", headers=headers).get_json()
    assert data["images"] == [{
        "url": f"/api/v1/rights/{image.right_id}/images/{image.id}",
        "thumbnail_url": f"/api/v1/rights/{image.right_id}/images/{image.id}?size=thumb",
        "vienna_codes": ["26.01.03", "27.05.01"], "width": 120, "height": 80,
        "sha256": image.sha256, "media_type": "image/jpeg"}]
    answer = client.get(data["images"][0]["url"], headers=headers)
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.headers["Cache-Control"].startswith("private")
    assert client.get(data["images"][0]["url"]).status_code == 401
    assert client.get(f"/api/v1/rights/{image.right_id}/images/{image.id + 1}",
                      headers=headers).status_code == 404


def test_the_import_report_and_audit_row_count_the_rights_given_images(db):
    result = run(db, st66(trademark(extra=st66_image(logo())), trademark("TM002")))
    assert result.images == 1
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "right.import"))
    assert event.details["images"] == 1


def test_a_zip_uploaded_on_the_import_page_is_imported_with_its_images(client, auth, db,
                                                                          make):
    auth.login(make.officer(Role.COORDINATOR, country="SG"))
    assert "ZIP" in client.get("/rights/import").get_data(as_text=True)
    bundle = zipped({"t.xml": st96(st96_figurative()), "40202455555F.jpg": logo()})
    posted = client.post("/rights/import", data={
        "mode": "abort", "file": (io.BytesIO(bundle), "delivery.zip")},
        content_type="multipart/form-data")
    report = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert "1 inserted" in report and "1 right given new mark images" in report
    assert len(images_of(db, "40202455555F")) == 1
    refused = client.post("/rights/import", data={
        "mode": "abort", "file": (io.BytesIO(zipped({"../x.xml": b"<x/>"})), "bad.zip")},
        content_type="multipart/form-data")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "../x.xml" in page and "climbs out of the archive" in page
