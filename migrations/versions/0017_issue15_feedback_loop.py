"""Issue 15: dismissed findings, team rule settings, the audit log, QA reviews (with their scores),
and people management (active, must_change_password, is_reviewer on users).

Revision ID: 0017_issue15
Revises: 0016_issue16
Create Date: 2026-11-30 09:36:54.658070
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017_issue15'
down_revision = '0016_issue16'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=254), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_user_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_team_id'), ['team_id'], unique=False)

    op.create_table('team_rule_settings',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=80), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("mode IN ('off', 'hint')", name='ck_team_rule_settings_mode'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('team_id', 'rule')
    )
    op.create_table('dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('scenario_id', sa.String(length=80), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=80), nullable=False),
    sa.Column('analyzer', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('span_text', sa.Text(), nullable=True),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.CheckConstraint("reason IN ('wrong', 'not-relevant', 'known-term', 'other')", name='ck_dismissals_reason'),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dismissals_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dismissals_rule'), ['rule'], unique=False)
        batch_op.create_index(batch_op.f('ix_dismissals_user_id'), ['user_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_name', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('customer_text', sa.Text(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('coach_overall', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("source IN ('app', 'import')", name='ck_reviews_source'),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_replied_at'), ['replied_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_team_id'), ['team_id'], unique=False)

    op.create_table('review_scores',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=32), nullable=False),
    sa.Column('reviewer', sa.Float(), nullable=True),
    sa.Column('coach', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'dimension')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_reviewer', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_reviewer')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('active')

    op.drop_table('review_scores')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_team_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_replied_at'))
        batch_op.drop_index(batch_op.f('ix_reviews_attempt_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dismissals_user_id'))
        batch_op.drop_index(batch_op.f('ix_dismissals_rule'))
        batch_op.drop_index(batch_op.f('ix_dismissals_created_at'))

    op.drop_table('dismissals')
    op.drop_table('team_rule_settings')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_team_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))

    op.drop_table('audit_log')
