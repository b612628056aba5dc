"""calls for a member of staff raised at kiosks

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('hour', sa.DateTime(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state IN ('waiting', 'coming', 'done')", name=op.f('ck_staff_call_state_known')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['account.id'], name=op.f('fk_staff_call_answered_by_id_account')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_staff_call_community_id_community')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_staff_call_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_staff_call_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_call'))
    )
    with op.batch_alter_table('staff_call', schema=None) as batch_op:
        batch_op.create_index('ix_staff_call_community_state', ['community_id', 'state', 'raised_at'], unique=False)
        batch_op.create_index('ix_staff_call_kiosk_hour', ['kiosk_id', 'hour'], unique=False)
        batch_op.create_index('uq_staff_call_open_per_kiosk', ['kiosk_id'], unique=True,
                              sqlite_where=sa.text("state != 'done'"), postgresql_where=sa.text("state != 'done'"))


def downgrade():
    with op.batch_alter_table('staff_call', schema=None) as batch_op:
        batch_op.drop_index('uq_staff_call_open_per_kiosk', sqlite_where=sa.text("state != 'done'"),
                            postgresql_where=sa.text("state != 'done'"))
        batch_op.drop_index('ix_staff_call_kiosk_hour')
        batch_op.drop_index('ix_staff_call_community_state')

    op.drop_table('staff_call')
