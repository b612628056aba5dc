"""public figures worked out once and kept, per area, period and language

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_figures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('period', sa.String(length=100), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('scope', 'period', 'locale', name='stored_figures_one_copy'),
    )


def downgrade():
    op.drop_table('stored_figures')
