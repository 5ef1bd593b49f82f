"""Reports and custody reports in the language of whoever reads them (issue 19): a Thai
officer's PDF report has Thai headings, a scheduled report reaches a Thai and a Vietnamese
reader each in their language (notice and PDF), the custody report prints in Khmer; the
text is read back from the PDF with pdftotext (shaped, docs/reports.md)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from anice.evidence import custody_report
from anice.models import Notification, Role
from anice.models.report import Report, ScopeLevel
from anice.reports import pdf, schedule, service
from anice.reports.periods import Scope

from ..pdf.scripts import SAMPLES, flat, pdftotext
from ..pdf.test_fonts import custody_of
from ..reports.conftest import database_url, world  # noqa: F401 - the reports' data set
from ..reports.test_views import national

# Headings of the report (docs: anice/translations/<code>/LC_MESSAGES/messages.po).
THAI = ("รายงานการบังคับใช้กฎหมายของ ANICE", "สารบัญ", "สรุป", "คดีที่เปิดและปิด",
        "ตัวเลข", "หน้า 3 จาก")
VIETNAMESE = ("Báo cáo thực thi ANICE", "Mục lục", "Tóm tắt", "Thu giữ theo danh mục sản phẩm")


def text_of(document: bytes) -> str:
    return flat(pdftotext(document))


@pytest.mark.sqlite_only
def test_a_thai_officer_gets_the_pdf_report_in_thai(client, db, make, auth,
                                                    world):  # noqa: F811
    report = national(db, country="TH")
    auth.login(make.officer(role=Role.COORDINATOR, country="TH", language="th"))
    response = client.get(f"/reports/{report.id}.pdf")
    assert response.status_code == 200
    text = text_of(response.data)
    for heading in THAI:
        assert heading in text, heading
    for english in ("Summary", "Contents", "Seizures by product category", "Page 3 of"):
        assert english not in text, english
    # the same report asked in English is English (one PDF per language)
    auth.logout()
    auth.login(make.officer(role=Role.COORDINATOR, country="TH", language="en"))
    assert "Summary" in text_of(client.get(f"/reports/{report.id}.pdf").data)


@pytest.mark.sqlite_only
def test_a_scheduled_report_reaches_each_reader_in_their_language(
        client, db, make, auth, world, monkeypatch):  # noqa: F811
    thai = make.officer(role=Role.SECRETARIAT, language="th")
    vietnamese = make.officer(role=Role.SECRETARIAT, language="vi")
    for reader in (thai, vietnamese):
        service.set_subscriptions(db, reader, ["month"])
    db.commit()
    monkeypatch.setattr(service, "all_scopes", lambda _db: [Scope.region()])  # the region's
    made = schedule.generate_due(db, date(2026, 11, 1))
    assert "region 2026-10" in made
    region = db.scalar(select(Report).where(Report.scope_level == ScopeLevel.REGION,
                                            Report.period_key == "2026-10"))
    told = {n.officer_id: n.message for n in db.scalars(
        select(Notification).where(Notification.kind == "report.ready"))}
    assert told[thai.id] == "รายงานประจำเดือนระดับภูมิภาค ASEAN, 2026-10 พร้อมแล้ว"
    assert told[vietnamese.id] == "Báo cáo tháng cấp khu vực ASEAN, 2026-10 đã sẵn sàng"
    # a job sending it builds one PDF per reader's language
    assert all(h in text_of(pdf.render(region, language="th")) for h in THAI[:4])
    assert all(h in text_of(pdf.render(region, language="vi")) for h in VIETNAMESE)
    # and each reader downloading it reads their own
    for reader, headings in ((thai, THAI[:4]), (vietnamese, VIETNAMESE)):
        auth.logout()
        auth.login(reader)
        text = text_of(client.get(f"/reports/{region.id}.pdf").data)
        assert all(h in text for h in headings), reader.language


def test_the_custody_report_in_khmer(app):
    evidence, events, officer = custody_of(SAMPLES["Lao"], SAMPLES["Khmer"], SAMPLES["Myanmar"])
    with app.app_context():
        document = custody_report.custody_pdf(evidence, events, officer, language="km")
        again = custody_report.custody_pdf(evidence, events, officer, language="km")
        english = custody_report.custody_pdf(evidence, events, officer, language="en")
    assert document == again  # the language is one of the arguments that fix the bytes
    text = text_of(document)
    for words in ("របាយការណ៍ខ្សែសង្វាក់នៃការរក្សាភស្តុតាង", "ធាតុភស្តុតាង", "ការទទួល",
                  "ទំព័រ 1 នៃ 1"):
        assert words in text, words
    assert "Chain of custody report" not in text
    for written in ("ក្រុមហ៊ុនអង្គរ.jpg", "ສົມພອນ ວົງສາ", "ກົມພາສີ"):  # case data as written
        assert written in text, written
    assert "Chain of custody report" in text_of(english)
