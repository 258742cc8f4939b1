"""The expected answer of every URL of the portal, to every persona, for every
method, against objects of two organisations in every state.

Objects of organisation A belong to CLAS Sud-Ouest (Alice, Paul, Bruno) or to
the association ARAMIS (David); objects of B to CLAS Nord (Karim, Chloé, and
the demo's site manager of Nord, the ``nord_manager`` column: Nord has a CSR,
Sud-Ouest has none) or to UNASACEM. Each route is tried on A, on B, and on A's
site with B's object (``AxB``): another organisation's object is always a 404.
``C`` is a CLAS with no staff at all (ENAC in the test world: its site manager
is removed), for the national administrators' fallback on transfers.

A route's ``rows`` give one row per state of its object (``-`` when it names
no object), with the personas as columns; a tuple gives one answer per variant.

Methods: ``GET`` routes are pages; every other method gets the same answer (a
POST without data, HEAD, PUT, DELETE: the view does not act on them).
``GET POST`` routes are forms: GET shows the form, POST sends valid data and
must act. ``POST`` routes are actions: the other methods answer 405 once past
the login gate.

Answers: ``ok`` (GET: 200; POST: the action's status *and* its effect in the
database), ``login`` (redirect to the login page), ``403``, ``404``, ``405``,
``redirect`` (another redirect, nothing changed; for an action, with a
message saying why: a stale or already-done action), ``form`` (the form comes back, 200/400, nothing stored).
``a|b`` accepts either (a choice left to the merge). Every answer but ``ok``
means nothing changed in the database.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "paul", "alice", "karim", "bruno", "chloe", "nord_manager", "david", "nadia")

# Objects whose state the matrix walks through (see test_access_matrix.world).
AGENT_STATES = ("email_pending", "awaiting_approval", "approved", "rejected", "deletion_requested", "erased")
# "erased": the agent who asked was erased since (the transfer went with them).
# "scheduled": accepted before the date asked for, not yet effective; its
# agent may still cancel it (not a persona: Alice and Karim have a pending one).
TRANSFER_STATES = ("pending", "scheduled", "accepted", "refused", "cancelled", "erased")
LINK_STATES = ("active", "withdrawn")


Answer = str | tuple[str, ...]
Cells = Mapping[str, Answer]


@dataclass(frozen=True)
class Route:
    methods: str
    rows: Mapping[str, Cells]
    variants: tuple[str, ...] = ("A",)
    # The kind of object the route's "pk" (or "slug") names (see the world's
    # objects), and whether its sites are CLAS or associations.
    objects: str = ""
    sites: str = "clas"
    # Variants tried in some states only (an object that exists in one state).
    only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Where a POST answers otherwise than a GET (by state, as ``rows``).
    post_rows: Mapping[str, Cells] | None = None


def one(cells: Cells) -> dict[str, Cells]:
    return {"-": cells}


def everyone(answer: str) -> dict[str, Answer]:
    return dict.fromkeys(PERSONAS, answer)


def logged_in(answer: str, anonymous: str = "login") -> dict[str, Answer]:
    return {**dict.fromkeys(PERSONAS, answer), "anonymous": anonymous}


def agents_only(answer: str) -> dict[str, Answer]:
    """« Mon compte » pages about the agent record: the demo's site manager of
    Nord has none."""
    return {**logged_in(answer), "nord_manager": "404"}


def clas_staff(*, csr_may: bool = True, ok: str = "ok", object_gone: bool = False) -> dict[str, Answer]:
    """A CLAS back-office page: its site managers (and CSR) only."""
    if object_gone:
        ok = "404"
    return {
        "anonymous": "login",
        "paul": "403",
        "alice": "403",
        "karim": "403",
        "bruno": (ok, "404", "404"),
        "chloe": ("404", ok if csr_may else "403", "404"),
        "nord_manager": ("404", ok, "404"),
        "david": "404",
        "nadia": "404",
    }


def association_staff(ok: str = "ok") -> dict[str, Answer]:
    return {
        "anonymous": "login",
        "paul": "403",
        "alice": "403",
        "karim": "403",
        "bruno": "404",
        "chloe": "404",
        "nord_manager": "404",
        "david": (ok, "404", "404"),
        "nadia": "404",
    }


NATIONAL_ADMIN: dict[str, Answer] = {
    "anonymous": "login",
    "paul": "403",
    "alice": "403",
    "karim": "403",
    "bruno": "404",
    "chloe": "404",
    "nord_manager": "404",
    "david": "404",
    "nadia": "ok",
}

ABC = ("A", "B", "AxB")
ABCC = ("A", "B", "AxB", "C")


def agent_rows(*, csr_may: bool = True, action: str = "") -> dict[str, Cells]:
    """An agent URL in each state of the agent. ``action`` is the state the
    action applies to (``ok``); in any other state it is already done or moot:
    a redirect with a message, nothing changed. An erased agent is a 404."""
    rows: dict[str, Cells] = {}
    for state in AGENT_STATES:
        if state == "erased":
            rows[state] = clas_staff(csr_may=csr_may, object_gone=True)
        elif action and state != action:
            rows[state] = clas_staff(csr_may=csr_may, ok="redirect")
        else:
            rows[state] = clas_staff(csr_may=csr_may)
    return rows


def transfer_staff(*, action: bool) -> dict[str, Cells]:
    """A transfer into A (Sud-Ouest, no CSR), B (Nord: CSR Chloé and a site
    manager) or C (no staff), as its destination's staff sees it. The CSR
    decides where the CLAS has one; elsewhere its site managers and the
    national administrators. Only a pending transfer has a page: once decided
    or cancelled, it is a line of the queue's history, without personal data."""
    rows: dict[str, Cells] = {}
    answer: str
    manager_of_b: str
    for state in TRANSFER_STATES:
        if state == "erased":
            # Gone with the agent; a site manager where a CSR decides may be
            # refused before the look-up.
            answer, manager_of_b = "404", "404|403" if action else "404"
        elif action:
            # A decided transfer: too late, with a message, nothing changed.
            answer = "ok" if state == "pending" else "redirect|404"
            manager_of_b = "403"
        else:
            answer = "ok" if state == "pending" else "404"
            # Nord's site manager reads a pending request, without the buttons.
            manager_of_b = answer
        rows[state] = {
            "anonymous": "login",
            "paul": "403",
            "alice": "403",
            "karim": "403",
            "bruno": (answer, "404", "404", "404"),
            "chloe": ("404", answer, "404", "404"),
            "nord_manager": ("404", manager_of_b, "404", "404"),
            "david": "404",
            # The national fallback, where the destination has no CSR (A, C).
            "nadia": (answer, "404", "404", answer),
        }
    return rows


def cancel_rows() -> dict[str, Cells]:
    """The agent cancels their own request, whatever the site in the address.
    Transfers into A are Karim's (into Sud-Ouest), into B Alice's, except the
    accepted ones: the history of how Alice came to Sud-Ouest and Karim to Nord."""
    rows: dict[str, Cells] = {}
    for state in TRANSFER_STATES:
        if state in ("erased", "scheduled"):
            # Gone with its agent, or another agent's (see TRANSFER_STATES).
            rows[state] = logged_in("404")
            continue
        done = "ok" if state == "pending" else "redirect"
        if state == "accepted":
            owners = {"alice": (done, "404", "404"), "karim": ("404", done, done)}
        else:
            owners = {"karim": (done, "404", "404"), "alice": ("404", done, done)}
        rows[state] = {**logged_in("404"), **owners}
    return rows


# --- Activities as agents and visitors reach them.
ACTIVITY_STATES = ("draft", "published", "closed", "cancelled", "past")
REQUEST_STATES = ("confirmed", "waiting", "offered", "cancelled")


def activity_page_rows(*, post: bool) -> dict[str, Cells]:
    """An activity of A (Sud-Ouest) or B (Nord) on its own site, and B's on
    A's site (404). A draft does not exist. Its household request: Alice and
    Bruno are approved agents of A, Karim and Chloé of B; anyone else is
    told why not, next to the form; nothing is asked outside the window."""
    rows: dict[str, Cells] = {}
    for state in ACTIVITY_STATES:
        if state == "draft":
            rows[state] = everyone("404")
        elif not post:
            rows[state] = dict.fromkeys(PERSONAS, ("ok", "ok", "404"))
        else:
            refused: dict[str, Answer] = {**dict.fromkeys(PERSONAS, ("form", "form", "404"))}
            refused["anonymous"] = ("login", "login", "404")
            if state == "published":
                refused.update(dict.fromkeys(("alice", "bruno"), ("ok", "form", "404")))
                refused.update(dict.fromkeys(("karim", "chloe"), ("form", "ok", "404")))
            rows[state] = refused
    return rows


def own_request_rows(*, action_state: str = "", ok: str = "ok") -> dict[str, Cells]:
    """A household request of Alice's (A) or Karim's (B): its own household
    only, whatever the state; an action in another state than the one it
    applies to is moot (a redirect, with a message saying why)."""
    rows: dict[str, Cells] = {}
    for state in REQUEST_STATES:
        answer = ok if not action_state or state in action_state.split() else "redirect"
        rows[state] = {**logged_in("404"), "alice": (answer, "404"), "karim": ("404", answer)}
    return rows


ACTIVITY_ROUTES: dict[str, Route] = {
    "<slug:site>/activites/": Route("GET", one(everyone("ok")), ("A", "B")),
    "<slug:site>/activites/<int:pk>/": Route(
        "GET POST",
        activity_page_rows(post=False),
        ABC,
        "activity",
        post_rows=activity_page_rows(post=True),
    ),
    "<slug:site>/activites/<int:pk>/calendrier.ics": Route("GET", activity_page_rows(post=False), ABC, "activity"),
    "comptes/inscriptions/": Route("GET", one(logged_in("ok"))),
    "comptes/inscriptions/<int:pk>/": Route("GET", own_request_rows(), ("A", "B"), "request"),
    "comptes/inscriptions/<int:pk>/annuler/": Route(
        "POST", own_request_rows(action_state="confirmed waiting offered"), ("A", "B"), "request"
    ),
    "comptes/inscriptions/<int:pk>/accepter/": Route(
        "POST", own_request_rows(action_state="offered"), ("A", "B"), "request"
    ),
    "comptes/inscriptions/<int:pk>/liberer/": Route(
        "POST", own_request_rows(action_state="offered"), ("A", "B"), "request"
    ),
    "comptes/inscriptions/calendrier/nouvelle-adresse/": Route("POST", one(logged_in("ok"))),
    # The calendar's secret address is the key: no login; an old address is gone.
    "comptes/inscriptions/calendrier/<int:user_id>/<str:token>.ics": Route(
        "GET", {"current": everyone("ok"), "renewed": everyone("404")}, ("A",), "feed"
    ),
}

# --- Each site's content as visitors read it ----------------------------------
# A page or news item of A (Sud-Ouest) or B (Nord) on its own site, and B's
# on A's site (404); on the national site, its own and A's (404). Only what is
# published, and due, exists: for everyone alike, logged in or not.
CONTENT_PAGE_STATES = ("published", "draft", "withdrawn")
CONTENT_NEWS_STATES = ("published", "draft", "withdrawn", "future")


def public_content_rows(states: tuple[str, ...], shown: Answer) -> dict[str, Cells]:
    return {state: dict.fromkeys(PERSONAS, shown if state == "published" else "404") for state in states}


CONTENT_PUBLIC_ROUTES: dict[str, Route] = {
    "contact/": Route("GET", one(everyone("ok"))),
    "<slug:site>/pages/<slug:slug>/": Route(
        "GET", public_content_rows(CONTENT_PAGE_STATES, ("ok", "ok", "404")), ABC, "public_page"
    ),
    "pages/<slug:slug>/": Route(
        "GET", public_content_rows(CONTENT_PAGE_STATES, ("ok", "404")), ("A", "B"), "national_page"
    ),
    "<slug:site>/actualites/": Route("GET", one(everyone("ok")), ("A", "B")),
    "actualites/": Route("GET", one(everyone("ok"))),
    "<slug:site>/actualites/<int:pk>/": Route(
        "GET", public_content_rows(CONTENT_NEWS_STATES, ("ok", "ok", "404")), ABC, "public_news"
    ),
    "actualites/<int:pk>/": Route(
        "GET", public_content_rows(CONTENT_NEWS_STATES, ("ok", "404")), ("A", "B"), "national_news"
    ),
    "<slug:site>/actualites/flux.atom": Route("GET", one(everyone("ok")), ("A", "B")),
    "actualites/flux.atom": Route("GET", one(everyone("ok"))),
}

# --- Activities: their managers' back-office ---------------------------------

# A household's request, as the managers' removal page finds it.
ACTIVITY_REQUEST_STATES = ("confirmed", "waiting", "offered", "cancelled")
ACTIVITY_LIVE = ("draft", "published", "closed")


def activity_managers(ok: str = "ok") -> dict[str, Answer]:
    """A page of a CLAS's activities: its site managers only; its CSR is
    staff there without the role (403)."""
    return clas_staff(csr_may=False, ok=ok)


def activity_rows(allowed: tuple[str, ...] = ACTIVITY_STATES) -> dict[str, Cells]:
    """An activity in each state; outside ``allowed`` the page or action is moot
    (an activity cancelled, past, already published…): a redirect with a message."""
    return {state: activity_managers("ok" if state in allowed else "redirect") for state in ACTIVITY_STATES}


# Lists of a CLAS (A, B) and of an association (ARAMIS).
ACTIVITY_LISTS = one({**activity_managers(), "david": ("404", "404", "ok")})

# --- Each site's content: its managers' editor ----------------------------------

# A page or a news item; the versions of a page (the draft being prepared, the
# one online, one published before it). See content.tests.matrix_world.
CONTENT_STATES = ("draft", "published", "withdrawn")
REVISION_STATES = ("draft", "live", "old")
# A (Sud-Ouest), B (Nord), B's object on A's site, ARAMIS.
CONTENT_VARIANTS = ("A", "B", "AxB", "association")
# The national site's object, then A's object at a national address.
NATIONAL_CONTENT_VARIANTS = ("N", "NxA")


def content_editors(ok: str = "ok") -> dict[str, Answer]:
    """A site's editor: the site managers of a CLAS, the managers of an
    association. Nord's CSR is staff there without the editor's role (403)."""
    return {
        "anonymous": "login",
        "paul": "403",
        "alice": "403",
        "karim": "403",
        "bruno": (ok, "404", "404", "404"),
        "chloe": ("404", "403", "404", "404"),
        "nord_manager": ("404", ok, "404", "404"),
        "david": ("404", "404", "404", ok),
        "nadia": "404",
    }


def national_editors(ok: str = "ok") -> dict[str, Answer]:
    return {**NATIONAL_ADMIN, "nadia": (ok, "404")}


def content_rows(states: tuple[str, ...], allowed: tuple[str, ...], *, national: bool = False) -> dict[str, Cells]:
    """An object in each state; outside ``allowed`` the action is moot (a
    draft withdrawn, a version published already): a redirect with a message."""
    editors = national_editors if national else content_editors
    return {state: editors("ok" if state in allowed else "redirect") for state in states}


# The editor's pages without an object (A, B, ARAMIS).
CONTENT_LISTS = one(
    {
        **content_editors(),
        "bruno": ("ok", "404", "404"),
        "chloe": ("404", "403", "404"),
        "nord_manager": ("404", "ok", "404"),
        "david": ("404", "404", "ok"),
    }
)


def content_routes(prefix: str, *, national: bool) -> dict[str, Route]:
    """The editor's routes on the CLAS and association sites, or on the national site."""
    lists, list_variants = (one(NATIONAL_ADMIN), ("A",)) if national else (CONTENT_LISTS, ("A", "B", "association"))
    variants = NATIONAL_CONTENT_VARIANTS if national else CONTENT_VARIANTS
    every_state = content_rows(CONTENT_STATES, CONTENT_STATES, national=national)
    online_only = content_rows(CONTENT_STATES, ("published",), national=national)
    return {
        prefix: Route("GET", lists, list_variants),
        f"{prefix}accueil/": Route("GET POST", lists, list_variants),
        f"{prefix}pages/nouvelle/": Route("GET POST", lists, list_variants),
        f"{prefix}pages/<int:pk>/": Route("GET POST", every_state, variants, "content_page"),
        f"{prefix}pages/<int:pk>/retirer/": Route("POST", online_only, variants, "content_page"),
        f"{prefix}actualites/nouvelle/": Route("GET POST", lists, list_variants),
        f"{prefix}actualites/<int:pk>/": Route("GET POST", every_state, variants, "content_news"),
        f"{prefix}actualites/<int:pk>/retirer/": Route("POST", online_only, variants, "content_news"),
        f"{prefix}versions/<int:pk>/": Route(
            "GET", content_rows(REVISION_STATES, REVISION_STATES, national=national), variants, "content_revision"
        ),
        # Only a draft is published; any version but the one online is restored.
        f"{prefix}versions/<int:pk>/publier/": Route(
            "POST", content_rows(REVISION_STATES, ("draft",), national=national), variants, "content_revision"
        ),
        f"{prefix}versions/<int:pk>/restaurer/": Route(
            "POST", content_rows(REVISION_STATES, ("draft", "old"), national=national), variants, "content_revision"
        ),
    }


# --- Each site's images: its managers' page, and the images as visitors get them.
# An image in use (a news item's draft shows it) is kept: its deletion page
# comes back saying where, nothing deleted.
IMAGE_STATES = ("unused", "used")
IMAGE_EDITORS = one({**activity_managers(), "david": ("404", "404", "ok")})

IMAGE_ROUTES: dict[str, Route] = {
    "<slug:site>/gestion/contenu/images/": Route("GET POST", IMAGE_EDITORS, ("A", "B", "association")),
    "gestion/contenu/images/": Route("GET POST", one(NATIONAL_ADMIN)),
    "<slug:site>/gestion/contenu/images/<int:pk>/supprimer/": Route(
        "GET POST",
        dict.fromkeys(IMAGE_STATES, activity_managers()),
        ABC,
        "image",
        post_rows={"unused": activity_managers(), "used": activity_managers("form")},
    ),
    # The national site's image (A), and one of Nord's on the national address (AxB).
    "gestion/contenu/images/<int:pk>/supprimer/": Route(
        "GET POST", {"unused": {**NATIONAL_ADMIN, "nadia": ("ok", "404")}}, ("A", "AxB"), "national_image"
    ),
    # Public, by their random name; a name no image has is a 404.
    "^media/(?P<name>contenu/[0-9a-f]{32}\\.(?:jpg|png|webp))$": Route(
        "GET", {"served": everyone("ok"), "unknown": everyone("404")}, objects="media"
    ),
}

MATRIX: dict[str, Route] = {
    # Public pages.
    "": Route("GET", one(everyone("ok"))),
    "<slug:site>/": Route("GET", one(everyone("ok")), ("A", "B")),
    "annuaire/": Route("GET", one(everyone("ok"))),
    "inscription/": Route("GET POST", one(everyone("form"))),
    # Without a POST, the language switch only goes back.
    "i18n/setlang/": Route("GET POST", one(everyone("redirect")), post_rows=one(everyone("ok"))),
    # Signing up: the anonymous get an account, the logged-in a page saying they have one.
    "<slug:site>/inscription/": Route("GET POST", one({**logged_in("form"), "anonymous": "ok"}), ("A", "B")),
    "<slug:site>/inscription/envoyee/": Route("GET", one(everyone("ok"))),
    "<slug:site>/inscription/renvoyer/": Route("POST", one(everyone("ok"))),
    "comptes/confirmation/envoyee/": Route("GET", one(everyone("ok"))),
    "comptes/confirmation/renvoyer/": Route("POST", one(everyone("ok"))),
    "comptes/confirmation/confirmee/": Route("GET", one(everyone("ok"))),
    "comptes/confirmation/code/": Route("GET POST", one(everyone("ok"))),
    # The load balancer's probes answer everyone; the metrics nobody without
    # the token or a listed address, which no persona has (operations.access).
    "health/live/": Route("GET", one(everyone("ok"))),
    "health/ready/": Route("GET", one(everyone("ok"))),
    "metrics/": Route("GET", one(everyone("404"))),
    # Development outbox: off without DEBUG, for everyone.
    "_dev/outbox/": Route("GET", one(everyone("404"))),
    "_dev/outbox/<int:pk>/": Route("GET", one(everyone("404")), objects="message"),
    # « Mon compte »: one's own, never anyone else's.
    "comptes/mon-compte/": Route("GET", one(logged_in("ok"))),
    "comptes/mon-compte/modifier/": Route("GET POST", one(agents_only("ok"))),
    "comptes/mon-compte/famille/": Route("GET POST", one(agents_only("ok"))),
    "comptes/mon-compte/historique/": Route("GET", one(logged_in("ok"))),
    "comptes/mon-compte/mes-donnees.zip": Route("GET", one(agents_only("ok"))),
    "comptes/mon-compte/supprimer/": Route("GET POST", one(agents_only("ok"))),
    "comptes/mon-compte/associations/<slug:slug>/retirer/": Route(
        "POST",
        {
            "active": {**logged_in("404"), "alice": ("ok", "404"), "karim": ("404", "ok")},
            # Every link of the persona with ANAFACEM is withdrawn already.
            "withdrawn": logged_in("404"),
        },
        ("A", "B"),
        objects="association",
        sites="association",
        only={"withdrawn": ("A",)},
    ),
    # Requesting a transfer, on one's own CLAS site. Alice and Karim have a
    # pending request already, Paul is not approved: the form comes back.
    "<slug:site>/transfert/": Route(
        "GET POST",
        one(
            {
                **logged_in("redirect"),
                "paul": ("form", "redirect"),
                "alice": ("form", "redirect"),
                "bruno": ("ok", "redirect"),
                "karim": ("redirect", "form"),
                "chloe": ("redirect", "ok"),
                "nord_manager": "404",
            }
        ),
        ("A", "B"),
    ),
    "<slug:site>/transfert/<int:pk>/annuler/": Route("POST", cancel_rows(), ABC, objects="transfer"),
    # Any page of an association's site, this one included, makes an approved
    # agent known to it (unless they are its staff): only then can they relink.
    "<slug:site>/me-faire-connaitre/": Route(
        "POST",
        one({**logged_in("ok"), "paul": "404", "nord_manager": "404", "david": ("404", "ok")}),
        ("A", "B"),
        sites="association",
    ),
    # CLAS back-office.
    "<slug:site>/gestion/": Route(
        "GET",
        one({**clas_staff(), "david": ("404", "404", "ok"), "nadia": "404"}),
        ("A", "B", "association"),
    ),
    "<slug:site>/gestion/agents/": Route("GET", one(clas_staff()), ("A", "B")),
    "^(?P<site>[-\\w]+)/gestion/agents/export\\.(?P<fmt>csv|xlsx)$": Route("GET", one(clas_staff()), ("A", "B")),
    "<slug:site>/gestion/agents/<int:pk>/": Route("GET", agent_rows(), ABC, "agent"),
    "<slug:site>/gestion/agents/<int:pk>/modifier/": Route("GET POST", agent_rows(), ABC, "agent"),
    "<slug:site>/gestion/agents/<int:pk>/famille/": Route("GET POST", agent_rows(), ABC, "agent"),
    "<slug:site>/gestion/inscriptions/": Route("GET", one(clas_staff(csr_may=False)), ("A", "B")),
    "<slug:site>/gestion/inscriptions/<int:pk>/": Route("GET", agent_rows(csr_may=False), ABC, "agent"),
    "<slug:site>/gestion/inscriptions/<int:pk>/valider/": Route(
        "POST", agent_rows(csr_may=False, action="awaiting_approval"), ABC, "agent"
    ),
    "<slug:site>/gestion/inscriptions/<int:pk>/refuser/": Route(
        "POST", agent_rows(csr_may=False, action="awaiting_approval"), ABC, "agent"
    ),
    "<slug:site>/gestion/suppressions/": Route("GET", one(clas_staff(csr_may=False)), ("A", "B")),
    "<slug:site>/gestion/suppressions/<int:pk>/confirmer/": Route(
        "POST", agent_rows(csr_may=False, action="deletion_requested"), ABC, "agent"
    ),
    # National administrators see the queue of a CLAS without a CSR (A), to decide in its place.
    "<slug:site>/gestion/transferts/": Route("GET", one({**clas_staff(), "nadia": ("ok", "404")}), ("A", "B")),
    "<slug:site>/gestion/transferts/<int:pk>/": Route(
        "GET", transfer_staff(action=False), ABC, "transfer", only={"pending": ABCC}
    ),
    "<slug:site>/gestion/transferts/<int:pk>/accepter/": Route(
        "POST", transfer_staff(action=True), ABC, "transfer", only={"pending": ABCC}
    ),
    "<slug:site>/gestion/transferts/<int:pk>/refuser/": Route(
        "POST", transfer_staff(action=True), ABC, "transfer", only={"pending": ABCC}
    ),
    # Association back-office.
    "<slug:site>/gestion/agents-connus/": Route("GET", one(association_staff()), ("A", "B"), sites="association"),
    "^(?P<site>[-\\w]+)/gestion/agents-connus/export\\.(?P<fmt>csv|xlsx)$": Route(
        "GET", one(association_staff()), ("A", "B"), sites="association"
    ),
    # An agent the association knows; one who withdrew is no longer known.
    "<slug:site>/gestion/agents-connus/<int:pk>/": Route(
        "GET",
        {"active": association_staff(), "withdrawn": association_staff("404")},
        ABC,
        "member",
        sites="association",
        # On ARAMIS, the agent of UNASACEM who withdrew is Alice, still known to ARAMIS.
        only={"withdrawn": ("A", "B")},
    ),
    # The activities' back-office.
    "<slug:site>/gestion/activites/": Route("GET", ACTIVITY_LISTS, ("A", "B", "association")),
    "<slug:site>/gestion/activites/nouvelle/": Route("GET POST", ACTIVITY_LISTS, ("A", "B", "association")),
    "<slug:site>/gestion/activites/<int:pk>/": Route("GET", activity_rows(), ABC, "activity"),
    "<slug:site>/gestion/activites/<int:pk>/modifier/": Route(
        "GET POST", activity_rows(ACTIVITY_LIVE), ABC, "activity"
    ),
    "<slug:site>/gestion/activites/<int:pk>/dupliquer/": Route("POST", activity_rows(), ABC, "activity"),
    "<slug:site>/gestion/activites/<int:pk>/publier/": Route("POST", activity_rows(("draft",)), ABC, "activity"),
    "<slug:site>/gestion/activites/<int:pk>/clore/": Route("POST", activity_rows(("published",)), ABC, "activity"),
    "<slug:site>/gestion/activites/<int:pk>/annuler/": Route("GET POST", activity_rows(ACTIVITY_LIVE), ABC, "activity"),
    "<slug:site>/gestion/activites/<int:pk>/ajouter/": Route(
        "GET POST", activity_rows(("published", "closed")), ABC, "activity"
    ),
    "<slug:site>/gestion/activites/<int:pk>/emargement/": Route("GET", activity_rows(), ABC, "activity"),
    "^(?P<site>[-\\w]+)/gestion/activites/(?P<pk>[0-9]+)/participants\\.(?P<fmt>csv|xlsx)$": Route(
        "GET", activity_rows(), ABC, "activity"
    ),
    # A request already cancelled has nobody left to remove.
    "<slug:site>/gestion/activites/demandes/<int:pk>/retirer/": Route(
        "GET POST",
        {state: activity_managers("redirect" if state == "cancelled" else "ok") for state in ACTIVITY_REQUEST_STATES},
        ABC,
        "activity_request",
    ),
    # National back-office.
    "gestion/": Route("GET", one(NATIONAL_ADMIN)),
    "gestion/roles/": Route("GET", one(NATIONAL_ADMIN)),
    "gestion/roles/attribuer/": Route("POST", one(NATIONAL_ADMIN)),
    "gestion/roles/<int:pk>/retirer/": Route("POST", one(NATIONAL_ADMIN), objects="role"),
    "gestion/journal/": Route("GET", one(NATIONAL_ADMIN)),
    **ACTIVITY_ROUTES,
    **content_routes("<slug:site>/gestion/contenu/", national=False),
    **content_routes("gestion/contenu/", national=True),
    **CONTENT_PUBLIC_ROUTES,
    **IMAGE_ROUTES,
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
