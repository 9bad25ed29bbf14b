"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_COMMON = frozenset(
    {"password", "password1", "passw0rd", "123456789", "1234567890", "qwertyuiop", "letmein123",
     "welcome123", "floorboard", "administrator", "changeme123", "iloveyou12"}
)

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost


class WeakPassword(ValueError):
    pass


def check_strength(password: str, username: str = "") -> None:
    """Raise WeakPassword saying why `password` may not be used."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"password too short: use at least {MIN_LENGTH} characters")
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise WeakPassword("password must not contain the user name")
    if lowered in _COMMON or len(set(password)) < 4:
        raise WeakPassword("password too easy to guess")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn_verification_time(password: str) -> bool:
    """Spend the time of one verification, so an unknown user name answers as slowly as a known one; False."""
    verify_password(_DUMMY_HASH, password)
    return False


def generate_password() -> str:
    """A random password that passes `check_strength` (for demo users and resets)."""
    return secrets.token_urlsafe(12)


_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
