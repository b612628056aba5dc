"""the grid's own page and notices: a grid worker's work phone, notices for a community or chosen grids,
and one read per resident and notice

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_phone', sa.String(length=20), nullable=True))

    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('whole_community', sa.Boolean(), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('title_other', sa.String(length=120), nullable=False),
        sa.Column('body_other', sa.Text(), nullable=False),
        sa.Column('important', sa.Boolean(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_notice_ends_after_start')),
        sa.CheckConstraint("language IN ('zh', 'en')", name=op.f('ck_notice_language_known')),
        sa.ForeignKeyConstraint(['author_id'], ['account.id'], name=op.f('fk_notice_author_id_account')),
        sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_notice_community_id_community')),
        sa.ForeignKeyConstraint(['withdrawn_by_id'], ['account.id'], name=op.f('fk_notice_withdrawn_by_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_notice_community_dates', ['community_id', 'ends_on', 'starts_on'], unique=False)

    op.create_table(
        'notice_grid',
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_notice_grid_grid_id_grid')),
        sa.ForeignKeyConstraint(
            ['notice_id'], ['notice.id'], name=op.f('fk_notice_grid_notice_id_notice'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('notice_id', 'grid_id', name=op.f('pk_notice_grid')),
    )
    with op.batch_alter_table('notice_grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_grid_grid_id'), ['grid_id'], unique=False)

    op.create_table(
        'notice_read',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('kiosk_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['entered_by_id'], ['account.id'], name=op.f('fk_notice_read_entered_by_id_account')
        ),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_notice_read_kiosk_id_kiosk')),
        sa.ForeignKeyConstraint(
            ['notice_id'], ['notice.id'], name=op.f('fk_notice_read_notice_id_notice'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_notice_read_resident_id_resident')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_read')),
        sa.UniqueConstraint('notice_id', 'resident_id', name='uq_notice_read_once'),
    )
    with op.batch_alter_table('notice_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_read_resident_id'), ['resident_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notice_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_read_resident_id'))
    op.drop_table('notice_read')
    with op.batch_alter_table('notice_grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_grid_grid_id'))
    op.drop_table('notice_grid')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_community_dates')
        batch_op.drop_index(batch_op.f('ix_notice_community_id'))
    op.drop_table('notice')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('work_phone')
