"""Helpers shared by the tests (kept out of conftest so that tests can import them)."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from alphasierra.accounts.models import User


def with_second_factor(user: User) -> str:
    """Activate TOTP for a user, as staff must; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
