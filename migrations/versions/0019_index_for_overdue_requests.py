"""index for the overdue view, its count and the escalation sweep: a community's requests by state
with their deadlines, creation time and escalation times, so those read the index alone

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 05:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

COLUMNS = [
    "community_id",
    "state",
    "accept_by",
    "resolve_by",
    "created_at",
    "accept_escalated_at",
    "resolve_escalated_at",
]


def upgrade():
    op.create_index("ix_request_community_state_due", "request", COLUMNS)


def downgrade():
    op.drop_index("ix_request_community_state_due", table_name="request")
