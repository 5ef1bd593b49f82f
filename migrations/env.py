"""Alembic environment: the models' metadata, the URL from the app (or DATABASE_URL)."""

import os

from alembic import context

import anice.models  # noqa: F401  (fills the metadata)
from anice.db import Base, make_engine, managed_by_models

config = context.config
url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
if not url:
    raise SystemExit("DATABASE_URL is not set")


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"), compare_type=True,
                      include_name=managed_by_models)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table (copy, drop, rename): with foreign keys enforced,
        # dropping a table other rows point to fails. Off for the migration (SQLite ignores
        # the pragma inside a transaction), then every reference is checked.
        _pragma(connection, "PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=sqlite, compare_type=True,
                      include_name=managed_by_models)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        _pragma(connection, "PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"the migration left {len(broken)} broken references, e.g. "
                               f"{broken[0]}")


def _pragma(connection, statement: str) -> None:
    if connection.in_transaction():
        connection.commit()
    connection.exec_driver_sql(statement)
    connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
