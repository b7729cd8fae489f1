"""an index on energy_ledger.started_at for the dashboard's time-window queries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:10:00
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_energy_ledger_started_at', 'energy_ledger', ['started_at'])


def downgrade() -> None:
    op.drop_index('ix_energy_ledger_started_at', table_name='energy_ledger')
