"""kiosk name in English: a kiosk's name is shown in the page's language, like other place names

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 18:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=120), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_column('name_en')
