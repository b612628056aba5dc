"""community activities: activities open to a community or chosen grids, sign-ups with a waiting list,
and activity posters

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 04:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

ACTIVE = "state IN ('signed_up', 'waiting', 'attended')"


def upgrade():
    op.create_table(
        'activity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('place', sa.String(length=160), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('signup_closes_at', sa.DateTime(), nullable=False),
        sa.Column('whole_community', sa.Boolean(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('held_back', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.Column('waiting_list', sa.Boolean(), nullable=False),
        sa.Column('last_position', sa.Integer(), nullable=False),
        sa.Column('helpers_may_sign_up', sa.Boolean(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('state_reason', sa.String(length=300), nullable=False),
        sa.Column('attendance', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN ('open', 'cancelled', 'closed')", name=op.f('ck_activity_state_known')),
        sa.CheckConstraint('capacity BETWEEN 1 AND 10000', name=op.f('ck_activity_capacity_range')),
        sa.CheckConstraint('held_back >= 0 AND held_back <= capacity', name=op.f('ck_activity_held_back_within_capacity')),
        sa.CheckConstraint('taken >= 0', name=op.f('ck_activity_taken_not_negative')),
        sa.CheckConstraint('taken <= capacity', name=op.f('ck_activity_within_capacity')),
        sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_activity_starts_before_end')),
        sa.CheckConstraint('last_position >= 0', name=op.f('ck_activity_position_not_negative')),
        sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_activity_community_id_community')),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_activity_created_by_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity')),
    )
    op.create_index('ix_activity_community_starts', 'activity', ['community_id', 'starts_at'], unique=False)
    op.create_index('ix_activity_open_starts', 'activity', ['starts_at'], unique=False,
                    sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
    op.create_table(
        'activity_grid',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_grid_activity_id_activity')),
        sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_activity_grid_grid_id_grid')),
        sa.PrimaryKeyConstraint('activity_id', 'grid_id', name=op.f('pk_activity_grid')),
    )
    op.create_index(op.f('ix_activity_grid_grid_id'), 'activity_grid', ['grid_id'], unique=False)
    op.create_table(
        'activity_signup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('position', sa.Integer(), nullable=True),
        sa.Column('at_desk', sa.Boolean(), nullable=False),
        sa.Column('locale', sa.String(length=12), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('kiosk_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('promoted_at', sa.DateTime(), nullable=True),
        sa.Column('attended_at', sa.DateTime(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('call_reason', sa.String(length=24), nullable=True),
        sa.Column('call_done_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('signed_up', 'waiting', 'attended', 'cancelled', 'removed')",
            name=op.f('ck_activity_signup_signup_state_known'),
        ),
        sa.CheckConstraint("state <> 'waiting' OR position IS NOT NULL", name=op.f('ck_activity_signup_waiting_has_position')),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_signup_activity_id_activity')),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_activity_signup_resident_id_resident')),
        sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_activity_signup_entered_by_id_account')),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_activity_signup_kiosk_id_kiosk')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_signup')),
        sa.UniqueConstraint('code', name=op.f('uq_activity_signup_code')),
    )
    op.create_index(op.f('ix_activity_signup_resident_id'), 'activity_signup', ['resident_id'], unique=False)
    op.create_index(
        'ix_activity_signup_activity_state', 'activity_signup', ['activity_id', 'state', 'position'], unique=False
    )
    op.create_index(
        'uq_activity_signup_one_active', 'activity_signup', ['activity_id', 'resident_id'], unique=True,
        sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE),
    )
    with op.batch_alter_table('poster', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_poster_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(
            'uq_poster_active_activity', ['activity_id'], unique=True,
            sqlite_where=sa.text("active AND kind = 'activity'"), postgresql_where=sa.text("active AND kind = 'activity'"),
        )
        batch_op.create_foreign_key(batch_op.f('fk_poster_activity_id_activity'), 'activity', ['activity_id'], ['id'])
        batch_op.create_check_constraint(
            op.f('ck_poster_activity_poster_has_activity'),
            "(kind = 'activity' AND activity_id IS NOT NULL AND grid_id IS NULL AND station_id IS NULL)"
            " OR (kind <> 'activity' AND activity_id IS NULL)",
        )


def downgrade():
    with op.batch_alter_table('poster', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_poster_activity_poster_has_activity'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_poster_activity_id_activity'), type_='foreignkey')
        batch_op.drop_index('uq_poster_active_activity', sqlite_where=sa.text("active AND kind = 'activity'"),
                            postgresql_where=sa.text("active AND kind = 'activity'"))
        batch_op.drop_index(batch_op.f('ix_poster_activity_id'))
        batch_op.drop_column('activity_id')
    op.drop_index('uq_activity_signup_one_active', table_name='activity_signup',
                  sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.drop_index('ix_activity_signup_activity_state', table_name='activity_signup')
    op.drop_index(op.f('ix_activity_signup_resident_id'), table_name='activity_signup')
    op.drop_table('activity_signup')
    op.drop_index(op.f('ix_activity_grid_grid_id'), table_name='activity_grid')
    op.drop_table('activity_grid')
    op.drop_index('ix_activity_open_starts', table_name='activity',
                  sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
    op.drop_index('ix_activity_community_starts', table_name='activity')
    op.drop_table('activity')
