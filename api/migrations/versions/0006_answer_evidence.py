"""Evidence editing (issue 18): where in the text the reviewer's values stand.

`answers.evidence` holds, per stay, the character ranges of `text` the reviewer pointed at (or
that were found for a typed value), keyed by field; null for answers saved without it (the
API's PUT, older rows).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("evidence")
