"""A team's own glossary: team_words (terms with plain alternatives, approved words) and
team_word_changes (who changed what).

Revision ID: 0002_issue12
Revises: 0001
Create Date: 2026-11-30 10:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_issue12'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=120), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('plain', sa.String(length=200), nullable=True),
    sa.Column('explanation', sa.String(length=300), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('term', 'approved')", name='ck_team_words_kind'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'key', name='uq_team_words_team_key')
    )
    with op.batch_alter_table('team_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_words_team_id'), ['team_id'], unique=False)

    op.create_table('team_word_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('add', 'update', 'remove')", name='ck_team_word_changes_action'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('team_word_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_word_changes_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('team_word_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_word_changes_team_id'))
    op.drop_table('team_word_changes')
    with op.batch_alter_table('team_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_words_team_id'))
    op.drop_table('team_words')
