"""The personas of DESIGN.md, built through the real services.

Used by the demo data of the local portal (``manage.py demo_data``) and by the
tests, so that both meet the same people. Building is idempotent: a persona
that exists is returned as it is.
"""

from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.db import transaction

from alphasierra.accounts.models import User
from alphasierra.agents.models import Agent
from alphasierra.agents.services.approval import agent_approve
from alphasierra.agents.services.signup import AgentDetails, RelativeDetails, agent_confirm_email, agent_register
from alphasierra.organisations.models import Organisation, Role

DEMO_PASSWORD = "alpha-sierra-demo"  # noqa: S105 - printed on purpose, local portal only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    who: str


def _account(email: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, is_staff=superuser, is_superuser=superuser)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _role(user: User, organisation: Organisation, kind: Role.Kind) -> User:
    if not Role.objects.filter(user=user, organisation=organisation, kind=kind).exists():
        role = Role(user=user, organisation=organisation, kind=kind)
        role.full_clean()
        role.save()
    return user


def _staff(email: str, organisation: Organisation, kind: Role.Kind, *, superuser: bool = False) -> User:
    """A staff member without an agent record (a site manager of another CLAS)."""
    return _role(_account(email, superuser=superuser), organisation, kind)


def _details(last_name: str, first_name: str, **overrides: object) -> AgentDetails:
    fields: dict[str, object] = {
        "civility": "mme",
        "last_name": last_name,
        "first_name": first_name,
        "employer": "dgac",
        "status": "active",
        "service": "SNA Sud-Ouest",
        "service_address": "Aéroport de Toulouse-Blagnac\n31703 Blagnac",
        "work_phone": "+33561000000",
        "personal_phone": "+33612345678",
        "address": "12 rue des Lilas",
        "postal_code": "31000",
        "city": "Toulouse",
    }
    fields.update(overrides)
    return AgentDetails(**fields)  # type: ignore[arg-type]


def _agent(email: str, clas: Organisation, details: AgentDetails, *, state: str, manager: User | None = None) -> Agent:
    existing = Agent.objects.filter(user__email=email).first()
    if existing is not None:
        return existing
    agent = agent_register(clas=clas, email=email, password=DEMO_PASSWORD, details=details, request=None)
    if agent is None:
        raise RuntimeError(f"{email} already has an account without an agent.")
    if state in {Agent.State.AWAITING_APPROVAL, Agent.State.APPROVED}:
        EmailAddress.objects.filter(user=agent.user).update(verified=True)
        agent_confirm_email(user=agent.user)
    if state == Agent.State.APPROVED and manager is not None:
        agent_approve(agent_id=agent.pk, clas=clas, manager=manager)
    agent.refresh_from_db()
    return agent


@transaction.atomic
def demo_data_load() -> list[DemoAccount]:
    sites = {o.slug: o for o in Organisation.objects.all()}
    managers = {
        slug: _staff(f"responsable.{slug}@alpha-sierra.org", site, Role.Kind.SITE_MANAGER)
        for slug, site in sites.items()
        if site.is_clas and slug != "sud-ouest"
    }
    # Staff are agents too: the directory shows their professional contact.
    nadia = _agent(
        "nadia@alpha-sierra.org",
        sites["region-parisienne"],
        _details("Haddad", "Nadia", service="DGAC — Secrétariat général", postal_code="75015", city="Paris"),
        state=Agent.State.APPROVED,
        manager=managers["region-parisienne"],
    ).user
    _role(nadia, sites["national"], Role.Kind.NATIONAL_ADMIN)
    User.objects.filter(pk=nadia.pk).update(is_staff=True, is_superuser=True)
    bruno = _agent(
        "bruno@alpha-sierra.org",
        sites["sud-ouest"],
        _details(
            "Lambert", "Bruno", civility="m", service="SNA Sud-Ouest — action sociale", personal_phone="+33611112222"
        ),
        state=Agent.State.APPROVED,
        manager=nadia,
    ).user
    _role(bruno, sites["sud-ouest"], Role.Kind.SITE_MANAGER)
    chloe = _agent(
        "chloe@alpha-sierra.org",
        sites["nord"],
        _details(
            "Petit",
            "Chloé",
            service="SNA Nord — correspondante sociale",
            work_phone="+33320000000",
            personal_phone="+33633334444",
            postal_code="59000",
            city="Lille",
        ),
        state=Agent.State.APPROVED,
        manager=managers["nord"],
    ).user
    _role(chloe, sites["nord"], Role.Kind.SOCIAL_CORRESPONDENT)
    david = _agent(
        "david@alpha-sierra.org",
        sites["centre-est"],
        _details(
            "Moreau",
            "David",
            civility="m",
            service="CRNA Est",
            personal_phone="+33655556666",
            postal_code="69000",
            city="Lyon",
        ),
        state=Agent.State.APPROVED,
        manager=managers["centre-est"],
    ).user
    _role(david, sites["aramis"], Role.Kind.ASSOCIATION_MANAGER)
    # Every organisation has someone to run it, the other associations included.
    for slug in ("unasacem", "anafacem"):
        _staff(f"responsable.{slug}@alpha-sierra.org", sites[slug], Role.Kind.ASSOCIATION_MANAGER)

    _agent(
        "alice@example.fr",
        sites["sud-ouest"],
        _details(
            "Martin",
            "Alice",
            birth_date=date(1982, 4, 12),
            family_situation="married",
            children_count=2,
            spouse=RelativeDetails("Martin", "Julien", date(1980, 9, 3)),
            children=[
                RelativeDetails("Martin", "Léa", date(2012, 6, 1)),
                RelativeDetails("Martin", "Hugo", date(2015, 2, 20)),
            ],
        ),
        state=Agent.State.APPROVED,
        manager=bruno,
    )
    _agent(
        "paul@example.fr",
        sites["sud-ouest"],
        _details("Durand", "Paul", civility="m", employer="meteo_france", personal_phone="+33622334455"),
        state=Agent.State.AWAITING_APPROVAL,
    )
    _agent(
        "karim@example.fr",
        sites["nord"],
        _details(
            "Benali",
            "Karim",
            civility="m",
            service="SNA Nord",
            personal_phone="+33633445566",
            postal_code="59000",
            city="Lille",
        ),
        state=Agent.State.APPROVED,
        manager=managers["nord"],
    )
    return [
        DemoAccount("alice@example.fr", "Alice, agente validée de Sud-Ouest (conjoint, deux enfants)"),
        DemoAccount("paul@example.fr", "Paul, agent de Sud-Ouest en attente de validation"),
        DemoAccount("karim@example.fr", "Karim, agent validé de Nord"),
        DemoAccount(bruno.email, "Bruno, responsable du site Sud-Ouest"),
        DemoAccount(chloe.email, "Chloé, correspondante sociale (CSR) de Nord"),
        DemoAccount(david.email, "David, responsable de l'association ARAMIS"),
        DemoAccount(nadia.email, "Nadia, administratrice nationale (et /admin/)"),
        DemoAccount("responsable.<clas>@alpha-sierra.org", "un responsable de site pour chaque autre CLAS"),
        DemoAccount("responsable.unasacem@alpha-sierra.org", "responsable de l'association UNASACEM"),
        DemoAccount("responsable.anafacem@alpha-sierra.org", "responsable de l'association ANAFACEM"),
    ]
