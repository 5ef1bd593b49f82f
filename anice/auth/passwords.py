"""argon2id password hashing and the strength rule."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext
from zxcvbn import zxcvbn

from ..errors import Invalid
from ..text.locales import N_

# Verified when the e-mail is unknown, so that a login takes as long either way.
_DUMMY_HASH: dict[tuple, str] = {}


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> tuple[bool, bool]:
    """Return (matches, needs_rehash); a missing hash is checked against a dummy one."""
    ph = hasher()
    if stored is None:
        key = (ph.time_cost, ph.memory_cost, ph.parallelism)
        stored = _DUMMY_HASH.setdefault(key, ph.hash("not-a-password-0000"))
        try:
            ph.verify(stored, password)
        except (VerificationError, InvalidHashError):
            pass
        return False, False
    try:
        ph.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, ph.check_needs_rehash(stored)


def check_strength(password: str, user_inputs: list[str]) -> None:
    """Raise Invalid('password', ...) when the password is short, weak or common."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise Invalid("password", gettext("must be at least %(num)s characters long",
                                              num=minimum))
    if len(password) > 256:
        raise Invalid("password", gettext("must be at most 256 characters long"))
    result = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if result["score"] < current_app.config["PASSWORD_MIN_SCORE"]:
        hint = result["feedback"].get("warning") or N_("it is too easy to guess")
        raise Invalid("password", gettext("is too weak: %(hint)s. Use a longer passphrase.",
                                              hint=gettext(hint.rstrip("."))))
