"""flask rights import: a summary, every error by line and field, exit 1 when refused."""

from __future__ import annotations

from sqlalchemy import func, select

from anice.models import Right

from .helpers import ADIDAS, NIKE, csv_bytes


def write(tmp_path, *rows):
    path = tmp_path / "rights.csv"
    path.write_bytes(csv_bytes(*rows).getvalue())
    return str(path)


def test_import_prints_a_summary(runner, db, make, tmp_path):
    result = runner.invoke(args=["rights", "import", write(tmp_path, NIKE, ADIDAS)])
    assert result.exit_code == 0, result.output
    assert "2 rows: 2 inserted, 0 updated" in result.output
    again = runner.invoke(args=["rights", "import", write(tmp_path, NIKE, ADIDAS)])
    assert "0 inserted, 0 updated, 2 unchanged" in again.output


def test_errors_exit_1_and_write_nothing_unless_skipping(runner, db, make, tmp_path):
    path = write(tmp_path, NIKE, ADIDAS.replace("2005-05-05", "yesterday"))
    result = runner.invoke(args=["rights", "import", path])
    assert result.exit_code == 1
    assert "line 3, filing_date: 'yesterday' is not a date" in result.output
    assert db.scalar(select(func.count()).select_from(Right)) == 0
    skipped = runner.invoke(args=["rights", "import", "--skip-bad-rows", path])
    assert skipped.exit_code == 0 and "1 inserted" in skipped.output
    assert "1 skipped" in skipped.output
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Right)) == 1
