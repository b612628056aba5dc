"""indexes for the pages at city scale: a grid worker's queue and a community's open requests, the
call list's day, a grid's residents in address order, and what one account looked at

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_request_assignee_state", "request", ["assignee_id", "state"]),
    ("ix_request_community_state", "request", ["community_id", "state"]),
    ("ix_booking_day_status", "booking", ["day", "status"]),
    ("ix_resident_grid_building_room", "resident", ["grid_id", "building_id", "room"]),
    ("ix_audit_event_actor_action_at", "audit_event", ["actor_id", "action", "at"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
