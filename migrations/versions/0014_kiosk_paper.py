"""the paper a kiosk's printer takes: A4, A5 or a thermal roll 80 or 58 mm wide

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paper', sa.String(length=8), server_default='a4', nullable=False))
        batch_op.create_check_constraint(op.f('ck_kiosk_paper_known'), "paper IN ('a4', 'a5', 'roll80', 'roll58')")


def downgrade():
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_kiosk_paper_known'), type_='check')
        batch_op.drop_column('paper')
