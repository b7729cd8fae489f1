"""conversations and conversation_turns (redacted, pseudonymised)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversations',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_pseudonym', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('turn_count', sa.Integer(), nullable=False),
    sa.Column('energy_j_total', sa.Float(), nullable=False),
    sa.Column('carbon_g_total', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_user_pseudonym'), ['user_pseudonym'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_updated_at'), ['updated_at'], unique=False)

    op.create_table('conversation_turns',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('text_redacted', sa.Text(), nullable=False),
    sa.Column('redactions', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=40), nullable=True),
    sa.Column('energy_j', sa.Float(), nullable=True),
    sa.Column('carbon_g', sa.Float(), nullable=True),
    sa.Column('energy_method', sa.String(length=80), nullable=True),
    sa.Column('intent', sa.String(length=40), nullable=True),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('conversation_id', 'seq')
    )
    with op.batch_alter_table('conversation_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_turns_conversation_id'), ['conversation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('conversation_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_turns_conversation_id'))
    op.drop_table('conversation_turns')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_updated_at'))
        batch_op.drop_index(batch_op.f('ix_conversations_user_pseudonym'))
    op.drop_table('conversations')
