"""The machine's shared matching index: one file mapped by every process, a delta of the
rights changed since its build, atomic switches, and rebuilds of a bad file."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

import workers.rights
from anice.models import Right
from anice.rights import importing, index_store, match_service, shared_matcher
from anice.rights.matching import mapped_build
from anice.rights.matching.index import MarkIndex
from anice.rights.matching.mapped import IndexFileError, MappedIndex, verify
from anice.rights.matching.mapped_build import build_file
from anice.rights.matching.score import Matcher

from .test_match_service import HEADER, ROWS

ROOT = Path(__file__).resolve().parents[2]
MARKS = [(1, ["ADIDAS"], [25, 28], "registered"), (2, ["NIKE"], [25], "registered"),
         (3, ["NIKON"], [9], "registered"), (4, ["ROLEX"], [14], "expired"),
         (5, ["ไทยเบฟ", "Thaibev"], [32], "registered"), (6, ["耐克"], [25], "registered"),
         (7, ["KFC"], [43], "registered"), (8, ["Lacoste"], [25], "registered")]
QUERIES = ["AD1DAS original", "N1KE air max", "nikon camera lens", "ROLEX", "ไทยเบฟ",
           "Thai bev beer", "耐克 shoes", "K.F.C chicken", "Lacost polo shirt", "zzz"]


@pytest.fixture
def registry(db, make, tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    with open(path, "rb") as fh:
        importing.import_csv(db, None, fh)
    db.commit()
    return path


def _csv(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _numbers(db, text: str, **kwargs) -> list[str]:
    return [m.right.number for m in match_service.match(db, text, limit=3, **kwargs)]


def test_mapped_file_proposes_and_ranks_what_the_heap_index_does(tmp_path):
    heap = MarkIndex()
    for mark in MARKS:
        heap.add(*mark)
    path = tmp_path / "marks.idx"
    build_file(str(path), [(*m, 0) for m in MARKS], {"snapshot_us": 0})
    mapped = MappedIndex(str(path))
    assert len(mapped) == len(MARKS) and mapped.texts[4] == "ไทยเบฟ"
    for query in QUERIES:
        for classes in ([], [25]):
            want = Matcher(heap).search(query, classes=classes, include_inactive=True)
            got = Matcher(mapped).search(query, classes=classes, include_inactive=True)
            assert [(c.mark_id, c.score, c.reasons) for c in got] == [
                (c.mark_id, c.score, c.reasons) for c in want], query
    left = Matcher(mapped).search("ADIDAS", exclude=mapped.positions([1]))
    assert 1 not in [c.mark_id for c in left]


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "not an index"])
def test_a_damaged_file_is_refused(tmp_path, damage):
    path = tmp_path / "marks.idx"
    build_file(str(path), [(*m, 0) for m in MARKS], {"snapshot_us": 0})
    raw = bytearray(path.read_bytes())
    if damage == "flipped byte":
        raw[-100] ^= 0xFF
    elif damage == "truncated":
        raw = raw[:-64]
    else:
        raw[:8] = b"NOTANIDX"
    path.write_bytes(bytes(raw))
    with pytest.raises(IndexFileError):
        verify(str(path))


class Worker:
    """A worker process of the same machine: its own app, session and mapping."""

    def __init__(self, config: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.rights.index_worker", json.dumps(config)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})

    def ask(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the worker died"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_two_workers_map_one_file_and_see_each_others_new_rights(app_config, runner, db,
                                                                 registry, tmp_path):
    built = runner.invoke(args=["rights", "build-index"])
    assert built.exit_code == 0, built.output
    current = index_store.current_file()
    assert current is not None and current.exists()
    first, second = Worker(app_config), Worker(app_config)
    try:
        for worker in (first, second):
            answer = worker.ask(match="AD1DAS")
            assert answer["numbers"][0] == "TM1001"
            assert answer["maps"] == [str(current)]
        # A right committed by one worker is matched by the other at its next query,
        # from the delta beside the same file (no rebuild for one right).
        more = _csv(tmp_path, "more.csv",
                    "ID,TM9,trademark,registered,GUCCI,18;25,Gucci,,,2015-01-01,,,")
        assert first.ask(**{"import": str(more)})["ok"]
        answer = second.ask(match="Guccii bag")
        assert answer["numbers"][0] == "TM9" and answer["maps"] == [str(current)]
        assert _numbers(db, "GUCCI")[0] == "TM9"
        assert index_store.current_file() == current
    finally:
        first.close()
        second.close()


def test_a_right_changed_since_the_build_is_matched_as_it_is_now(db, registry, tmp_path):
    index_store.build(db)
    assert _numbers(db, "NIKE")[0] == "TM2002"
    renamed = _csv(tmp_path, "renamed.csv",
                   "TH,TM2002,trademark,registered,ZORBAQ,25,Nike Inc,,ip@nike.example,"
                   "2011-01-01,,,")
    with open(renamed, "rb") as fh:
        importing.import_csv(db, None, fh)
    db.commit()
    assert "TM2002" not in _numbers(db, "NIKE")  # the file's old text is masked
    assert _numbers(db, "ZORBAQ")[0] == "TM2002"
    assert shared_matcher.shared.base is not None  # still the same file, with a delta


def test_an_index_switch_during_matching_loses_no_query(app, db, registry):
    index_store.build(db)
    answers, errors, done = [], [], threading.Event()

    def keep_matching() -> None:
        from anice import db as anice_db

        with app.app_context():
            while not done.is_set():
                try:
                    with anice_db.separate_session() as session:
                        answers.append(_numbers(session, "AD1DAS")[:1])
                except Exception as exc:  # noqa: BLE001 - the test reports it
                    errors.append(exc)

    thread = threading.Thread(target=keep_matching)
    thread.start()
    try:
        files = {index_store.build(db) for _ in range(4)}
    finally:
        done.set()
        thread.join(60)
    assert not errors and answers and all(a == ["TM1001"] for a in answers)
    assert len(files) == 4 and index_store.current_file() in files
    _numbers(db, "AD1DAS")
    assert shared_matcher.shared.base.path == str(index_store.current_file())
    # the current file and the one before it stay; older ones are removed
    assert len(list(index_store.index_dir().glob("marks-*.idx"))) == index_store.KEEP


@pytest.mark.parametrize("damage", ["corrupt", "truncated"])
def test_a_bad_file_is_rebuilt_while_matches_still_answer(db, registry, caplog, damage):
    path = index_store.build(db)
    shared_matcher.shared.reset()  # a worker starting now
    raw = bytearray(path.read_bytes())
    if damage == "corrupt":
        raw[len(raw) // 2] ^= 0xFF
    else:
        raw = raw[:len(raw) - 1000]
    path.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, logger="anice.rights"):
        assert _numbers(db, "AD1DAS")[0] == "TM1001"  # from the delta and the database
    assert any("rights index unavailable" in r.getMessage() for r in caplog.records)
    assert any("discarded" in r.getMessage() for r in caplog.records)
    shared_matcher.shared.wait_for_build()
    rebuilt = index_store.current_file()
    assert rebuilt is not None and rebuilt != path and verify(str(rebuilt))
    assert _numbers(db, "AD1DAS")[0] == "TM1001"
    assert shared_matcher.shared.base is not None
    assert shared_matcher.shared.base.path == str(rebuilt)


@pytest.fixture
def small_delta(app_config):
    app_config["RIGHTS_INDEX_DELTA_MAX"] = 2
    return app_config


def test_an_import_past_the_delta_builds_a_new_file(small_delta, db, registry, tmp_path):
    # The import's after-commit job found no file for more rights than the delta holds.
    first = index_store.current_file()
    assert first is not None
    assert MappedIndex(str(first)).header["marks"] == len(ROWS)
    small = _csv(tmp_path, "one.csv",
                 "ID,TM9,trademark,registered,GUCCI,18;25,Gucci,,,2015-01-01,,,")
    with open(small, "rb") as fh:
        importing.import_csv(db, None, fh)
    db.commit()
    assert index_store.current_file() == first  # one right: the delta holds it
    big = _csv(tmp_path, "three.csv",
               *(f"ID,TM1{n},trademark,registered,BRAND{n}X,25,Owner,,,2015-01-01,,,"
                 for n in range(3)))
    with open(big, "rb") as fh:
        importing.import_csv(db, None, fh)
    db.commit()
    assert index_store.current_file() != first
    assert _numbers(db, "BRAND1X")[0] == "TM11"


def test_without_a_file_a_large_registry_is_matched_from_the_database(small_delta, db,
                                                                      registry, caplog):
    index_store.current_file().unlink()
    index_store.pointer_path().unlink()
    shared_matcher.shared.reset()
    with caplog.at_level(logging.WARNING, logger="anice.rights"):
        assert _numbers(db, "ADIDAS")[0] == "TM1001"  # exact word element, from the database
    assert any("no index file for 4 rights" in r.getMessage() for r in caplog.records)
    shared_matcher.shared.wait_for_build()
    assert index_store.current_file() is not None


def test_a_build_in_several_processes_writes_the_same_file(app, db, registry, monkeypatch):
    monkeypatch.setattr(mapped_build, "CHUNK", 2)  # four rights: two chunks
    monkeypatch.setitem(app.config, "RIGHTS_INDEX_BUILD_PROCESSES", 1)
    alone = MappedIndex(str(index_store.build(db))).header
    monkeypatch.setitem(app.config, "RIGHTS_INDEX_BUILD_PROCESSES", 2)
    shared = MappedIndex(str(index_store.build(db))).header
    assert shared["marks"] == alone["marks"] == len(ROWS)
    assert shared["sha256"] == alone["sha256"]  # the same bytes after the header
    assert _numbers(db, "AD1DAS")[0] == "TM1001"


def test_the_rebuild_job_does_nothing_once_another_file_is_current(db, registry):
    first = index_store.build(db)
    assert workers.rights.build_index("marks-old.idx") == f"{first.name} is current"
    assert index_store.current_file() == first
    rebuilt = workers.rights.build_index(first.name)  # the current file was found wanting
    assert rebuilt and index_store.current_file() != first


def test_a_change_committed_after_the_build_but_written_before_it_is_caught(db, registry,
                                                                          tmp_path):
    """A long transaction: its rows carry times before the file's snapshot, its commit
    comes after the build. The job its commit queues finds them and rebuilds."""
    first = index_store.build(db)
    late = _csv(tmp_path, "late.csv",  # NIKE renamed (a new right's id is always read)
                "TH,TM2002,trademark,registered,QWERTZUI,25,Nike Inc,,ip@nike.example,"
                "2011-01-01,,,")
    with open(late, "rb") as fh:
        importing.import_csv(db, None, fh)
    began = MappedIndex(str(first)).registry["snapshot_us"] - 60 * 10**6
    db.execute(update(Right).where(Right.number == "TM2002")
               .values(updated_at=datetime.fromtimestamp(began / 1e6, UTC)))
    db.commit()
    assert "TM2002" not in _numbers(db, "QWERTZUI")  # neither in the file nor in the window
    assert shared_matcher.stale_reason(db) is None
    assert "long transaction" in shared_matcher.stale_reason(db, began)
    workers.rights.refresh_index(began)
    assert index_store.current_file() != first
    assert _numbers(db, "QWERTZUI")[0] == "TM2002"


def test_a_serving_process_keeps_its_text_caches_small(db, registry, monkeypatch):
    from anice.rights.matching import caches
    from anice.text import brand

    monkeypatch.setattr(caches, "SERVING_ENTRIES", 40)
    index_store.build(db)
    shared_matcher.shared.reset()
    expected = _numbers(db, "N1KE air max")
    for n in range(60):  # a worker scoring many candidates fills the caches
        brand.skeleton(f"mark{n}")
    assert brand.skeleton.cache_info().currsize > 40
    assert _numbers(db, "N1KE air max") == expected  # the match itself is unchanged
    assert brand.skeleton.cache_info().currsize <= 40
    assert all(c.cache_info().currsize <= 40 for c in caches.CACHES)
