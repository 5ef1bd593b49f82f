"""goods and services per class (right_goods) and the classification edition of a right;
the goods line a case's candidate shares with what was seen (case_match.goods_*)

Existing rights get their rows from their goods text, cut at class headings ("25: ...")
where the text has them, else one row (of the right's class when it has only one).

Revision ID: a9c1e3f5b7d4
Revises: e2b4c6d8f0a1
Create Date: 2026-12-06 23:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from anice.rights.matching.goods import split_goods

revision: str = 'a9c1e3f5b7d4'
down_revision: str | None = 'e2b4c6d8f0a1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.add_column(sa.Column('class_edition', sa.String(length=40), nullable=True))
    goods = op.create_table(
        'right_goods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('right_id', sa.Integer(), nullable=False),
        sa.Column('class_number', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'],
                                name=op.f('fk_right_goods_right_id_registered_right'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_right_goods')))
    with op.batch_alter_table('right_goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_goods_right_id'), ['right_id'], unique=False)
    with op.batch_alter_table('case_match', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goods_class', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('goods_term', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('goods_words', sa.JSON(), nullable=True))
    _fill(goods)


def _fill(goods: sa.Table) -> None:
    """Rows for the rights already in the registry, from their goods text."""
    bind = op.get_bind()
    right = sa.table('registered_right', sa.column('id', sa.Integer),
                     sa.column('classes', sa.String), sa.column('goods', sa.Text))
    last = 0
    while True:
        rows = bind.execute(sa.select(right.c.id, right.c.classes, right.c.goods)
                            .where(right.c.id > last, right.c.goods.is_not(None))
                            .order_by(right.c.id).limit(BATCH)).all()
        if not rows:
            return
        values = []
        for right_id, classes, text in rows:
            numbers = [int(c) for c in (classes or '').split(';') if c.strip().isdigit()]
            values += [{'right_id': right_id, 'class_number': p.class_number,
                        'text': p.text, 'language': None}
                       for p in split_goods(text, numbers)]
        if values:
            bind.execute(goods.insert(), values)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('case_match', schema=None) as batch_op:
        batch_op.drop_column('goods_words')
        batch_op.drop_column('goods_term')
        batch_op.drop_column('goods_class')
    with op.batch_alter_table('right_goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_goods_right_id'))
    op.drop_table('right_goods')
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.drop_column('class_edition')
