"""Why the development set's queries miss their mark among many distractors.

Maps an index file of the development set among synthetic distractors (the one
``matching_quality.py --mapped --index-file PATH`` keeps, or one built here the same way) and
sorts every query whose mark is not among the first ten into:

- ``ties``: at least ten distractors are as close to the query by plain edit distance (on
  the folded letters) as its mark: no ranking by spelling could put the mark in the first ten;
- ``ranked_low``: the mark is among the candidates but ranked below them;
- ``not_candidate``: the candidate generation never proposes it.

The misses are those of the product's order (`Matcher.search` with the owners: one owner
per identical text ahead, `score.crowd`). It also measures recall when the ranking before
that crowding is regrouped (at most K registrations of one identical text before the others,
whatever the owner), the experiment of docs/performance.md ("10,000,000 marks"). The last line
is JSON: ``queries``, ``missed_at_10``, ``ties``, ``ranked_low``, ``not_candidate``,
``recall_at_1`` and ``recall_at_10`` (as answered) and ``recall_at_{1,10}_group_K`` (K = 0:
the ranking before crowding).

    .venv/bin/python bench/matching_misses.py --quick        # 100,000 distractors, ~1 min
    .venv/bin/python bench/matching_misses.py                # 1,000,000 distractors
    .venv/bin/python bench/matching_quality.py --mapped --distractors 10000000 \\
        --index-file /tmp/marks-10m.idx      # builds and keeps the file (about 12 min)
    .venv/bin/python bench/matching_misses.py /tmp/marks-10m.idx --show 40
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import matching_quality as mq  # noqa: E402

from anice.rights.matching import Matcher  # noqa: E402
from anice.rights.matching.index import Query  # noqa: E402
from anice.rights.matching.mapped import MappedIndex  # noqa: E402

DEEP = 100  # results read per query


def folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def grouped(numbers: list[int], texts: list[str], per_text: int) -> list[int]:
    """`numbers` with at most `per_text` of one identical text first, the others after."""
    seen: Counter = Counter()
    first, later = [], []
    for n, text in zip(numbers, texts, strict=True):
        seen[text] += 1
        (first if seen[text] <= per_text else later).append(n)
    return first + later


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index_file", nargs="?",
                        help="a file kept by matching_quality.py --index-file; without it one "
                             "is built here and deleted after")
    parser.add_argument("--quick", action="store_true",
                        help="built here: 100,000 distractors (1,000,000 without it)")
    parser.add_argument("--no-scripts", action="store_true",
                        help="the file was built with --no-scripts")
    parser.add_argument("--show", type=int, default=20, help="misses printed (20)")
    args = parser.parse_args()

    marks, queries, answers = mq.load_dev(not args.no_scripts, mq.DEV)
    if args.index_file:
        if not os.path.isfile(args.index_file):
            parser.error(f"index_file: no such file: {args.index_file}")
        return report(args, marks, queries, answers, args.index_file)
    size = 100_000 if args.quick else 1_000_000
    cjk = 0 if args.no_scripts else round(size * mq.CJK_SHARE)
    print(f"building the index: {len(marks)} marks + {size:,} + {cjk:,} distractors",
          file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="anice-misses-") as folder:
        path = os.path.join(folder, "marks.idx")
        index = mq.build(marks, size, cjk, path)[0]
        index.close()
        return report(args, marks, queries, answers, path)


class _ByNumber:
    """`matching_quality.Owners` read by mark number (position in the file)."""

    def __init__(self, holders, ids):
        self.holders, self.ids = holders, ids

    def get(self, n, default=None):
        return self.holders.get(self.ids[n], default)


def _ids(marks, signature: str) -> list:
    """The mark ids of a file built by `matching_quality.build`, from its signature."""
    found = re.fullmatch(r"seed \d+, \d+ \+ (\d+) \+ (\d+), spread ([\d.]+)", signature or "")
    if not found:
        raise SystemExit(f"not a file of matching_quality.py: {signature!r}")
    size, cjk, spread = int(found[1]), int(found[2]), float(found[3])
    return [(m["office"], m["number"]) for m in marks] + mq.distractor_marks(
        size, cjk, spread)[0]


def report(args, marks, queries, answers, path: str) -> int:
    dev = {(m["office"], m["number"]): i for i, m in enumerate(marks)}
    index = MappedIndex(path)
    index.mark_ids = range(len(index))  # mark numbers: position in the file
    matcher = Matcher(index)
    holders = _ByNumber(mq.owners(marks), _ids(marks, index.registry.get("bench")))
    entry_mark = np.frombuffer(index.entry_mark, dtype=np.uint32)

    kinds: Counter = Counter()
    recall: Counter = Counter()
    shown = 0
    for q in queries:
        expected = {dev[tuple(e)] for e in answers[q["id"]]["expected"] if tuple(e) in dev}
        # as ranked before `crowd` (the grouping experiment below), and as answered
        ranked = [c.mark_id for c in matcher.ranked(q["text"], q.get("classes"), limit=DEEP)]
        texts = [index.texts[n].casefold() for n in ranked]
        found = [c.mark_id for c in matcher.search(q["text"], q.get("classes"), limit=DEEP,
                                                   owners=holders)]
        rank = next((r for r, n in enumerate(found) if n in expected), None)
        recall["recall_at_1"] += rank == 0
        recall["recall_at_10"] += rank is not None and rank < 10
        for per_text in (0, 1, 2, 3):
            order = grouped(ranked, texts, per_text) if per_text else ranked
            rank = next((r for r, n in enumerate(order) if n in expected), None)
            recall[f"recall_at_1_group_{per_text}"] += rank == 0
            recall[f"recall_at_10_group_{per_text}"] += rank is not None and rank < 10
        if rank is not None and rank < 10:
            continue
        key = folded(q["text"])
        mark = min((folded(index.texts[n]) for n in expected),
                   key=lambda k: Levenshtein.normalized_distance(key, k))
        distance = Levenshtein.normalized_distance(key, mark)
        closer = sum(Levenshtein.normalized_distance(key, folded(index.texts[n])) <= distance
                     for n in found if n not in expected)
        if closer >= 10:
            kind = "ties"
        else:
            candidates = entry_mark[np.array(index.candidates(Query.parse(q["text"])),
                                             dtype=np.int64)]
            kind = "ranked_low" if expected & set(candidates.tolist()) else "not_candidate"
        kinds[kind] += 1
        if shown < args.show:
            shown += 1
            before = ", ".join(f"{index.texts[n]!r}" for n in found[:3])
            print(f"{kind:<14} {q['text']!r} -> {mark} (rank {rank}); first: {before}")
    total = len(queries)
    out = {"queries": total, "missed_at_10": sum(kinds.values()), **kinds,
           **{k: round(v / total, 4) for k, v in sorted(recall.items())}}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
