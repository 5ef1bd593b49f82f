"""The same migrations run on SQLite and PostgreSQL and give exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from anice.db import Base, managed_by_models


def test_migrated_schema_equals_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_name": managed_by_models})
        diff = compare_metadata(context, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diff == [], diff
    assert set(Base.metadata.tables) <= tables


def test_downgrade_and_upgrade_again(app, runner):
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0 and "matches" in check.output
