"""The streaming envelope: round trips and every tampering the issue lists."""

from __future__ import annotations

import io
import os

import pytest

from anice.crypto.stream import (
    TAG,
    DecryptionError,
    Header,
    SealingWriter,
    open_stream,
    read_header,
    seal_stream,
    sealed_size,
)

SEG = 1024  # small segments so the tests cut many of them


def seal(data: bytes, evidence: str = "ev-1", seg: int = SEG) -> tuple[bytes, bytes, Header]:
    dek = os.urandom(32)
    header = Header.new(evidence, "dek-1", seg=seg)
    out = bytearray()
    seal_stream(io.BytesIO(data), out.extend, dek, header, chunk=333)
    return bytes(out), dek, header


def unseal(blob: bytes, dek: bytes, evidence: str = "ev-1") -> bytes:
    return b"".join(open_stream(io.BytesIO(blob), dek, evidence))


def split(blob: bytes) -> tuple[bytes, list[bytes]]:
    _, header_bytes = read_header(io.BytesIO(blob))
    body = blob[len(header_bytes):]
    size = SEG + TAG
    return header_bytes, [body[i:i + size] for i in range(0, len(body), size)]


@pytest.mark.parametrize("size", [0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 5 * SEG + 17])
def test_round_trip(size):
    data = os.urandom(size)
    blob, dek, _ = seal(data)
    assert unseal(blob, dek) == data
    assert len(data) < 16 or data[:64] not in blob  # no plaintext in the ciphertext


def test_writer_holds_at_most_a_segment():
    out: list[bytes] = []
    writer = SealingWriter(os.urandom(32), Header.new("e", "d", seg=SEG), out.append)
    for _ in range(50):
        writer.write(os.urandom(700))
        assert len(writer._buffer) <= SEG  # never more than one segment pending
    writer.close()
    assert writer.plaintext_size == 35_000
    assert len(out) == 1 + 35  # header + ceil(35000 / 1024) segments


def tampered(blob: bytes, how: str) -> bytes:
    header, segments = split(blob)
    if how == "reorder":
        segments[0], segments[1] = segments[1], segments[0]
    elif how == "drop":
        del segments[1]
    elif how == "duplicate":
        segments.insert(1, segments[1])
    elif how == "truncate_at_boundary":
        segments = segments[:-1]
    elif how == "truncate_mid_segment":
        segments[-1] = segments[-1][: len(segments[-1]) // 2]
    elif how == "drop_last":
        segments = segments[:2]
    elif how == "flip_bit":
        middle = bytearray(segments[1])
        middle[5] ^= 1
        segments[1] = bytes(middle)
    elif how == "append_garbage":
        segments.append(os.urandom(100))
    return header + b"".join(segments)


@pytest.mark.parametrize("how", ["reorder", "drop", "duplicate", "truncate_at_boundary",
                                 "truncate_mid_segment", "drop_last", "flip_bit",
                                 "append_garbage"])
def test_tampering_fails(how):
    blob, dek, _ = seal(os.urandom(4 * SEG + 100))
    with pytest.raises(DecryptionError):
        unseal(tampered(blob, how), dek)


def test_moved_to_another_evidence_id_fails():
    blob, dek, _ = seal(os.urandom(3000), evidence="ev-1")
    with pytest.raises(DecryptionError):
        unseal(blob, dek, evidence="ev-2")
    # Even with the header rewritten to name the other id, the AAD no longer matches.
    header, segments = split(blob)
    forged = header.replace(b'"evidence":"ev-1"', b'"evidence":"ev-2"')
    with pytest.raises(DecryptionError):
        unseal(forged + b"".join(segments), dek, evidence="ev-2")


def test_wrong_key_and_garbage_fail():
    blob, _, _ = seal(os.urandom(3000))
    with pytest.raises(DecryptionError):
        unseal(blob, os.urandom(32))
    with pytest.raises(DecryptionError):
        unseal(b"not an evidence object at all", os.urandom(32))
    with pytest.raises(DecryptionError):
        unseal(b"", os.urandom(32))


def test_segments_of_two_files_do_not_mix():
    data = os.urandom(3 * SEG)
    first, dek, _ = seal(data)
    header_a, segs_a = split(first)
    # Same key, same evidence id, a second sealing: the random prefix differs.
    second = bytearray()
    seal_stream(io.BytesIO(data), second.extend, dek, Header.new("ev-1", "dek-1", seg=SEG))
    _, segs_b = split(bytes(second))
    with pytest.raises(DecryptionError):
        unseal(header_a + segs_a[0] + segs_b[1] + segs_a[2], dek)


@pytest.mark.parametrize("how", ["truncate_at_boundary", "drop_last", "append_garbage"])
def test_a_cut_object_is_refused_before_the_first_segment(how):
    """With the stored and plaintext sizes, a cut at a segment boundary (every remaining
    segment valid) fails before anything is yielded, not after a valid prefix."""
    data = os.urandom(4 * SEG + 100)
    blob, dek, _ = seal(data)
    assert len(blob) == sealed_size(len(split(blob)[0]), len(data), SEG)
    cut = tampered(blob, how)
    segments = open_stream(io.BytesIO(cut), dek, "ev-1", object_size=len(cut),
                           plaintext_size=len(data))
    with pytest.raises(DecryptionError, match="expected"):
        next(segments)
    whole = open_stream(io.BytesIO(blob), dek, "ev-1", object_size=len(blob),
                        plaintext_size=len(data))
    assert b"".join(whole) == data


@pytest.mark.parametrize("size", [0, 1, SEG, SEG + 1, 3 * SEG])
def test_sealed_size_is_exact(size):
    blob, _, _ = seal(os.urandom(size))
    assert len(blob) == sealed_size(len(split(blob)[0]), size, SEG)
