"""Evidence encryption: the streaming envelope format and the key-encryption keys."""
