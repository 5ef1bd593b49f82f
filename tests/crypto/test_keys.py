"""Key-encryption keys: the key file, rotation, retirement, binding of wrapped DEKs."""

from __future__ import annotations

import os
import stat

import pytest

from anice.crypto.keys import (
    FileKeyring,
    KeyFileMissing,
    KeyringBusy,
    KeyringUnavailable,
    Kms,
    KmsKeyring,
    dek_aad,
    new_dek,
)
from anice.crypto.stream import DecryptionError


def test_key_file_created_private(tmp_path):
    path = tmp_path / "keys" / "keyring.json"
    ring = FileKeyring.create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ring.primary_id() in ring.ids()
    again = FileKeyring(path)
    assert again.primary_id() == ring.primary_id()
    with pytest.raises(FileExistsError):
        FileKeyring.create(path)
    assert FileKeyring(path).primary_id() == ring.primary_id()


def test_missing_key_file_is_an_error_never_a_new_key(tmp_path):
    """Finding 13: an absent key mount used to make a fresh KEK silently."""
    path = tmp_path / "keys" / "keyring.json"
    with pytest.raises(KeyFileMissing, match="keys init"):
        FileKeyring(path)
    assert not path.exists() and not path.parent.exists()
    ring = FileKeyring.create(path)
    path.unlink()  # the mount goes away under a running process
    with pytest.raises(KeyFileMissing):
        ring.wrap(new_dek()[1], b"aad")
    assert not path.exists()


def test_readable_key_file_refused(tmp_path):
    path = tmp_path / "keyring.json"
    FileKeyring.create(path)
    os.chmod(path, 0o644)
    with pytest.raises(RuntimeError, match="chmod 600"):
        FileKeyring(path)


def test_wrap_binds_evidence_and_key_id(tmp_path):
    ring = FileKeyring.create(tmp_path / "k.json")
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad("ev-1", dek_id))
    assert dek not in wrapped.blob
    assert ring.unwrap(wrapped, dek_aad("ev-1", dek_id)) == dek
    with pytest.raises(DecryptionError):
        ring.unwrap(wrapped, dek_aad("ev-2", dek_id))


def test_rotation_keeps_old_keys_readable_until_retired(tmp_path):
    ring = FileKeyring.create(tmp_path / "k.json")
    old = ring.primary_id()
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad("e", dek_id))
    new = ring.rotate()
    assert new != old and ring.primary_id() == new and set(ring.ids()) == {old, new}
    assert ring.unwrap(wrapped, dek_aad("e", dek_id)) == dek
    rewrapped = ring.wrap(dek, dek_aad("e", dek_id))
    assert rewrapped.kek_id == new
    with pytest.raises(ValueError):
        ring.retire(new)
    ring.retire(old)
    reloaded = FileKeyring(tmp_path / "k.json")
    assert reloaded.ids() == [new]
    with pytest.raises(DecryptionError):
        reloaded.unwrap(wrapped, dek_aad("e", dek_id))
    assert reloaded.unwrap(rewrapped, dek_aad("e", dek_id)) == dek


def test_concurrent_rotations_never_drop_a_key(tmp_path):
    """Two `keys rotate` at once: read-modify-write of the file would keep only one new KEK.
    The second waits for nothing: it is refused while the first holds the file."""
    path = tmp_path / "k.json"
    first, second = FileKeyring.create(path), FileKeyring(path)
    with first._locked():
        with pytest.raises(KeyringBusy):
            second.rotate()
        with pytest.raises(KeyringBusy):
            second.retire(first.primary_id())
    new = second.rotate()
    assert FileKeyring(path).primary_id() == new and len(FileKeyring(path).ids()) == 2


class RecordingKms(Kms):
    """A KMS double that records calls and encrypts with a local key per key id."""

    def __init__(self, calls=None, primary="kms-key-1"):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        self.calls = [] if calls is None else calls
        self.primary = primary
        self.keys = {}
        self.destroyed = []
        self.down = False
        self._aead = AESGCM

    def _key(self, key_id):
        if self.down:
            raise ConnectionError("kms unreachable")
        return self._aead(self.keys.setdefault(key_id, self._aead.generate_key(bit_length=256)))

    def primary_key_id(self):
        if self.down:
            raise ConnectionError("kms unreachable")
        return self.primary

    def encrypt(self, key_id, plaintext, aad):
        self.calls.append(("encrypt", key_id))
        nonce = os.urandom(12)
        return nonce + self._key(key_id).encrypt(nonce, plaintext, aad)

    def decrypt(self, key_id, blob, aad):
        self.calls.append(("decrypt", key_id))
        return self._key(key_id).decrypt(blob[:12], blob[12:], aad)

    def destroy_key(self, key_id):
        self.destroyed.append(key_id)
        self.keys.pop(key_id, None)


def test_kms_retire_matches_the_key_file():
    kms = RecordingKms()
    ring = KmsKeyring(kms)
    dek_id, dek = new_dek()
    old = ring.wrap(dek, dek_aad("e", dek_id))
    kms.primary = "kms-key-2"
    assert ring.ids() == ["kms-key-1", "kms-key-2"]
    new = ring.wrap(dek, dek_aad("e", dek_id))
    with pytest.raises(ValueError):
        ring.retire("kms-key-2")
    ring.retire("kms-key-1")
    assert kms.destroyed == ["kms-key-1"] and ring.ids() == ["kms-key-2"]
    with pytest.raises(DecryptionError):
        ring.unwrap(old, dek_aad("e", dek_id))
    assert ring.unwrap(new, dek_aad("e", dek_id)) == dek


def test_kms_errors_are_unavailable_not_crashes():
    kms = RecordingKms()
    ring = KmsKeyring(kms)
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad("e", dek_id))
    with pytest.raises(DecryptionError):  # a wrong binding is a decryption failure
        ring.unwrap(wrapped, dek_aad("other", dek_id))
    kms.down = True
    with pytest.raises(KeyringUnavailable, match="KMS"):
        ring.unwrap(wrapped, dek_aad("e", dek_id))
    with pytest.raises(KeyringUnavailable):
        ring.wrap(dek, dek_aad("e", dek_id))


def test_kms_adapter_is_used_for_wrapping():
    calls = []
    ring = KmsKeyring(RecordingKms(calls))
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad("e", dek_id))
    assert wrapped.kek_id == "kms-key-1"
    assert ring.unwrap(wrapped, dek_aad("e", dek_id)) == dek
    assert calls == [("encrypt", "kms-key-1"), ("decrypt", "kms-key-1")]


def test_static_keyring_from_configuration():
    import base64

    from anice.crypto.keys import StaticKeyring

    new, old = os.urandom(32), os.urandom(32)
    ring = StaticKeyring(f"k2:{base64.b64encode(new).decode()}, "
                         f"k1:{base64.b64encode(old).decode()}")
    assert ring.primary_id() == "k2" and ring.ids() == ["k2", "k1"]
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad("e", dek_id))
    assert wrapped.kek_id == "k2" and ring.unwrap(wrapped, dek_aad("e", dek_id)) == dek
    with pytest.raises(RuntimeError, match="ANICE_KEKS"):
        StaticKeyring("k1:not-base64")
    with pytest.raises(RuntimeError, match="ANICE_KEKS"):
        StaticKeyring(f"k1:{base64.b64encode(b'short').decode()}")
