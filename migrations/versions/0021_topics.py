"""topics and meetings (议事会): topics for a grid or a community, one support per resident and topic,
staff edits kept with the words before and after, and the meetings (activities) of each topic

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None

ACTIVE = "withdrawn_at IS NULL"


def upgrade():
    op.create_table(
        'topic',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=80), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('state_reason', sa.String(length=300), nullable=False),
        sa.Column('supports', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=True),
        sa.Column('proposed_by_staff_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('kiosk_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        sa.Column('moderated_at', sa.DateTime(), nullable=True),
        sa.Column('moderated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("state IN ('open', 'decided', 'closed', 'hidden')", name='topic_state_known'),
        sa.CheckConstraint('supports >= 0', name='supports_not_negative'),
        sa.ForeignKeyConstraint(['community_id'], ['community.id']),
        sa.ForeignKeyConstraint(['grid_id'], ['grid.id']),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id']),
        sa.ForeignKeyConstraint(['proposed_by_staff_id'], ['account.id']),
        sa.ForeignKeyConstraint(['entered_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['moderated_by_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_topic_community_supports', 'topic', ['community_id', 'supports', 'id'], unique=False)
    op.create_index('ix_topic_grid_supports', 'topic', ['grid_id', 'supports', 'id'], unique=False)
    op.create_index(op.f('ix_topic_resident_id'), 'topic', ['resident_id'], unique=False)

    op.create_table(
        'topic_support',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('kiosk_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id']),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id']),
        sa.ForeignKeyConstraint(['entered_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_topic_support_resident_id'), 'topic_support', ['resident_id'], unique=False)
    op.create_index(
        'uq_topic_support_one_active', 'topic_support', ['topic_id', 'resident_id'], unique=True,
        sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE),
    )

    op.create_table(
        'topic_edit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('editor_id', sa.Integer(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=False),
        sa.Column('title_before', sa.String(length=80), nullable=False),
        sa.Column('title_after', sa.String(length=80), nullable=False),
        sa.Column('body_before', sa.Text(), nullable=False),
        sa.Column('body_after', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id']),
        sa.ForeignKeyConstraint(['editor_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_topic_edit_topic_id'), 'topic_edit', ['topic_id'], unique=False)

    op.create_table(
        'topic_meeting',
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id']),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id']),
        sa.PrimaryKeyConstraint('topic_id', 'activity_id'),
    )
    op.create_index(op.f('ix_topic_meeting_activity_id'), 'topic_meeting', ['activity_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_topic_meeting_activity_id'), table_name='topic_meeting')
    op.drop_table('topic_meeting')
    op.drop_index(op.f('ix_topic_edit_topic_id'), table_name='topic_edit')
    op.drop_table('topic_edit')
    op.drop_index('uq_topic_support_one_active', table_name='topic_support')
    op.drop_index(op.f('ix_topic_support_resident_id'), table_name='topic_support')
    op.drop_table('topic_support')
    op.drop_index(op.f('ix_topic_resident_id'), table_name='topic')
    op.drop_index('ix_topic_grid_supports', table_name='topic')
    op.drop_index('ix_topic_community_supports', table_name='topic')
    op.drop_table('topic')
