"""Login, invitations, TOTP, sessions and personal API tokens."""
