"""mutual aid (邻里互助): needs and offers of a grid or a community, proposed matches (one per post and
resident), reports (one per post and resident) and the grid worker's calls to residents without a mobile

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 17:04:38.448665

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('aid_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('whole_community', sa.Boolean(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('state_reason', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('matched_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('open_reports', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('errand', 'item', 'company', 'repair', 'other')", name=op.f('ck_aid_post_aid_category_known')),
    sa.CheckConstraint("kind IN ('need', 'offer')", name=op.f('ck_aid_post_aid_kind_known')),
    sa.CheckConstraint("state IN ('open', 'matched', 'done', 'closed', 'hidden', 'expired')", name=op.f('ck_aid_post_aid_post_state_known')),
    sa.CheckConstraint('open_reports >= 0', name=op.f('ck_aid_post_aid_open_reports_not_negative')),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_aid_post_building_id_building')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_aid_post_community_id_community')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_aid_post_entered_by_id_account')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_aid_post_grid_id_grid')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_aid_post_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['account.id'], name=op.f('fk_aid_post_moderated_by_id_account')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_aid_post_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_post'))
    )
    with op.batch_alter_table('aid_post', schema=None) as batch_op:
        batch_op.create_index('ix_aid_post_community_state', ['community_id', 'state', 'created_at'], unique=False)
        batch_op.create_index('ix_aid_post_grid_state', ['grid_id', 'state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_post_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_aid_post_state_expires', ['state', 'expires_at'], unique=False)

    op.create_table('aid_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason IN ('matched', 'still_needed')", name=op.f('ck_aid_call_aid_call_reason_known')),
    sa.ForeignKeyConstraint(['done_by_id'], ['account.id'], name=op.f('fk_aid_call_done_by_id_account')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_aid_call_grid_id_grid')),
    sa.ForeignKeyConstraint(['post_id'], ['aid_post.id'], name=op.f('fk_aid_call_post_id_aid_post')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_aid_call_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_call'))
    )
    with op.batch_alter_table('aid_call', schema=None) as batch_op:
        batch_op.create_index('ix_aid_call_grid_open', ['grid_id', 'done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_call_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_call_resident_id'), ['resident_id'], unique=False)

    op.create_table('aid_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('agreed', sa.Text(), nullable=False),
    sa.Column('decline_reason', sa.String(length=300), nullable=False),
    sa.CheckConstraint("state IN ('proposed', 'confirmed', 'declined')", name=op.f('ck_aid_match_aid_match_state_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_aid_match_decided_by_id_account')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_aid_match_entered_by_id_account')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_aid_match_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['post_id'], ['aid_post.id'], name=op.f('fk_aid_match_post_id_aid_post')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_aid_match_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_match')),
    sa.UniqueConstraint('post_id', 'resident_id', name='uq_aid_match_post_resident')
    )
    with op.batch_alter_table('aid_match', schema=None) as batch_op:
        batch_op.create_index('ix_aid_match_post_state', ['post_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_match_resident_id'), ['resident_id'], unique=False)

    op.create_table('aid_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['aid_post.id'], name=op.f('fk_aid_report_post_id_aid_post')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_aid_report_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_report')),
    sa.UniqueConstraint('post_id', 'resident_id', name='uq_aid_report_post_resident')
    )
    with op.batch_alter_table('aid_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_report_resident_id'), ['resident_id'], unique=False)



def downgrade():
    with op.batch_alter_table('aid_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_report_resident_id'))

    op.drop_table('aid_report')
    with op.batch_alter_table('aid_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_match_resident_id'))
        batch_op.drop_index('ix_aid_match_post_state')

    op.drop_table('aid_match')
    with op.batch_alter_table('aid_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_call_resident_id'))
        batch_op.drop_index(batch_op.f('ix_aid_call_post_id'))
        batch_op.drop_index('ix_aid_call_grid_open')

    op.drop_table('aid_call')
    with op.batch_alter_table('aid_post', schema=None) as batch_op:
        batch_op.drop_index('ix_aid_post_state_expires')
        batch_op.drop_index(batch_op.f('ix_aid_post_resident_id'))
        batch_op.drop_index('ix_aid_post_grid_state')
        batch_op.drop_index('ix_aid_post_community_state')

    op.drop_table('aid_post')
