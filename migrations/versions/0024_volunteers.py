"""volunteer register (活地图): one entry per resident or volunteer account with skills, building and weekly
availability; call-outs to the volunteers of a grid, with one reply per volunteer and call-out

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-02 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'volunteer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.Integer(), nullable=False),
        sa.Column('building_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=True),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('skills', sa.Integer(), nullable=False),
        sa.Column('other_skill', sa.String(length=80), nullable=False),
        sa.Column('availability', sa.Integer(), nullable=False),
        sa.Column('consented_at', sa.DateTime(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('kiosk_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('(resident_id IS NULL) <> (account_id IS NULL)', name='volunteer_resident_or_account'),
        sa.CheckConstraint('skills >= 0 AND availability >= 0', name='volunteer_bits_not_negative'),
        sa.ForeignKeyConstraint(['community_id'], ['community.id']),
        sa.ForeignKeyConstraint(['grid_id'], ['grid.id']),
        sa.ForeignKeyConstraint(['building_id'], ['building.id']),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id']),
        sa.ForeignKeyConstraint(['account_id'], ['account.id']),
        sa.ForeignKeyConstraint(['entered_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('resident_id'),
        sa.UniqueConstraint('account_id'),
    )
    op.create_index('ix_volunteer_grid_building', 'volunteer', ['grid_id', 'building_id', 'id'], unique=False)
    op.create_index('ix_volunteer_community', 'volunteer', ['community_id', 'id'], unique=False)

    op.create_table(
        'call_out',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.Integer(), nullable=False),
        sa.Column('message', sa.String(length=140), nullable=False),
        sa.Column('skill', sa.String(length=20), nullable=False),
        sa.Column('slot', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['community.id']),
        sa.ForeignKeyConstraint(['grid_id'], ['grid.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_call_out_community_id'), 'call_out', ['community_id'], unique=False)
    op.create_index(op.f('ix_call_out_grid_id'), 'call_out', ['grid_id'], unique=False)

    op.create_table(
        'call_out_reply',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('callout_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('messaged', sa.Boolean(), nullable=False),
        sa.Column('answer', sa.String(length=3), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('answered_via', sa.String(length=8), nullable=True),
        sa.Column('ticked_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("answer IS NULL OR answer IN ('yes', 'no')", name='callout_answer_known'),
        sa.ForeignKeyConstraint(['callout_id'], ['call_out.id']),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id']),
        sa.ForeignKeyConstraint(['ticked_by_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('callout_id', 'volunteer_id', name='uq_callout_reply_one_per_volunteer'),
        sa.UniqueConstraint('nonce'),
    )
    op.create_index(op.f('ix_call_out_reply_volunteer_id'), 'call_out_reply', ['volunteer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_call_out_reply_volunteer_id'), table_name='call_out_reply')
    op.drop_table('call_out_reply')
    op.drop_index(op.f('ix_call_out_grid_id'), table_name='call_out')
    op.drop_index(op.f('ix_call_out_community_id'), table_name='call_out')
    op.drop_table('call_out')
    op.drop_index('ix_volunteer_community', table_name='volunteer')
    op.drop_index('ix_volunteer_grid_building', table_name='volunteer')
    op.drop_table('volunteer')
