"""a grid worker's queue read from one index: their requests by state with the deadlines and filing
time the queue's order looks at, so its page and its count need no table row (replaces the index of
assignee and state alone)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 19:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_request_assignee_state_due", "request", ["assignee_id", "state", "accept_by", "resolve_by", "created_at"]
    )
    op.drop_index("ix_request_assignee_state", table_name="request")


def downgrade():
    op.create_index("ix_request_assignee_state", "request", ["assignee_id", "state"])
    op.drop_index("ix_request_assignee_state_due", table_name="request")
