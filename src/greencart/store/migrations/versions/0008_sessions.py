"""shared state for many API workers: dialogue sessions, the semantic cache, per-worker energy

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'  # the head on main when merged (the integrator re-chains)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dialogue_sessions',
        sa.Column('session_id', sa.String(64), primary_key=True),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('updated_s', sa.Float(), nullable=False),
    )
    op.create_index('ix_dialogue_sessions_updated_s', 'dialogue_sessions', ['updated_s'])
    op.create_table(
        'semantic_cache',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('state_key', sa.String(64), nullable=False),
        sa.Column('version', sa.String(64), nullable=False),
        sa.Column('norm_text', sa.Text(), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=True),
        sa.Column('blob', sa.LargeBinary(), nullable=False),
        sa.Column('created_s', sa.Float(), nullable=False),
        sa.UniqueConstraint('state_key', 'version', 'norm_text', name='uq_semantic_cache_turn'),
    )
    op.create_index('ix_semantic_cache_created_s', 'semantic_cache', ['created_s'])
    op.create_table(
        'worker_energy',
        sa.Column('worker_id', sa.String(64), primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('pid', sa.Integer(), nullable=False),
        sa.Column('meter', sa.String(64), nullable=False),
        sa.Column('method', sa.String(32), nullable=False),
        sa.Column('started_s', sa.Float(), nullable=False),
        sa.Column('updated_s', sa.Float(), nullable=False),
        sa.Column('windows', sa.Integer(), nullable=False),
        sa.Column('total_j', sa.Float(), nullable=False),
        sa.Column('attributed_j', sa.Float(), nullable=False),
        sa.Column('unattributed_j', sa.Float(), nullable=False),
        sa.Column('idle_j', sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('worker_energy')
    op.drop_index('ix_semantic_cache_created_s', table_name='semantic_cache')
    op.drop_table('semantic_cache')
    op.drop_index('ix_dialogue_sessions_updated_s', table_name='dialogue_sessions')
    op.drop_table('dialogue_sessions')
