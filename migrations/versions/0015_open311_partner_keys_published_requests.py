"""Open311: partners' API keys (only a hash), the key that filed a request, a request's description
marked public by staff, and the index for a jurisdiction's requests in a date window

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('length(key_hash) = 64', name=op.f('ck_partner_key_hash_length')),
        sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_partner_key_community_id_community')),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_partner_key_created_by_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_key')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_partner_key_key_hash')),
    )
    op.create_index(op.f('ix_partner_key_community_id'), 'partner_key', ['community_id'], unique=False)
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_key_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f('fk_request_partner_key_id_partner_key'), 'partner_key', ['partner_key_id'], ['id']
        )
        batch_op.create_index('ix_request_community_created', ['community_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_index('ix_request_community_created')
        batch_op.drop_constraint(batch_op.f('fk_request_partner_key_id_partner_key'), type_='foreignkey')
        batch_op.drop_column('published')
        batch_op.drop_column('partner_key_id')
    op.drop_index(op.f('ix_partner_key_community_id'), table_name='partner_key')
    op.drop_table('partner_key')
