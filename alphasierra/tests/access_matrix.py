"""The expected answer of every URL of the portal to every persona.

Objects of organisation A belong to CLAS Sud-Ouest (Alice, Paul, Bruno) or to
the association ARAMIS (David); objects of B to CLAS Nord (Karim, Chloé) or to
UNASACEM. Each route is tried on A, on B, and on A's site with B's object
(``AxB``): another organisation's object is always a 404.

Answers: ``ok`` (200, or for an action its redirect or form error), ``login``
(redirect to the login page), ``403``, ``404``, ``405``, ``redirect`` (another
redirect, to the right place).
"""

from collections.abc import Mapping
from dataclasses import dataclass

PERSONAS = ("anonymous", "paul", "alice", "karim", "bruno", "chloe", "david", "nadia")


@dataclass(frozen=True)
class Route:
    method: str
    # persona → answer, one per variant (a single answer applies to all)
    expected: Mapping[str, str | tuple[str, ...]]
    variants: tuple[str, ...] = ("A",)
    # The objects of A and of B the route's "pk" (or "slug") names, by key of
    # the fixture's objects; and whether its sites are CLAS or associations.
    objects: tuple[str, str] = ("", "")
    sites: str = "clas"


def everyone(answer: str) -> dict[str, str | tuple[str, ...]]:
    return dict.fromkeys(PERSONAS, answer)


def logged_in(answer: str, anonymous: str = "login") -> dict[str, str | tuple[str, ...]]:
    return {**dict.fromkeys(PERSONAS, answer), "anonymous": anonymous}


def clas_staff(*, csr_may: bool = True) -> dict[str, str | tuple[str, ...]]:
    """A CLAS back-office page: its site managers (and CSR) only."""
    return {
        "anonymous": "login",
        "paul": "403",
        "alice": "403",
        "karim": "403",
        "bruno": ("ok", "404", "404"),
        "chloe": ("404", "ok" if csr_may else "403", "404"),
        "david": "404",
        "nadia": "404",
    }


def association_staff() -> dict[str, str | tuple[str, ...]]:
    return {
        "anonymous": "login",
        "paul": "403",
        "alice": "403",
        "karim": "403",
        "bruno": "404",
        "chloe": "404",
        "david": ("ok", "404", "404"),
        "nadia": "404",
    }


NATIONAL_ADMIN: dict[str, str | tuple[str, ...]] = {
    "anonymous": "login",
    "paul": "403",
    "alice": "403",
    "karim": "403",
    "bruno": "404",
    "chloe": "404",
    "david": "404",
    "nadia": "ok",
}

ABC = ("A", "B", "AxB")

MATRIX: dict[str, Route] = {
    # Public pages.
    "": Route("GET", everyone("ok")),
    "<slug:site>/": Route("GET", everyone("ok"), ("A", "B")),
    "annuaire/": Route("GET", everyone("ok")),
    "inscription/": Route("GET", everyone("ok")),
    "i18n/setlang/": Route("POST", everyone("ok")),
    "<slug:site>/inscription/": Route("GET", everyone("ok"), ("A", "B")),
    "<slug:site>/inscription/envoyee/": Route("GET", everyone("ok")),
    "<slug:site>/inscription/renvoyer/": Route("POST", everyone("ok")),
    "comptes/confirmation/envoyee/": Route("GET", everyone("ok")),
    "comptes/confirmation/renvoyer/": Route("POST", everyone("ok")),
    "comptes/confirmation/confirmee/": Route("GET", everyone("ok")),
    "comptes/confirmation/code/": Route("GET", everyone("ok")),
    # Development outbox: off without DEBUG, for everyone.
    "_dev/outbox/": Route("GET", everyone("404")),
    "_dev/outbox/<int:pk>/": Route("GET", everyone("404"), objects=("message", "")),
    # « Mon compte »: one's own, never anyone else's.
    "comptes/mon-compte/": Route("GET", logged_in("ok")),
    "comptes/mon-compte/modifier/": Route("GET", {**logged_in("ok")}),
    "comptes/mon-compte/famille/": Route("GET", logged_in("ok")),
    "comptes/mon-compte/historique/": Route("GET", logged_in("ok")),
    "comptes/mon-compte/mes-donnees.zip": Route("GET", logged_in("ok")),
    "comptes/mon-compte/supprimer/": Route("GET", logged_in("ok")),
    "comptes/mon-compte/associations/<slug:slug>/retirer/": Route(
        "POST", {**logged_in("404"), "alice": ("ok", "404"), "karim": ("404", "ok")}, ("A", "B"), sites="association"
    ),
    "<slug:site>/transfert/": Route(
        "GET",
        {
            **logged_in("redirect"),
            "paul": ("ok", "redirect"),
            "alice": ("ok", "redirect"),
            "bruno": ("ok", "redirect"),
            "karim": ("redirect", "ok"),
            "chloe": ("redirect", "ok"),
        },
        ("A", "B"),
    ),
    # The agent cancels their own request, whatever the site in the address.
    "<slug:site>/transfert/<int:pk>/annuler/": Route(
        "POST",
        {**logged_in("404"), "alice": ("ok", "404", "404"), "karim": ("404", "ok", "ok")},
        ABC,
        objects=("transfer_of_alice", "transfer_of_karim"),
    ),
    # Any page of an association's site, this one included, makes an approved
    # agent known to it (unless they are its staff): only then can they relink.
    "<slug:site>/me-faire-connaitre/": Route(
        "POST", {**logged_in("ok"), "paul": "404", "david": ("404", "ok")}, ("A", "B"), sites="association"
    ),
    # CLAS back-office.
    "<slug:site>/gestion/": Route(
        "GET",
        {**clas_staff(), "david": ("404", "404", "ok"), "nadia": "404"},
        ("A", "B", "association"),
    ),
    "<slug:site>/gestion/agents/": Route("GET", clas_staff(), ("A", "B")),
    "^(?P<site>[-\\w]+)/gestion/agents/export\\.(?P<fmt>csv|xlsx)$": Route("GET", clas_staff(), ("A", "B")),
    "<slug:site>/gestion/agents/<int:pk>/": Route("GET", clas_staff(), ABC, ("alice", "karim")),
    "<slug:site>/gestion/agents/<int:pk>/modifier/": Route("GET", clas_staff(), ABC, ("alice", "karim")),
    "<slug:site>/gestion/agents/<int:pk>/famille/": Route("GET", clas_staff(), ABC, ("alice", "karim")),
    "<slug:site>/gestion/inscriptions/": Route("GET", clas_staff(csr_may=False), ("A", "B")),
    "<slug:site>/gestion/inscriptions/<int:pk>/": Route("GET", clas_staff(csr_may=False), ABC, ("paul", "pierre")),
    "<slug:site>/gestion/inscriptions/<int:pk>/valider/": Route(
        "POST", clas_staff(csr_may=False), ABC, ("paul", "pierre")
    ),
    "<slug:site>/gestion/inscriptions/<int:pk>/refuser/": Route(
        "POST", clas_staff(csr_may=False), ABC, ("paul", "pierre")
    ),
    "<slug:site>/gestion/suppressions/": Route("GET", clas_staff(csr_may=False), ("A", "B")),
    "<slug:site>/gestion/suppressions/<int:pk>/confirmer/": Route(
        "POST", clas_staff(csr_may=False), ABC, ("alice", "karim")
    ),
    "<slug:site>/gestion/transferts/": Route("GET", clas_staff(), ("A", "B")),
    "<slug:site>/gestion/transferts/<int:pk>/": Route("GET", clas_staff(), ABC, ("transfer_into_a", "transfer_into_b")),
    "<slug:site>/gestion/transferts/<int:pk>/accepter/": Route(
        "POST", clas_staff(), ABC, ("transfer_into_a", "transfer_into_b")
    ),
    "<slug:site>/gestion/transferts/<int:pk>/refuser/": Route(
        "POST", clas_staff(), ABC, ("transfer_into_a", "transfer_into_b")
    ),
    # Association back-office.
    "<slug:site>/gestion/agents-connus/": Route("GET", association_staff(), ("A", "B"), sites="association"),
    "^(?P<site>[-\\w]+)/gestion/agents-connus/export\\.(?P<fmt>csv|xlsx)$": Route(
        "GET", association_staff(), ("A", "B"), sites="association"
    ),
    "<slug:site>/gestion/agents-connus/<int:pk>/": Route(
        "GET", association_staff(), ABC, ("alice", "karim"), sites="association"
    ),
    # National back-office.
    "gestion/": Route("GET", NATIONAL_ADMIN),
    "gestion/roles/": Route("GET", NATIONAL_ADMIN),
    "gestion/roles/attribuer/": Route("POST", NATIONAL_ADMIN),
    "gestion/roles/<int:pk>/retirer/": Route("POST", NATIONAL_ADMIN, objects=("role_of_bruno", "")),
    "gestion/journal/": Route("GET", NATIONAL_ADMIN),
}

# The account pages of django-allauth (one sign-on for every site). They act on
# the logged-in person only; what matters here is that none needs a role and
# that the anonymous are sent to the login where a login is needed.
ALLAUTH_PUBLIC = {
    "comptes/login/",
    "comptes/signup/",
    "comptes/inactive/",
    "comptes/password/reset/",
    "comptes/password/reset/done/",
    "comptes/password/reset/key/done/",
    "comptes/confirm-email/",
    "comptes/login/code/confirm/",
    "comptes/2fa/authenticate/",
    "comptes/^confirm-email/(?P<key>[-:\\w]+)/$",
    "comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
}
ALLAUTH_LOGGED_IN = {
    "comptes/logout/",
    "comptes/reauthenticate/",
    "comptes/email/",
    "comptes/password/change/",
    "comptes/password/set/",
    "comptes/2fa/",
    "comptes/2fa/reauthenticate/",
    "comptes/2fa/totp/activate/",
    "comptes/2fa/totp/deactivate/",
    "comptes/2fa/recovery-codes/",
    "comptes/2fa/recovery-codes/generate/",
    "comptes/2fa/recovery-codes/download/",
    "comptes/2fa/webauthn/",
    "comptes/2fa/webauthn/add/",
    "comptes/2fa/webauthn/reauthenticate/",
    "comptes/2fa/webauthn/keys/<int:pk>/remove/",
    "comptes/2fa/webauthn/keys/<int:pk>/edit/",
    "comptes/sessions/",
}
