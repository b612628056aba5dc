"""each resident's own data: corrections and removal asked for, and removed residents

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))

    op.create_table(
        'data_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('field', sa.String(length=20), nullable=False),
        sa.Column('what_is_wrong', sa.Text(), nullable=False),
        sa.Column('should_be', sa.Text(), nullable=False),
        sa.Column('outcome_note', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('kiosk_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('correction', 'removal')", name=op.f('ck_data_request_kind_known')),
        sa.CheckConstraint("state IN ('pending', 'applied', 'declined')", name=op.f('ck_data_request_state_known')),
        sa.CheckConstraint(
            "field IN ('', 'name', 'phone', 'birth_year', 'room', 'family_contact', 'other')",
            name=op.f('ck_data_request_field_known'),
        ),
        sa.CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)", name=op.f('ck_data_request_decided_when_not_pending')
        ),
        sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_data_request_community_id_community')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_data_request_decided_by_id_account')),
        sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_data_request_entered_by_id_account')),
        sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_data_request_kiosk_id_kiosk')),
        sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_data_request_resident_id_resident')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_request')),
    )
    with op.batch_alter_table('data_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_request_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_data_request_community_state', ['community_id', 'state', 'created_at'], unique=False)
        batch_op.create_index(
            'uq_data_request_pending_removal',
            ['resident_id'],
            unique=True,
            sqlite_where=sa.text("kind = 'removal' AND state = 'pending'"),
            postgresql_where=sa.text("kind = 'removal' AND state = 'pending'"),
        )


def downgrade():
    with op.batch_alter_table('data_request', schema=None) as batch_op:
        batch_op.drop_index('uq_data_request_pending_removal')
        batch_op.drop_index('ix_data_request_community_state')
        batch_op.drop_index(batch_op.f('ix_data_request_resident_id'))
    op.drop_table('data_request')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
