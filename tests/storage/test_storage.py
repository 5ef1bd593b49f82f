"""Evidence storage: the same behaviour on local files and on S3, then each backend's own."""

from __future__ import annotations

import hashlib
import os
import random
import resource
import stat
from datetime import UTC, datetime, timedelta

import pytest

from anice.storage import LocalStorage, storage_from_config

from .conftest import SMALL_PART, MiB

KEY = "ev/ab/abcdef0123456789"


def put(storage, key: str, data: bytes) -> int:
    writer = storage.writer(key)
    writer.write(data)
    return writer.commit()


def read_all(storage, key: str) -> bytes:
    with storage.open(key) as fh:
        return fh.read()


def test_many_small_writes_read_back_incrementally(storage):
    rng = random.Random(1)
    expected = bytearray()
    writer = storage.writer(KEY)
    # More than two parts on S3, in writes of 0 bytes to 64 KiB.
    while len(expected) < 2 * SMALL_PART + 12345:
        chunk = rng.randbytes(rng.choice([0, 1, 7, 4096, rng.randint(0, 64 * 1024)]))
        writer.write(chunk)
        expected += chunk
    assert not storage.exists(KEY)
    assert writer.commit() == len(expected)

    assert storage.exists(KEY)
    assert storage.size(KEY) == len(expected)
    got = bytearray()
    with storage.open(KEY) as fh:
        while chunk := fh.read(100_003):
            assert len(chunk) <= 100_003
            got += chunk
        assert fh.read(10) == b""
    assert got == expected


@pytest.mark.parametrize("size", [0, 1, 1000, SMALL_PART, SMALL_PART + 1])
def test_sizes_around_the_part_boundary(storage, pending_parts, size):
    data = random.Random(size).randbytes(size)
    assert put(storage, KEY, data) == size
    assert storage.size(KEY) == size
    assert read_all(storage, KEY) == data
    assert pending_parts() == []


def test_one_large_write_is_split(storage):
    data = random.Random(3).randbytes(2 * SMALL_PART + 5)
    assert put(storage, KEY, memoryview(data)) == len(data)
    assert read_all(storage, KEY) == data


@pytest.mark.parametrize("size", [0, 1000, SMALL_PART + 1000])
def test_abort_leaves_nothing(storage, pending_parts, size):
    writer = storage.writer(KEY)
    writer.write(b"x" * size)
    if size > SMALL_PART:
        assert pending_parts() != []  # a part file, or an open multipart upload
    writer.abort()

    assert not storage.exists(KEY)
    assert list(storage.keys()) == []
    assert pending_parts() == []
    with pytest.raises(FileNotFoundError):
        storage.open(KEY)
    writer.abort()  # twice is harmless
    with pytest.raises(ValueError):
        writer.write(b"more")
    with pytest.raises(ValueError):
        writer.commit()


def test_writer_is_closed_after_commit(storage):
    writer = storage.writer(KEY)
    writer.write(b"sealed")
    writer.commit()
    with pytest.raises(ValueError):
        writer.write(b"more")
    with pytest.raises(ValueError):
        writer.commit()
    writer.abort()  # too late to abort: the object stays
    assert read_all(storage, KEY) == b"sealed"


def test_writer_refuses_an_existing_key(storage):
    put(storage, KEY, b"first")
    with pytest.raises(FileExistsError):
        storage.writer(KEY)
    assert read_all(storage, KEY) == b"first"


@pytest.mark.parametrize("size", [10, SMALL_PART + 10])
def test_second_commit_to_the_same_key_fails(storage, pending_parts, size):
    first, second = storage.writer(KEY), storage.writer(KEY)
    first.write(b"a" * size)
    second.write(b"b" * size)
    first.commit()
    with pytest.raises(FileExistsError):
        second.commit()
    assert read_all(storage, KEY) == b"a" * size
    assert pending_parts() == []


def test_missing_objects(storage):
    assert not storage.exists(KEY)
    with pytest.raises(FileNotFoundError):
        storage.open(KEY)
    with pytest.raises(FileNotFoundError):
        storage.size(KEY)


def test_delete_is_idempotent(storage):
    storage.delete(KEY)
    put(storage, KEY, b"data")
    storage.delete(KEY)
    storage.delete(KEY)
    assert not storage.exists(KEY)
    assert list(storage.keys()) == []
    put(storage, KEY, b"again")  # the key is free once more
    assert read_all(storage, KEY) == b"again"


BAD_KEYS = ["", "../x", "/abs", "a/../../b", "ev/..", "EV/ab/cd", "ev/AB", "ev//x", "ev/x/",
            "ev/./x", ".hidden", "-x", "a\\b", "a b", "a\x00b", "é", "ev/x.part-1234",
            "a" * 202, None, b"ev/x"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused(storage, key):
    for operation in (storage.writer, storage.open, storage.size, storage.exists,
                      storage.delete):
        with pytest.raises(ValueError):
            operation(key)


@pytest.mark.parametrize("prefix", ["../", "/", "EV", "ev//", "a/../"])
def test_bad_prefixes_are_refused(storage, prefix):
    with pytest.raises(ValueError):
        list(storage.keys(prefix))


def test_keys_lists_committed_objects_only(storage, pending_parts):
    for key in ("ev/aa/1", "ev/ab/2", "other/3"):
        put(storage, key, b"x")
    unfinished = storage.writer("ev/ac/4")
    unfinished.write(b"y" * (SMALL_PART + 1))
    assert pending_parts() != []

    listed = dict(storage.keys())
    assert set(listed) == {"ev/aa/1", "ev/ab/2", "other/3"}
    now = datetime.now(UTC)
    for modified in listed.values():
        assert modified.tzinfo is not None and modified.utcoffset() == timedelta(0)
        assert now - timedelta(minutes=5) < modified < now + timedelta(minutes=5)
    assert {key for key, _ in storage.keys("ev/")} == {"ev/aa/1", "ev/ab/2"}
    assert {key for key, _ in storage.keys("ev/a")} == {"ev/aa/1", "ev/ab/2"}
    assert [key for key, _ in storage.keys("ev/ab")] == ["ev/ab/2"]
    assert list(storage.keys("none/")) == []
    unfinished.abort()


def test_local_permissions_and_part_files(tmp_path):
    storage = LocalStorage(tmp_path / "evidence")
    writer = storage.writer(KEY)
    writer.write(b"ciphertext")
    (part,) = (tmp_path / "evidence/ev/ab").iterdir()
    assert part.name.startswith("abcdef0123456789.part-")
    assert stat.S_IMODE(part.stat().st_mode) == 0o600
    writer.commit()

    path = tmp_path / "evidence" / KEY
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (storage.root, storage.root / "ev", storage.root / "ev/ab"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert path.read_bytes() == b"ciphertext"


def test_local_directory_is_not_an_object(tmp_path):
    storage = LocalStorage(tmp_path)
    put(storage, KEY, b"x")
    assert not storage.exists("ev/ab")
    with pytest.raises(FileNotFoundError):
        storage.open("ev/ab")
    with pytest.raises(FileNotFoundError):
        storage.size("ev")


def test_s3_prefix_is_kept_out_of_keys(make_s3):
    storage = make_s3(prefix="/tenant-1/")
    put(storage, KEY, b"x")
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    assert [item["Key"] for item in listing["Contents"]] == [f"tenant-1/{KEY}"]
    # Objects ANICE could not have written are never offered to the cleanup job.
    storage.client.put_object(Bucket=storage.bucket, Key="tenant-1/README.TXT", Body=b"")
    storage.client.put_object(Bucket=storage.bucket, Key="elsewhere/x", Body=b"")
    assert [key for key, _ in storage.keys()] == [KEY]


def test_s3_keys_paginates(make_s3):
    storage = make_s3()
    names = {f"ev/{i:04d}" for i in range(1005)}  # list_objects_v2 pages hold 1000
    for name in names:
        storage.client.put_object(Bucket=storage.bucket, Key=name, Body=b"")
    assert {key for key, _ in storage.keys()} == names


@pytest.mark.parametrize("part_size", [5 * MiB - 1, 5 * 1024 * MiB + 1])
def test_s3_part_size_bounds(make_s3, part_size):
    with pytest.raises(ValueError):
        make_s3(part_size=part_size)


def test_storage_from_config_local(tmp_path):
    storage = storage_from_config({"DATA_DIR": str(tmp_path)})
    assert storage.name == "local" and storage.root == tmp_path / "evidence"
    storage = storage_from_config({"DATA_DIR": str(tmp_path), "EVIDENCE_STORAGE": "local",
                                   "EVIDENCE_DIR": str(tmp_path / "elsewhere")})
    assert storage.root == tmp_path / "elsewhere"


def test_storage_from_config_s3(s3_endpoint):
    storage = storage_from_config({
        "EVIDENCE_STORAGE": "s3", "S3_BUCKET": "anice-from-config",
        "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing",
        "S3_PREFIX": "evidence", "S3_PART_SIZE": 6 * MiB})
    assert (storage.name, storage.prefix, storage.part_size) == ("s3", "evidence/", 6 * MiB)
    storage.client.create_bucket(Bucket="anice-from-config")
    put(storage, KEY, b"x")
    assert read_all(storage, KEY) == b"x"


def test_storage_from_config_refuses_s3_without_bucket_and_unknown_kinds():
    with pytest.raises(RuntimeError, match="ANICE_S3_BUCKET"):
        storage_from_config({"EVIDENCE_STORAGE": "s3", "S3_BUCKET": None})
    with pytest.raises(RuntimeError, match="ANICE_EVIDENCE_STORAGE"):
        storage_from_config({"EVIDENCE_STORAGE": "ftp"})


def test_settings_from_environment(monkeypatch):
    from anice import config

    monkeypatch.setenv("ANICE_EVIDENCE_STORAGE", "s3")
    monkeypatch.delenv("ANICE_S3_BUCKET", raising=False)
    with pytest.raises(RuntimeError, match="ANICE_S3_BUCKET"):
        config.from_environment()
    for name, value in {"ANICE_S3_BUCKET": "evidence", "ANICE_S3_ENDPOINT_URL": "http://s3",
                        "ANICE_S3_ACCESS_KEY_ID": "id", "ANICE_S3_SECRET_ACCESS_KEY": "secret",
                        "ANICE_S3_PREFIX": "p/", "ANICE_EVIDENCE_DIR": "/srv/evidence"}.items():
        monkeypatch.setenv(name, value)
    settings = config.from_environment()
    assert settings["EVIDENCE_STORAGE"] == "s3"
    assert (settings["S3_BUCKET"], settings["S3_ENDPOINT_URL"], settings["S3_REGION"]) == (
        "evidence", "http://s3", "us-east-1")
    assert (settings["S3_ACCESS_KEY_ID"], settings["S3_SECRET_ACCESS_KEY"]) == ("id", "secret")
    assert (settings["S3_PREFIX"], settings["EVIDENCE_DIR"]) == ("p/", "/srv/evidence")
    assert settings["S3_PART_SIZE"] == 8 * MiB

    monkeypatch.delenv("ANICE_EVIDENCE_STORAGE")
    monkeypatch.delenv("ANICE_EVIDENCE_DIR")
    settings = config.from_environment()
    assert settings["EVIDENCE_STORAGE"] == "local"
    assert settings["EVIDENCE_DIR"] == os.path.join(settings["DATA_DIR"], "evidence")


def _rss() -> int:
    """Resident memory now, in bytes (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


@pytest.mark.xdist_group("s3big")
def test_s3_200_mib_upload_streams_in_bounded_memory(make_s3):
    storage = make_s3(part_size=8 * MiB)
    key = "ev/bi/" + "f" * 64
    rng = random.Random(200)
    written = hashlib.sha256()
    peak_before, rss_before = _peak_rss(), _rss()
    rss_high = rss_before

    writer = storage.writer(key)
    for _ in range(200):
        chunk = rng.randbytes(MiB)
        written.update(chunk)
        writer.write(chunk)
        rss_high = max(rss_high, _rss())
    assert writer.commit() == 200 * MiB

    head = storage.client.head_object(Bucket=storage.bucket, Key=key)
    assert head["ETag"].strip('"').endswith("-25")  # 25 parts of 8 MiB
    assert storage.size(key) == 200 * MiB
    read = hashlib.sha256()
    with storage.open(key) as fh:
        while chunk := fh.read(MiB):
            read.update(chunk)
            rss_high = max(rss_high, _rss())
    assert read.hexdigest() == written.hexdigest()

    # ru_maxrss is only a high-water mark; the sampled RSS is the sharper measure.
    assert _peak_rss() - peak_before < 64 * MiB
    assert rss_high - rss_before < 64 * MiB
    storage.delete(key)


def test_sweep_unfinished_removes_dead_writers_only(storage):
    from datetime import UTC, datetime, timedelta

    dead = storage.writer("ev/aa/dead-writer")
    dead.write(b"x" * (6 * 1024 * 1024))  # past one S3 part: a multipart upload is open
    done = storage.writer("ev/aa/finished")
    done.write(b"y" * 100)
    done.commit()
    if storage.name == "local":  # moto reports every upload as initiated in 2010
        assert storage.sweep_unfinished(datetime.now(UTC) - timedelta(hours=1)) == 0
    assert storage.sweep_unfinished(datetime.now(UTC) + timedelta(seconds=5)) == 1
    assert [k for k, _ in storage.keys()] == ["ev/aa/finished"]
    dead.abort()  # the writer's own abort after the sweep is harmless
