"""ops_forecast_runs, ops_forecast_points and ops_plans (greencart.ops: forecasts and plans)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _energy_columns() -> list[sa.Column]:
    return [
        sa.Column('duration_s', sa.Float(), nullable=False),
        sa.Column('energy_j', sa.Float(), nullable=False),
        sa.Column('energy_low_j', sa.Float(), nullable=False),
        sa.Column('energy_high_j', sa.Float(), nullable=False),
        sa.Column('energy_method', sa.String(length=20), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('ops_forecast_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('freq', sa.String(length=8), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('horizon', sa.Integer(), nullable=False),
    sa.Column('n_series', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    *_energy_columns(),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ops_forecast_runs_level_time', 'ops_forecast_runs', ['level', 'created_at'])
    op.create_table('ops_forecast_points',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.String(length=200), nullable=False),
    sa.Column('ds', sa.DateTime(), nullable=False),
    sa.Column('mean', sa.Float(), nullable=False),
    sa.Column('lo_80', sa.Float(), nullable=True),
    sa.Column('hi_80', sa.Float(), nullable=True),
    sa.Column('lo_95', sa.Float(), nullable=True),
    sa.Column('hi_95', sa.Float(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['ops_forecast_runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'series_id', 'ds')
    )
    op.create_index('ix_ops_forecast_points_run_id', 'ops_forecast_points', ['run_id'])
    op.create_index('ix_ops_forecast_points_series_id', 'ops_forecast_points', ['series_id'])
    op.create_table('ops_plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('objective', sa.Float(), nullable=True),
    sa.Column('request', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    *_energy_columns(),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ops_plans_kind_time', 'ops_plans', ['kind', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_ops_plans_kind_time', table_name='ops_plans')
    op.drop_table('ops_plans')
    op.drop_index('ix_ops_forecast_points_series_id', table_name='ops_forecast_points')
    op.drop_index('ix_ops_forecast_points_run_id', table_name='ops_forecast_points')
    op.drop_table('ops_forecast_points')
    op.drop_index('ix_ops_forecast_runs_level_time', table_name='ops_forecast_runs')
    op.drop_table('ops_forecast_runs')
