"""One normaliser of brand text (anice.text.brand) read by case search, the brand filter,
correlation, matching and reports: "nike" finds the NlKE goods, and "NlKE" the Nike ones."""

from __future__ import annotations

from sqlalchemy import select, update

from anice.cases import items, search, service
from anice.correlation import normalize as correlation_normalize
from anice.models import SeizureItem
from anice.reports import figures
from anice.rights import matching
from anice.text import brand
from anice.web import paginate

from .helpers import SEIZURE, new_case


def test_one_normaliser_for_search_correlation_matching_and_reports():
    assert matching.normalize is brand.normalize
    assert correlation_normalize.mark_key is brand.normalize
    assert search.brand_key is items.brand_key is service.brand_key is brand.brand_key
    assert figures.normalize is brand.normalize
    keys = {brand.brand_key(t) for t in ("NIKE", "NlKE", "Nlke", "N1KE", "Nìke", "nike original")}
    assert keys == {"nike"}
    assert brand.brand_key("Colgate") != brand.brand_key("Colgete")


def test_search_and_brand_filter_read_look_alike_spellings(db, make):
    inv = make.officer()
    plain, fake, other = new_case(db, inv), new_case(db, inv), new_case(db, inv)
    items.add_item(db, inv, plain.id, "seizure", {**SEIZURE, "brand": "Nike"})
    items.add_item(db, inv, fake.id, "seizure", {**SEIZURE, "brand": "NlKE"})
    items.add_item(db, inv, other.id, "seizure", {**SEIZURE, "brand": "Adidas"})
    db.commit()

    def ids(**kw):
        query = service.cases_query(db, inv, service.CaseFilter(**kw))
        return {c.id for c in paginate(query, 1, 50).items}

    assert ids(q="nike") == {plain.id, fake.id}
    assert ids(q="NlKE") == {plain.id, fake.id}
    assert ids(q="nlke running") == {plain.id, fake.id}  # every word still required
    assert ids(brand="nike") == {plain.id, fake.id}
    assert ids(brand="NlK") == {plain.id, fake.id}
    assert ids(q="adidas") == {other.id}


def test_rekey_brands_recomputes_keys_stored_before(db, make, runner):
    inv = make.officer()
    case = new_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "NlKE"})
    db.execute(update(SeizureItem).values(brand_key="nlke"))  # as the old fold stored it
    db.commit()
    result = runner.invoke(args=["cases", "rekey-brands"])
    assert result.exit_code == 0, result.output
    assert "1 seizure items re-keyed" in result.output
    db.expire_all()
    assert db.scalars(select(SeizureItem.brand_key)).all() == ["nike"]
    again = runner.invoke(args=["cases", "rekey-brands"])
    assert "0 seizure items re-keyed" in again.output
