"""kiosk visits, activation code expiry and identification failures

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-22 07:06:46.974416

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kiosk_identify_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_kiosk_identify_failure_kiosk_id_kiosk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_identify_failure'))
    )
    with op.batch_alter_table('kiosk_identify_failure', schema=None) as batch_op:
        batch_op.create_index('ix_kiosk_identify_failure_kiosk_at', ['kiosk_id', 'at'], unique=False)

    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activation_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('visit', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_column('visit')
        batch_op.drop_column('activation_expires_at')

    with op.batch_alter_table('kiosk_identify_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_kiosk_identify_failure_kiosk_at')

    op.drop_table('kiosk_identify_failure')
