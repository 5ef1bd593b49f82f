"""cases, items, parties, timeline and search

Revision ID: 20acff5a0d79
Revises: 643dc5b1e646
Create Date: 2026-11-25 19:47:23.423711
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '20acff5a0d79'
down_revision: str | None = '643dc5b1e646'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('usd_rate',
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('usd_per_unit', sa.Numeric(precision=20, scale=10), nullable=False),
    sa.PrimaryKeyConstraint('currency', 'on', name=op.f('pk_usd_rate'))
    )
    op.create_table('case_counter',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_case_counter_agency_id_agency')),
    sa.PrimaryKeyConstraint('agency_id', 'year', name=op.f('pk_case_counter'))
    )
    op.create_table('case_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('counterfeit', 'online', name='casekind', native_enum=False, length=12), nullable=False),
    sa.Column('status', sa.Enum('draft', 'open', 'under_investigation', 'prosecution', 'in_court', 'closed', name='casestatus', native_enum=False, length=24), nullable=False),
    sa.Column('sensitivity', sa.Enum('normal', 'restricted', name='sensitivity', native_enum=False, length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('right_types_mask', sa.Integer(), nullable=False),
    sa.Column('detection', sa.Enum('raid', 'customs_detention', 'market_inspection', 'complaint', 'online_monitoring', name='detection', native_enum=False, length=24), nullable=True),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('detected_on', sa.Date(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('charges', sa.Text(), nullable=True),
    sa.Column('court_name', sa.String(length=200), nullable=True),
    sa.Column('court_reference', sa.String(length=100), nullable=True),
    sa.Column('court_date', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Enum('convicted', 'fined', 'settled', 'acquitted', 'no_further_action', 'transferred', name='outcome', native_enum=False, length=24), nullable=True),
    sa.Column('outcome_notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_case_file_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['officer.id'], name=op.f('fk_case_file_created_by_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('agency_id', 'year', 'seq', name=op.f('uq_case_file_agency_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_file_reference'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_agency_detected', ['agency_id', 'detected_on'], unique=False)
        batch_op.create_index('ix_case_agency_status', ['agency_id', 'status'], unique=False)
        batch_op.create_index('ix_case_agency_updated', ['agency_id', 'updated_at', 'id', 'sensitivity'], unique=False)
        batch_op.create_index('ix_case_country_detected', ['country_code', 'detected_on'], unique=False)
        batch_op.create_index('ix_case_country_updated', ['country_code', 'updated_at', 'id', 'sensitivity', 'agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_status'), ['status'], unique=False)

    op.create_table('case_assignment',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_assignment_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_case_assignment_officer_id_officer')),
    sa.PrimaryKeyConstraint('case_id', 'officer_id', name=op.f('pk_case_assignment'))
    )
    with op.batch_alter_table('case_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_assignment_officer_id'), ['officer_id'], unique=False)

    op.create_table('case_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['officer.id'], name=op.f('fk_case_note_author_id_officer')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_note_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_note'))
    )
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_note_case_id'), ['case_id'], unique=False)

    op.create_table('case_search',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_search_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_search'))
    )
    op.create_table('listing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('platform', sa.Enum('shopee', 'lazada', 'tokopedia', 'tiktok_shop', 'facebook', 'instagram', 'carousell', 'zalora', 'bukalapak', 'telegram', 'website', 'other', name='platform', native_enum=False, length=16), nullable=False),
    sa.Column('seller_name', sa.String(length=200), nullable=True),
    sa.Column('seller_id', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('seen_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('takedown_requested_on', sa.Date(), nullable=True),
    sa.Column('takedown_done_on', sa.Date(), nullable=True),
    sa.Column('takedown_result', sa.Enum('pending', 'removed', 'partially_removed', 'refused', 'no_response', name='takedownresult', native_enum=False, length=20), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_listing_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing'))
    )
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_listing_platform_case', ['platform', 'case_id'], unique=False)
        batch_op.create_index('ix_listing_platform_seller', ['platform', 'seller_id'], unique=False)

    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('suspect', 'right_holder', 'representative', name='partyrole', native_enum=False, length=16), nullable=False),
    sa.Column('kind', sa.Enum('person', 'company', name='partykind', native_enum=False, length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('nationality', sa.String(length=2), nullable=True),
    sa.Column('id_number', sa.String(length=100), nullable=True),
    sa.Column('contact', sa.String(length=500), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_party_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_case_id'), ['case_id'], unique=False)

    op.create_table('seizure_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('brand', sa.String(length=200), nullable=False),
    sa.Column('brand_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('category', sa.Enum('apparel', 'footwear', 'bags_accessories', 'watches_jewellery', 'electronics', 'mobile_accessories', 'cosmetics', 'pharmaceuticals', 'food_beverages', 'tobacco_alcohol', 'toys', 'auto_parts', 'household', 'media_software', 'other', name='category', native_enum=False, length=24), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit', sa.Enum('pieces', 'pairs', 'sets', 'boxes', 'cartons', 'kg', 'litres', name='unit', native_enum=False, length=12), nullable=False),
    sa.Column('value_local', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('usd_rate', sa.Numeric(precision=20, scale=10), nullable=True),
    sa.Column('rate_date', sa.Date(), nullable=True),
    sa.Column('value_usd', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('storage_place', sa.String(length=200), nullable=True),
    sa.Column('disposal', sa.Enum('destroyed', 'donated', 'returned', 'recycled', name='disposal', native_enum=False, length=12), nullable=True),
    sa.Column('disposal_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_seizure_item_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seizure_item'))
    )
    with op.batch_alter_table('seizure_item', schema=None) as batch_op:
        batch_op.create_index('ix_seizure_item_brand_key_case', ['brand_key', 'case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seizure_item_case_id'), ['case_id'], unique=False)

    op.create_table('timeline_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=320), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officer.id'], name=op.f('fk_timeline_entry_actor_id_officer')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_timeline_entry_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entry'))
    )
    with op.batch_alter_table('timeline_entry', schema=None) as batch_op:
        batch_op.create_index('ix_timeline_case_at', ['case_id', 'at'], unique=False)


    create_search_index()


def downgrade() -> None:
    drop_search_index()
    with op.batch_alter_table('timeline_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_timeline_case_at')

    op.drop_table('timeline_entry')
    with op.batch_alter_table('seizure_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seizure_item_case_id'))
        batch_op.drop_index('ix_seizure_item_brand_key_case')

    op.drop_table('seizure_item')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_case_id'))

    op.drop_table('party')
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_platform_seller')
        batch_op.drop_index('ix_listing_platform_case')
        batch_op.drop_index(batch_op.f('ix_listing_case_id'))

    op.drop_table('listing')
    op.drop_table('case_search')
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_note_case_id'))

    op.drop_table('case_note')
    with op.batch_alter_table('case_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_assignment_officer_id'))

    op.drop_table('case_assignment')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_status'))
        batch_op.drop_index(batch_op.f('ix_case_file_kind'))
        batch_op.drop_index('ix_case_country_updated')
        batch_op.drop_index('ix_case_country_detected')
        batch_op.drop_index('ix_case_agency_updated')
        batch_op.drop_index('ix_case_agency_status')
        batch_op.drop_index('ix_case_agency_detected')

    op.drop_table('case_file')
    op.drop_table('case_counter')
    op.drop_table('usd_rate')


# Full-text search over case_search.body: FTS5 on SQLite; on PostgreSQL a stored tsvector
# column with a GIN index.
# Kept outside the models (and ignored by autogenerate, see migrations/env.py).
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE case_fts USING fts5(body, content='case_search', "
    "content_rowid='case_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN "
    "INSERT INTO case_fts(rowid, body) VALUES (new.case_id, new.body); END",
    "CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN "
    "INSERT INTO case_fts(case_fts, rowid, body) VALUES ('delete', old.case_id, old.body); END",
    "CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN "
    "INSERT INTO case_fts(case_fts, rowid, body) VALUES ('delete', old.case_id, old.body); "
    "INSERT INTO case_fts(rowid, body) VALUES (new.case_id, new.body); END",
]


def create_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute("ALTER TABLE case_search ADD COLUMN tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED")
        op.execute("CREATE INDEX ix_case_search_tsv ON case_search USING gin (tsv)")


def drop_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("case_search_ai", "case_search_ad", "case_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS case_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_case_search_tsv")
        op.execute("ALTER TABLE case_search DROP COLUMN IF EXISTS tsv")
