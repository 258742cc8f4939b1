"""One-time form tokens: each rendered form can be carried out once.

A form rendered with ``{% form_once %}`` carries a fresh random token, signed
with the page it was rendered on and the time. The view that receives it
(``decorators.form_once``) spends the token in the same transaction as the
action, by inserting it in a table where it is the primary key. The database
rather than the cache, because the token must be spent if and only if the
action was committed: a second submission waits for the first on the unique
index and then finds the token spent; a first submission that failed leaves
it unspent. A cache entry would be spent before the action and could be
evicted, and only Redis shares it between processes.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from alphasierra.once.models import SpentFormToken

FIELD = "envoi_unique"
# Spent tokens are kept this long; older tokens are refused rather than
# carried out, so that the purge cannot let a repeated submission through.
TOKEN_MAX_AGE = timedelta(days=30)
_SALT = "alphasierra.once.form-token"


class FormTokenExpiredError(Exception):
    def __init__(self, page: str) -> None:
        super().__init__(page)
        self.page = page


@dataclass(frozen=True)
class FormToken:
    key: str
    # The page the form was rendered on, where a refused submission goes back to.
    page: str


def form_token_new(*, page: str) -> str:
    """The value of the hidden field of a form rendered on ``page``."""
    return signing.dumps({"k": secrets.token_urlsafe(16), "p": page}, salt=_SALT)


def form_token_read(value: str) -> FormToken:
    """Raises ``signing.BadSignature`` for a value the portal did not issue,
    ``FormTokenExpiredError`` for one older than ``TOKEN_MAX_AGE``."""
    data = signing.loads(value, salt=_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("k"), str) or not isinstance(data.get("p"), str):
        raise signing.BadSignature("Malformed form token.")
    token = FormToken(key=data["k"], page=data["p"] if data["p"].startswith("/") else "/")
    try:
        signing.loads(value, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise FormTokenExpiredError(token.page) from None
    return token


def form_token_spend(*, key: str) -> bool:
    """Spend a token; False if it was already spent.

    Meant to run inside the transaction of the action it guards: on
    PostgreSQL a concurrent spend of the same token waits for that
    transaction, on SQLite for its write lock. No audit event: the action
    itself is audited, this only keeps it from being done twice.
    """
    try:
        # The insert is the check: a read first would let two requests through.
        with transaction.atomic():
            SpentFormToken.objects.create(token=key)
    except IntegrityError:
        return False
    return True


def form_token_settle(*, key: str, location: str | None) -> None:
    """After the guarded view: a submission that led on (a redirect) keeps
    its token spent and remembers where it led; one whose form came back to
    the person (errors, a row added) did nothing, and gives the token back."""
    if location is None:
        SpentFormToken.objects.filter(token=key).delete()
    else:
        SpentFormToken.objects.filter(token=key).update(location=location[:2000])


def form_token_purge(*, now: datetime | None = None) -> int:
    """Delete spent tokens older than ``TOKEN_MAX_AGE`` (they are refused anyway)."""
    now = now or timezone.now()
    deleted, _ = SpentFormToken.objects.filter(spent_at__lt=now - TOKEN_MAX_AGE).delete()
    return deleted
