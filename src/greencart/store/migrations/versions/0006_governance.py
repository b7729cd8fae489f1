"""governance: wrapped data keys (crypto-shredding) and the erasure log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_keys',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('owner', sa.String(length=80), nullable=False),
    sa.Column('master_key_id', sa.String(length=16), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('data_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_keys_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_keys_master_key_id'), ['master_key_id'], unique=False)
    op.create_table('erasure_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('keys_shredded', sa.Integer(), nullable=False),
    sa.Column('rows_deleted', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('erasure_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_log_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('erasure_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_log_at'))
    op.drop_table('erasure_log')
    with op.batch_alter_table('data_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_keys_master_key_id'))
        batch_op.drop_index(batch_op.f('ix_data_keys_owner'))
    op.drop_table('data_keys')
