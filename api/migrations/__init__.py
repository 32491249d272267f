"""Alembic migrations of the review queue (run by api.db.migrate)."""
