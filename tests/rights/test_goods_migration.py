"""Migration a9c1e3f5b7d4 cuts the goods of the rights already in the registry per class."""

from __future__ import annotations

from sqlalchemy import text

INSERT = text(
    "INSERT INTO registered_right (type, office, number, status, classes, designations, "
    "goods, created_at, updated_at) VALUES ('trademark', 'MY', :number, 'registered', "
    ":classes, '', :goods, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")


def test_existing_goods_are_cut_per_class(app, runner, db):
    assert runner.invoke(args=["db", "downgrade", "d9a4b6e2c1f8"]).exit_code == 0
    for number, classes, goods in (("M1", ";25;18;", "25: running shoes, boots; 18: bags"),
                                   ("M2", ";25;", "Footwear; caps"),
                                   ("M3", ";25;18;", "shoes and bags"),
                                   ("M4", ";25;", None)):
        db.execute(INSERT, {"number": number, "classes": classes, "goods": goods})
    db.commit()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    rows = db.execute(text(
        "SELECT r.number, g.class_number, g.text FROM right_goods g "
        "JOIN registered_right r ON r.id = g.right_id ORDER BY g.id")).all()
    assert [tuple(r) for r in rows] == [("M1", 25, "running shoes, boots"), ("M1", 18, "bags"),
                                        ("M2", 25, "Footwear; caps"),
                                        ("M3", None, "shoes and bags")]
