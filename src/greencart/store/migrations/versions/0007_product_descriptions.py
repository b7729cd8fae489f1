"""product_descriptions: generated descriptions cached per product version and language

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'product_descriptions',
        sa.Column('product_id', sa.String(64), sa.ForeignKey('products.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('lang', sa.String(8), primary_key=True),
        sa.Column('version', sa.String(64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('method', sa.String(200), nullable=False),
        sa.Column('energy_j', sa.Float(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('product_descriptions')
