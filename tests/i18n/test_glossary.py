"""The catalogs use the glossary's words for the key legal and enforcement terms."""

from __future__ import annotations

import re

import pytest

from . import catalogs

# Every glossary defines these (issue 19).
REQUIRED = ("seizure", "detention", "referral", "handling code", "right holder", "counterfeit",
            "takedown", "chain of custody", "prosecution", "evidence", "verification request",
            "recordation", "national coordinator")
# Checked in every message whose English holds them (singular or plural).
KEY_TERMS = ("case", "referral", "right holder", "counterfeit", "evidence",
             "national coordinator", "agency", "investigator", "prosecutor", "supervisor")


CODE = re.compile(r"`[^`]*`")


def english(term: str) -> re.Pattern:
    stem = term[:-1] + "(?:y|ies)" if term.endswith("y") else re.escape(term) + "s?"
    return re.compile(rf"\b{stem}\b", re.IGNORECASE)


@pytest.mark.parametrize("code", catalogs.LANGUAGES)
def test_glossary_defines_the_terms(code):
    terms = catalogs.glossary(code)
    assert [t for t in REQUIRED if not terms.get(t)] == []


@pytest.mark.parametrize("code", catalogs.LANGUAGES)
def test_catalog_uses_the_glossary_terms(code):
    terms = catalogs.glossary(code)
    misses = []
    for message in catalogs.catalog(code):
        if not message.id:
            continue
        for source, translated in catalogs.forms(message):
            text = catalogs.PLACEHOLDERS.sub(" ", source)  # %(agency)s is no word
            text = CODE.sub(" ", text)  # nor is a command: `flask --app wsgi evidence verify`
            for term in KEY_TERMS:
                if english(term).search(text) and \
                        terms[term].casefold() not in translated.casefold():
                    misses.append((term, source, translated))
    assert misses == []


def test_the_check_finds_a_term_left_out():
    assert english("agency").search("Referrals to route to an agency")
    assert english("agency").search("Agencies")
    assert english("case").search("All cases you may see")
    assert not english("case").search("showcase")
