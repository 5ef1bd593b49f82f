"""Matching quality on the development set, hidden among synthetic distractor marks.

No database: the marks go straight into `MarkIndex`. Prints recall@1, recall@10 and MRR overall
and per kind of query and per script, latency, and the brute-force rapidfuzz baseline; the last
line is JSON.

The shared development set is loaded with this project's set of brand spellings in the region's
scripts (`bench/data/scripts-dev`, `--no-scripts` leaves it out), and the distractors include
marks in Chinese characters, kana and hangul (3% more, drawn apart so that the others stay the
same as before).

    .venv/bin/python bench/matching_quality.py --quick   # 100,000 distractors
    .venv/bin/python bench/matching_quality.py           # 1,000,000 distractors
"""

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anyascii import anyascii  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from anice.rights.matching import MarkIndex, Matcher  # noqa: E402
from anice.rights.matching.mapped import MappedIndex  # noqa: E402
from anice.rights.matching.mapped_build import build_file  # noqa: E402
from anice.rights.matching.measures import Weights  # noqa: E402
from anice.rights.matching.score import holder_key  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "matching-dev"
SCRIPTS_DEV = Path(__file__).resolve().parent / "data" / "scripts-dev"
SEED = 20240605
SCRIPTS = ("latin", "vietnamese", "thai", "lao", "khmer", "myanmar", "cjk")
CJK_SHARE = 0.03  # CJK distractors, beside the others
OFFICES = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL")
# Share of the distractor texts that one owner registered in 2, 3 or 4 member states (as the
# development set's brands are), the others in one: 0 by default, the distractors of every
# run before (one office, "ZZ"). `--spread 0.3` measured a bonus for a wider registration
# against distractors that earn it too (docs/performance.md: dropped).
SPREAD = 0.0
BASELINE_QUERIES = 300

ONSETS = ["", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "w", "z", "br", "cl", "cr", "dr", "fl", "gr", "kr", "pl", "pr", "sh", "st", "tr", "ch",
          "th", "sk", "sp", "x", "q", "y"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "oo", "ou", "y", "ia", "ei"]
CODAS = ["", "", "", "n", "r", "s", "l", "x", "m", "t", "ck", "ng", "nd", "st", "rk", "ll", "z"]
SUFFIXES = ["", "", "ex", "ix", "on", "ia", "io", "ly", "er", "tech", "max", "pro", "co", "lab",
            "ify", "ora", "ina", "ax", "um", "ics"]
WORDS = ("sun moon star river golden dragon lotus tiger eagle ocean green blue royal happy smart "
         "fresh home care life best city land garden sky rose jade pearl silver king queen "
         "crown diamond spring summer winter breeze forest island valley harbor phoenix lion "
         "mountain orchid bamboo coconut mango rice tea coffee sweet pure natural beauty health "
         "power energy motor auto tech soft light bright fast easy good first united asia "
         "global mega super ultra prime alpha delta omega nova victory fortune lucky "
         "harmony").split()
FIRST = ("john mary anna peter david linda michael sarah james nguyen tran le pham somchai "
         "siriporn ahmad siti nur kumar maria jose wei ling mei hiroshi kenji sokha dara thida "
         "aung kyaw lan minh huong budi dewi rizal putri arjun priya").split()
LAST = ("smith brown lee wong tan lim ng chen wang garcia santos reyes cruz nguyen tran hoang "
        "vo dang bui suzuki tanaka sato srisuk chaiyaporn wongsa rahman abdullah hassan "
        "gunawan santoso kusuma sok chan ly oo tun win singh sharma").split()
VI_SYLLABLES = ("việt nam sài gòn hà nội phở bánh mì cà phê hương sen lúa vàng ngọc minh an "
                "phúc lộc thọ hoa mai đào trúc xanh đỏ tâm đức thành công hưng thịnh").split()
THAI = [chr(c) for c in range(0x0E01, 0x0E2F)]
THAI_VOWELS = ["\u0e32", "\u0e34", "\u0e35", "\u0e38", "\u0e39", "\u0e40", "\u0e41", "\u0e42",
               "\u0e44", "\u0e31"]
KHMER = [chr(c) for c in range(0x1780, 0x17A3)]
KHMER_VOWELS = [chr(c) for c in range(0x17B6, 0x17C6)]
LAO = [chr(c) for c in (0x0E81, 0x0E82, 0x0E84, 0x0E87, 0x0E88, 0x0E8A, 0x0E94, 0x0E95, 0x0E96,
                        0x0E97, 0x0E99, 0x0E9A, 0x0E9B, 0x0E9E, 0x0EA1, 0x0EA2, 0x0EA5, 0x0EA7)]
BURMESE = [chr(c) for c in range(0x1000, 0x1021)]
# characters common in Chinese and Japanese brand names
HAN = ("金龙凤华美佳康宝福祥瑞鑫源盛达通泰隆兴旺发利丰德信和安平云天海山江河星月光明日新东南西北"
       "中国家人生活乐心爱品雅致尚尊典艺丽秀香花草茶酒米面油盐糖果鲜味食堂坊记号行庄园林宫阁"
       "楼城市州京沪粤港台王李张刘陈杨黄赵周吴徐孙马朱胡林郭何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田"
       "百千万亿一二三五六七八九十大小上下长久永恒远古今正真诚")
KATAKANA = [chr(c) for c in range(0x30A2, 0x30F3) if chr(c) not in "ァィゥェォッャュョヮヰヱヵヶ"]


def _syllable(r: random.Random) -> str:
    return r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS)


def _pseudo(r: random.Random) -> str:
    word = "".join(_syllable(r) for _ in range(r.choice((1, 2, 2, 3, 3, 4))))
    return (word + r.choice(SUFFIXES)).capitalize()


def _native(r: random.Random, consonants, vowels, lead=None) -> str:
    out = []
    for _ in range(r.randint(2, 5)):
        if lead and r.random() < 0.3:
            out.append(r.choice(lead))
        out.append(r.choice(consonants))
        if vowels and r.random() < 0.7:
            out.append(r.choice(vowels))
    return "".join(out)


def distractor(r: random.Random) -> str:
    """One realistic-looking registered word mark."""
    kind = r.random()
    if kind < 0.35:
        return _pseudo(r)
    if kind < 0.55:
        return f"{r.choice(WORDS).capitalize()} {r.choice([_pseudo(r), r.choice(WORDS)]).title()}"
    if kind < 0.65:
        return (r.choice(WORDS) + r.choice(WORDS)).capitalize()
    if kind < 0.77:
        return f"{r.choice(FIRST).title()} {r.choice(LAST).title()}"
    if kind < 0.83:
        return " ".join(r.choice(VI_SYLLABLES) for _ in range(r.randint(2, 3))).title()
    if kind < 0.90:
        return _native(r, THAI, THAI_VOWELS[:5], THAI_VOWELS[5:9])
    if kind < 0.94:
        return _native(r, KHMER, KHMER_VOWELS)
    if kind < 0.97:
        return _native(r, LAO, ["\u0eb2", "\u0eb4", "\u0eb5", "\u0eb8"])
    return _native(r, BURMESE, ["\u102c", "\u102d", "\u102f", "\u1031"])


def cjk_distractor(r: random.Random) -> str:
    """A mark in Chinese characters, katakana or hangul."""
    kind = r.random()
    if kind < 0.5:
        return "".join(r.choice(HAN) for _ in range(r.randint(2, 4)))
    if kind < 0.8:
        word = "".join(r.choice(KATAKANA) for _ in range(r.randint(2, 5)))
        return word + ("ー" if r.random() < 0.2 else "")
    return "".join(chr(0xAC00 + r.randrange(0, 11172, 28) + r.choice((0, 0, 4, 8, 16, 21)))
                   for _ in range(r.randint(2, 4)))


def load_set(folder: Path):
    marks = list(csv.DictReader((folder / "marks.csv").open(encoding="utf-8")))
    queries = [json.loads(line) for line in (folder / "queries.jsonl").open(encoding="utf-8")]
    answers = {a["id"]: a for a in map(json.loads, (folder / "answers.jsonl").open())}
    return marks, queries, answers


def load_dev(scripts: bool = True, dev: Path = DEV):
    """The shared set, and with `scripts` this project's set of spellings in the region's
    scripts; a query of either set counts a hit on any mark of its brand's owner, in whichever
    script and set.

    That is the shared set's own rule (each of its expected lists holds every mark of one
    owner), kept when this project's set adds the owner's marks in other scripts: without it
    the shared query 'ကိုကာကိုလာ' (Coca-Cola in Burmese) counted a miss when the owner's own
    Burmese registration came first."""
    marks, queries, answers = load_set(dev)
    if not scripts:
        return marks, queries, answers
    more_marks, more_queries, more_answers = load_set(SCRIPTS_DEV)
    by_owner: dict[str, list] = defaultdict(list)
    owner_of = {}
    for m in marks + more_marks:
        by_owner[m["owner"]].append([m["office"], m["number"]])
        owner_of[m["office"], m["number"]] = m["owner"]
    for a in answers.values():
        owners = dict.fromkeys(owner_of[tuple(e)] for e in a["expected"])
        a["expected"] = [e for owner in owners for e in by_owner[owner]]
    for a in more_answers.values():
        a["expected"] = by_owner[f"{a['brand']} Holdings"]
    return marks + more_marks, queries + more_queries, {**answers, **more_answers}


class Owners(dict):
    """Mark id -> owner, as `match_service` reads them for `crowd` (one owner per identical
    text ahead): the development marks' owners; a distractor's owner is its number (with
    `--spread`, one owner registered a distractor text in each of its offices)."""

    def __init__(self, marks):
        super().__init__({(m["office"], m["number"]): holder_key(m["owner"])
                          for m in marks if m["owner"]})

    def get(self, mark_id, default=None):
        found = super().get(mark_id)
        if found is None and isinstance(mark_id, tuple) and mark_id[1][:1] in ("D", "C"):
            return mark_id[1]
        return found if found is not None else default


def owners(marks) -> Owners:
    return Owners(marks)


def script_of(text: str) -> str:
    """The script a query is written in, as `SCRIPTS` names it."""
    for c in text:
        o = ord(c)
        if 0x0E00 <= o <= 0x0E7F:
            return "thai"
        if 0x0E80 <= o <= 0x0EFF:
            return "lao"
        if 0x1780 <= o <= 0x17FF:
            return "khmer"
        if 0x1000 <= o <= 0x109F:
            return "myanmar"
        if 0x3040 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7A3 or 0xF900 <= o <= 0xFAFF:
            return "cjk"
    if any(c in "ăâđêôơưĂÂĐÊÔƠƯ" or 0x1EA0 <= ord(c) <= 0x1EF9 for c in text):
        return "vietnamese"
    return "latin"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def distractor_marks(size: int, cjk: int = 0, spread: float = SPREAD):
    """(ids, texts, classes) of `size` distractor registrations and `cjk` more in Chinese,
    Japanese or Korean; a share `spread` of the texts registered by one owner in 2-4 member
    states (ids (office, "D<text number>"), the same classes), the others in one. With
    `spread` 0 the texts and classes are those of the runs before it (the same draws)."""
    r, offices = random.Random(SEED), random.Random(SEED + 2)
    texts, per_text, rows = [], [], 0
    while rows < size:
        texts.append(distractor(r))
        k = min(offices.choice((2, 3, 4)) if offices.random() < spread else 1, size - rows)
        per_text.append(offices.sample(OFFICES, k) if spread else ["ZZ"])
        rows += k
    classes = [[r.randint(1, 45) for _ in range(r.randint(1, 3))] for _ in range(len(texts))]
    ids, row_texts, row_classes = [], [], []
    for g, (text, cls, where) in enumerate(zip(texts, classes, per_text, strict=True)):
        for office in where:
            ids.append((office, f"D{g}"))
            row_texts.append(text)
            row_classes.append(cls)
    r2 = random.Random(SEED + 1)  # all the texts, then all the classes: as before
    row_texts += [cjk_distractor(r2) for _ in range(cjk)]
    row_classes += [[r2.randint(1, 45)] for _ in range(cjk)]
    ids += [(OFFICES[i % len(OFFICES)] if spread else "ZZ", f"C{i}") for i in range(cjk)]
    return ids, row_texts, row_classes


def all_marks(marks, ids, texts, classes):
    """(id, text, classes, status) of the development marks, then the distractors."""
    for m in marks:
        yield (m["office"], m["number"]), m["mark_text"], m["classes"].split(";"), m["status"]
    for mark_id, text, cls in zip(ids, texts, classes, strict=True):
        yield mark_id, text, cls, "registered"


def build_mapped(marks, ids_, texts, classes, path: str, signature: str):
    """The shared index file (`matching/mapped.py`), built in one process per CPU as the
    build job does, then mapped; mark ids are numbers, translated back for the answers. A
    file kept from an earlier run of the same marks (``--index-file``) is mapped as it is."""
    ids: list = []
    if os.path.exists(path):
        ids = [mark_id for mark_id, *_ in all_marks(marks, ids_, texts, classes)]
        index = MappedIndex(path)
        if index.registry.get("bench") != signature:
            raise SystemExit(f"{path} holds other marks ({index.registry.get('bench')}, not "
                             f"{signature}): delete it")
        index.mark_ids = ids
        return index

    def rows():
        for mark_id, text, cls, status in all_marks(marks, ids_, texts, classes):
            ids.append(mark_id)
            yield (len(ids) - 1, [text] if isinstance(text, str) else text,
                   [int(c) for c in cls if str(c).strip().isdigit()], status, 0)

    build_file(path, rows(), {"snapshot_us": 0, "bench": signature},
               progress=lambda n: n % 1_000_000 or print(f"  indexed {n:,}", file=sys.stderr),
               processes=0)
    index = MappedIndex(path)
    index.mark_ids = ids
    return index


def build(marks, distractors: int, cjk: int = 0, mapped: str | None = None,
          spread: float = SPREAD):
    ids, texts, classes = distractor_marks(distractors, cjk, spread)
    before = rss_mib()
    t0 = time.perf_counter()
    if mapped:
        signature = f"seed {SEED}, {len(marks)} + {distractors} + {cjk}, spread {spread}"
        index = build_mapped(marks, ids, texts, classes, mapped, signature)
        return index, texts, time.perf_counter() - t0, rss_mib() - before
    index = MarkIndex()
    for m in marks:
        index.add((m["office"], m["number"]), m["mark_text"], m["classes"].split(";"),
                  m["status"])
    for i, (mark_id, text, cls) in enumerate(zip(ids, texts, classes, strict=True)):
        index.add(mark_id, text, cls)
        if i and i % 200000 == 0:
            print(f"  indexed {i:,}", file=sys.stderr)
    build_s = time.perf_counter() - t0
    return index, texts, build_s, rss_mib() - before


def rank_of(found, expected):
    return next((i for i, mark_id in enumerate(found) if mark_id in expected), None)


def evaluate(name, queries, answers, search):
    per_kind = defaultdict(lambda: [0, 0, 0])
    per_script = defaultdict(lambda: [0, 0, 0])
    ranks, times, cpu = [], [], []
    for q in queries:
        expected = {tuple(e) for e in answers[q["id"]]["expected"]}
        t0, c0 = time.perf_counter(), time.thread_time()
        found = search(q)
        cpu.append((time.thread_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
        rank = rank_of(found, expected)
        ranks.append(rank)
        for kind in set(answers[q["id"]]["ops"]):
            per_kind[kind][0] += 1
            per_kind[kind][1] += rank == 0
            per_kind[kind][2] += rank is not None
        script = answers[q["id"]].get("script") or script_of(q["text"])
        part = "scripts set" if "script" in answers[q["id"]] else "shared set"
        for key in (script, part):
            per_script[key][0] += 1
            per_script[key][1] += rank == 0
            per_script[key][2] += rank is not None
    n = len(ranks)
    times.sort()
    cpu.sort()
    return {
        "name": name,
        "queries": n,
        "recall_at_1": sum(r == 0 for r in ranks) / n,
        "recall_at_10": sum(r is not None for r in ranks) / n,
        "mrr": sum(1 / (r + 1) for r in ranks if r is not None) / n,
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (n - 1))],
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": cpu[int(0.95 * (n - 1))],
        "kinds": {k: (c, h1 / c, h10 / c) for k, (c, h1, h10) in sorted(per_kind.items())},
        "scripts": {k: (c, h1 / c, h10 / c) for k, (c, h1, h10) in per_script.items()},
    }


def report(result):
    print(f"\n{result['name']}: {result['queries']} queries")
    print(f"  recall@1 {result['recall_at_1']:.3f}  recall@10 {result['recall_at_10']:.3f}  "
          f"MRR {result['mrr']:.3f}  p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms "
          f"(CPU time of the query's thread: p50 {result['cpu_p50_ms']:.1f} ms, "
          f"p95 {result['cpu_p95_ms']:.1f} ms)")
    print(f"  {'kind':<16}{'n':>6}{'r@1':>8}{'r@10':>8}")
    for kind, (n, r1, r10) in sorted(result["kinds"].items(), key=lambda kv: kv[1][2]):
        print(f"  {kind:<16}{n:>6}{r1:>8.3f}{r10:>8.3f}")
    print(f"  {'script':<16}{'n':>6}{'r@1':>8}{'r@10':>8}")
    for script in (*SCRIPTS, "shared set", "scripts set"):
        if script in result["scripts"]:
            n, r1, r10 = result["scripts"][script]
            print(f"  {script:<16}{n:>6}{r1:>8.3f}{r10:>8.3f}")


def baseline(index, queries, answers, size):
    """casefold + anyascii + WRatio over every mark, on a fixed sample of queries."""
    if not size:
        return None
    all_ids = index.mark_ids
    choices = [anyascii(t).casefold() for t in index.texts]
    sample = random.Random(SEED).sample(queries, min(size, len(queries)))
    print(f"baseline: WRatio over all {len(choices):,} marks, {len(sample)} sampled queries",
          file=sys.stderr)
    base = evaluate(
        f"baseline (casefold + anyascii + rapidfuzz WRatio, {len(sample)}-query sample)",
        sample, answers,
        lambda q: [all_ids[i] for _c, _s, i in process.extract(
            anyascii(q["text"]).casefold(), choices, scorer=fuzz.WRatio, limit=10,
            processor=None)])
    report(base)
    return base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 distractors")
    parser.add_argument("--distractors", type=int, help="override the number of distractors")
    parser.add_argument("--dev", type=Path, default=DEV,
                        help="the shared development set (default: ../shared/eval/matching-dev)")
    parser.add_argument("--no-scripts", action="store_true",
                        help="leave out bench/data/scripts-dev and the CJK distractors")
    parser.add_argument("--baseline-queries", type=int, default=BASELINE_QUERIES,
                        help=f"queries for the brute-force baseline (default {BASELINE_QUERIES}; "
                             "0 skips it)")
    parser.add_argument("--spread", type=float, default=SPREAD,
                        help="share of the distractor texts one owner registered in 2-4 member "
                             "states (default 0: one office each, as in every run before)")
    parser.add_argument("--weights", type=json.loads, default={},
                        help='the ranking\'s numbers changed, as JSON: \'{"class_agrees": 3}\'')
    parser.add_argument("--mapped", action="store_true",
                        help="search the shared index file (built and mapped) instead of the "
                             "in-heap index")
    parser.add_argument("--index-file", type=Path,
                        help="with --mapped: build the file here and keep it; map it as it is "
                             "when it exists (the same marks: same size and seed)")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    size = args.distractors or (100_000 if args.quick else 1_000_000)
    marks, queries, answers = load_dev(not args.no_scripts, args.dev)
    cjk = 0 if args.no_scripts else round(size * CJK_SHARE)
    print(f"building the index: {len(marks)} marks + {size:,} + {cjk:,} distractors",
          file=sys.stderr)
    folder = (tempfile.mkdtemp(prefix="anice-quality-")
              if args.mapped and not args.index_file else None)
    mapped = (str(args.index_file) if args.mapped and args.index_file
              else os.path.join(folder, "marks.idx") if folder else None)
    if not 0 <= args.spread <= 1:
        parser.error("--spread: a share between 0 and 1")
    try:
        weights = Weights(**args.weights)
    except TypeError as exc:
        parser.error(f"--weights: {exc}")
    index, distractor_texts, build_s, index_mib = build(marks, size, cjk, mapped, args.spread)
    print(f"index: {len(index):,} marks in {build_s:.1f} s, {index_mib:.0f} MiB", file=sys.stderr)

    matcher = Matcher(index, weights)
    holders = owners(marks)
    ours = evaluate("ANICE matcher", queries, answers,
                    lambda q: [c.mark_id for c in matcher.search(q["text"], q.get("classes"),
                                                                 owners=holders)])
    report(ours)

    load_end = os.getloadavg()[0]
    base = baseline(index, queries, answers, args.baseline_queries)

    figures = {
        "marks": len(index),
        "distractor_spread": args.spread,
        "weights": args.weights,
        "recall_at_1": round(ours["recall_at_1"], 4),
        "recall_at_10": round(ours["recall_at_10"], 4),
        "mrr": round(ours["mrr"], 4),
        "p50_ms": round(ours["p50_ms"], 2),
        "p95_ms": round(ours["p95_ms"], 2),
        "cpu_p50_ms": round(ours["cpu_p50_ms"], 2),
        "cpu_p95_ms": round(ours["cpu_p95_ms"], 2),
        "index_build_s": round(build_s, 1),
        "index_mib": round(index_mib),
        "index_bytes_mib": round(index.memory_bytes() / 2**20) if not mapped else None,
        "index_disk_mib": round(os.path.getsize(mapped) / 2**20, 1) if mapped else None,
        "load_avg_start": round(load_start, 2),
        "load_avg_end": round(load_end, 2),
    }
    if base:
        figures.update(baseline_recall_at_1=round(base["recall_at_1"], 4),
                       baseline_recall_at_10=round(base["recall_at_10"], 4),
                       baseline_p95_ms=round(base["p95_ms"], 1),
                       baseline_queries=base["queries"])
    for kind, (_n, _r1, r10) in ours["kinds"].items():
        figures[f"recall_at_10_{kind}"] = round(r10, 4)
    figures["scripts"] = {}
    for script in SCRIPTS:
        if script in ours["scripts"]:
            n, r1, r10 = ours["scripts"][script]
            figures["scripts"][script] = {"queries": n, "recall_at_1": round(r1, 4),
                                          "recall_at_10": round(r10, 4)}
            figures[f"recall_at_1_{script}"] = round(r1, 4)
            figures[f"recall_at_10_{script}"] = round(r10, 4)
    for part in ("shared", "scripts"):  # each development set on its own
        if f"{part} set" in ours["scripts"]:
            n, r1, r10 = ours["scripts"][f"{part} set"]
            figures.update({f"queries_{part}_set": n, f"recall_at_1_{part}_set": round(r1, 4),
                            f"recall_at_10_{part}_set": round(r10, 4)})
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
