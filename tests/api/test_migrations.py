"""The Alembic migrations create exactly the tables of api/models.py, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from api import db
from api.models import Base


def test_migrations_match_the_models(database_url: str) -> None:
    engine = db.make_engine(database_url)
    db.migrate(engine)
    db.migrate(engine)  # a second start finds the schema current and changes nothing
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert diff == []
    assert {"api_keys", "items", "suggestions", "answers", "audit_events"} <= tables
