"""Agents' sender addresses (issue 17): who may forward mail to the SMTP receiver.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from api.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_addresses",
        sa.Column("address", sa.String(320), primary_key=True),
        sa.Column("key_id", sa.String(32), sa.ForeignKey("api_keys.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_key_addresses_key_id", "key_addresses", ["key_id"])


def downgrade() -> None:
    op.drop_table("key_addresses")
