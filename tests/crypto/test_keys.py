"""Key-encryption keys: the key file, rotation, retirement, binding of wrapped DEKs."""

from __future__ import annotations

import os
import stat

import pytest

from anice.crypto.keys import FileKeyring, Kms, KmsKeyring, dek_aad, new_dek
from anice.crypto.stream import DecryptionError


def test_key_file_created_private(tmp_path):
    path = tmp_path / "keys" / "keyring.json"
    ring = FileKeyring(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ring.primary_id() in ring.ids()
    again = FileKeyring(path)
    assert again.primary_id() == ring.primary_id()


def test_readable_key_file_refused(tmp_path):
    path = tmp_path / "keyring.json"
    FileKeyring(path)
    os.chmod(path, 0o644)
    with pytest.raises(RuntimeError, match="chmod 600"):
        FileKeyring(path)


def test_wrap_binds_evidence_and_key_id(tmp_path):
    ring = FileKeyring(tmp_path / "k.json")
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad("ev-1", dek_id))
    assert dek not in wrapped.blob
    assert ring.unwrap(wrapped, dek_aad("ev-1", dek_id)) == dek
    with pytest.raises(DecryptionError):
        ring.unwrap(wrapped, dek_aad("ev-2", dek_id))


def test_rotation_keeps_old_keys_readable_until_retired(tmp_path):
    ring = FileKeyring(tmp_path / "k.json")
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


def test_kms_adapter_is_used_for_wrapping():
    calls = []

    class RecordingKms(Kms):
        """A KMS double that records calls and encrypts with a local key."""

        def __init__(self):
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            self.aead = AESGCM(AESGCM.generate_key(bit_length=256))

        def primary_key_id(self):
            return "kms-key-1"

        def encrypt(self, key_id, plaintext, aad):
            calls.append(("encrypt", key_id))
            nonce = os.urandom(12)
            return nonce + self.aead.encrypt(nonce, plaintext, aad)

        def decrypt(self, key_id, blob, aad):
            calls.append(("decrypt", key_id))
            return self.aead.decrypt(blob[:12], blob[12:], aad)

    ring = KmsKeyring(RecordingKms())
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
