"""Fill the language catalogs from translation drafts (JSON), after `make i18n-update`.

A draft maps each English message (the msgid, exactly as extracted) to its translation per
language code; a plural message (ngettext) gives its plural English under "plural" and a list
of forms per language:

    {
      "Seizure saved.": {"id": "Penyitaan disimpan.", "ms": "...", "th": "...", ...},
      "%(num)s item": {"plural": "%(num)s items", "id": ["%(num)s barang"], ...}
    }

A translation in a draft replaces the catalog's (and clears "fuzzy"): the draft is the newer
word. Messages of the catalog that no draft and no earlier translation covers are listed, per
language, so the tests of tests/i18n/test_catalogs.py do not come as a surprise.

    .venv/bin/python scripts/i18n_fill.py drafts/*.json          # fill and write
    .venv/bin/python scripts/i18n_fill.py --check drafts/*.json  # only say what is missing
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "anice" / "translations"


def load_drafts(paths: list[Path]) -> dict[str, dict]:
    drafts: dict[str, dict] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"{path}: cannot read the draft: {exc}") from None
        if not isinstance(data, dict):
            raise SystemExit(f"{path}: a draft is a JSON object of English message -> languages")
        for msgid, languages in data.items():
            if not isinstance(languages, dict):
                raise SystemExit(f"{path}: {msgid!r}: expected an object of language -> text")
            drafts.setdefault(msgid, {}).update(languages)
    return drafts


def fill(code: str, drafts: dict[str, dict], write: bool) -> list[str]:
    """Fill one language's catalog; the English messages still without a translation."""
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        draft = drafts.get(key, {}).get(code)
        if draft:
            if isinstance(message.id, tuple):
                forms = draft if isinstance(draft, list) else [draft]
                count = catalog.num_plurals
                message.string = tuple((forms + [forms[-1]] * count)[:count])
            else:
                message.string = draft if isinstance(draft, str) else draft[0]
            message.flags.discard("fuzzy")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(key)
    if write:
        with path.open("wb") as fh:
            write_po(fh, catalog, width=76, ignore_obsolete=True)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("drafts", nargs="*", type=Path, help="JSON drafts")
    parser.add_argument("--check", action="store_true", help="write nothing, list what is missing")
    args = parser.parse_args(argv)
    drafts = load_drafts(args.drafts)
    codes = sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir())
    incomplete = 0
    for code in codes:
        missing = fill(code, drafts, write=not args.check)
        if missing:
            incomplete += 1
            print(f"{code}: {len(missing)} without a translation, e.g. {missing[:3]}")
    print(f"{len(codes) - incomplete} of {len(codes)} catalogs complete")
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
