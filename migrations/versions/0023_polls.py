"""votes (网络微投票): polls for a community or chosen grids with 2-8 options, one ballot per resident and
poll across web, kiosk, helper and paper (a unique constraint), the choices of each ballot, and the paper
ballot batches of each polling place

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-02 17:04:36.766258

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('multiple', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('whole_community', sa.Boolean(), nullable=False),
    sa.Column('results_before_close', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_poll_poll_closes_after_it_opens')),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_poll_community_id_community')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_poll_created_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll'))
    )
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_index('ix_poll_community_closes', ['community_id', 'closes_at', 'id'], unique=False)

    op.create_table('paper_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=80), nullable=False),
    sa.Column('declared', sa.Integer(), nullable=False),
    sa.Column('counted', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_paper_batch_entered_by_id_account')),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_paper_batch_poll_id_poll')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_batch'))
    )
    with op.batch_alter_table('paper_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_batch_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_grid',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_poll_grid_grid_id_grid')),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_grid_poll_id_poll')),
    sa.PrimaryKeyConstraint('poll_id', 'grid_id', name=op.f('pk_poll_grid'))
    )
    with op.batch_alter_table('poll_grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_grid_grid_id'), ['grid_id'], unique=False)

    op.create_table('poll_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_option_poll_id_poll')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_option')),
    sa.UniqueConstraint('poll_id', 'position', name='uq_poll_option_position')
    )
    with op.batch_alter_table('poll_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_option_poll_id'), ['poll_id'], unique=False)

    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('paper_batch_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("channel IN ('online', 'kiosk', 'volunteer', 'gridworker', 'paper', 'seed')", name=op.f('ck_ballot_ballot_channel_known')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_ballot_entered_by_id_account')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_ballot_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['paper_batch_id'], ['paper_batch.id'], name=op.f('fk_ballot_paper_batch_id_paper_batch')),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_ballot_poll_id_poll')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_ballot_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
    sa.UniqueConstraint('poll_id', 'resident_id', name='uq_ballot_one_per_resident')
    )
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_paper_batch_id'), ['paper_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_resident_id'), ['resident_id'], unique=False)

    op.create_table('ballot_choice',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_choice_ballot_id_ballot')),
    sa.ForeignKeyConstraint(['option_id'], ['poll_option.id'], name=op.f('fk_ballot_choice_option_id_poll_option')),
    sa.PrimaryKeyConstraint('ballot_id', 'option_id', name=op.f('pk_ballot_choice'))
    )
    with op.batch_alter_table('ballot_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_choice_option_id'), ['option_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ballot_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_choice_option_id'))

    op.drop_table('ballot_choice')
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_resident_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_paper_batch_id'))

    op.drop_table('ballot')
    with op.batch_alter_table('poll_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_option_poll_id'))

    op.drop_table('poll_option')
    with op.batch_alter_table('poll_grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_grid_grid_id'))

    op.drop_table('poll_grid')
    with op.batch_alter_table('paper_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_batch_poll_id'))

    op.drop_table('paper_batch')
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index('ix_poll_community_closes')

    op.drop_table('poll')
