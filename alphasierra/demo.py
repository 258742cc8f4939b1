"""The personas of DESIGN.md, built through the real services.

Used by the demo data of the local portal (``manage.py demo_data``) and by the
tests, so that both meet the same people. Building is idempotent: a persona
that exists is returned as it is.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity
from alphasierra.activities.services.publishing import activity_create, activity_publish
from alphasierra.agents.models import Agent
from alphasierra.agents.services.approval import agent_approve
from alphasierra.agents.services.signup import AgentDetails, RelativeDetails, agent_confirm_email, agent_register
from alphasierra.content.models import Home, Page
from alphasierra.content.selectors import draft_of
from alphasierra.content.services.editing import home_draft_save, news_create, page_create, revision_publish
from alphasierra.content.services.images import image_upload
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


def demo_activities_load() -> None:
    """A few published activities, so that « Activités » of the local portal has
    something to offer (not part of the tests' cast: their activities are their own)."""
    if Activity.objects.exists():
        return
    sites = {o.slug: o for o in Organisation.objects.all()}
    bruno = User.objects.get(email="bruno@alpha-sierra.org")
    david = User.objects.get(email="david@alpha-sierra.org")
    today = timezone.localdate()

    def at(slug: str, days: int, hour: int) -> datetime:
        zone = ZoneInfo(sites[slug].time_zone)
        return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=zone)

    outings = [
        (
            "sud-ouest",
            bruno,
            {
                "title": "Sortie en famille au parc Walibi",
                "description": "Journée au parc, **transport en car** compris.\n\nRendez-vous devant le bâtiment A.",
                "place": "Parc Walibi, Roquefort",
                "starts_at": at("sud-ouest", 24, 8),
                "ends_at": at("sud-ouest", 24, 19),
                "registration_opens_at": at("sud-ouest", -3, 9),
                "registration_closes_at": at("sud-ouest", 17, 18),
                "capacity": 40,
                "price_agent": Decimal("15"),
                "price_spouse": Decimal("15"),
                "price_child": Decimal("8"),
                "for_retired": False,
                "child_min_age": 3,
                "child_max_age": 11,
            },
        ),
        (
            "sud-ouest",
            bruno,
            {
                "title": "Arbre de Noël des enfants",
                "description": "Spectacle et goûter, un cadeau pour chaque enfant.",
                "place": "Salle des fêtes de Mérignac",
                "starts_at": at("sud-ouest", 20, 14),
                "ends_at": at("sud-ouest", 20, 18),
                "registration_opens_at": at("sud-ouest", -1, 9),
                "registration_closes_at": at("sud-ouest", 12, 18),
                "capacity": 120,
                "agent_admitted": False,
                "spouse_admitted": False,
                "child_max_age": 12,
            },
        ),
        (
            "aramis",
            david,
            {
                "title": "Week-end randonnée dans les Pyrénées",
                "description": "Deux jours de marche accompagnée, hébergement en refuge.",
                "place": "Cauterets",
                "starts_at": at("aramis", 45, 8),
                "ends_at": at("aramis", 46, 17),
                "registration_opens_at": at("aramis", -2, 9),
                "registration_closes_at": at("aramis", 30, 18),
                "capacity": 12,
                "price_agent": Decimal("90"),
                "price_spouse": Decimal("90"),
                "children_admitted": False,
            },
        ),
    ]
    for slug, manager, values in outings:
        activity = activity_create(organisation=sites[slug], values=values, by=manager)
        activity_publish(activity_id=activity.pk, organisation=sites[slug], by=manager)


def demo_content_load() -> None:
    """Some content of their own for a CLAS and an association, so that the local
    portal shows what managers can write; every other site keeps the default home."""
    if Home.objects.exists() or Page.objects.exists():
        return
    sites = {o.slug: o for o in Organisation.objects.all()}
    bruno = User.objects.get(email="bruno@alpha-sierra.org")
    david = User.objects.get(email="david@alpha-sierra.org")
    sud_ouest = sites["sud-ouest"]

    picture = io.BytesIO()
    PILImage.linear_gradient("L").resize((1200, 400)).convert("RGB").save(picture, "PNG")
    image = image_upload(
        organisation=sud_ouest,
        actor=bruno,
        upload=SimpleUploadedFile("bandeau.png", picture.getvalue(), content_type="image/png"),
        alt="Dégradé du gris au blanc",
    )
    revision_publish(
        revision=home_draft_save(
            organisation=sud_ouest,
            actor=bruno,
            values={
                "banner_title": "Bienvenue au CLAS Sud-Ouest",
                "banner_text": "Le comité local d'action sociale des agents et retraités de Bordeaux, Toulouse et Pau.",
                "image": image,
                "introduction": (
                    "Le CLAS organise des **sorties**, des **séjours** et l'**arbre de Noël** des enfants.\n\n"
                    "Inscrivez votre famille pour participer à ses activités."
                ),
                "tiles": [
                    {"title": "Nos permanences", "url": "/sud-ouest/pages/permanences/", "description": ""},
                    {"title": "Les activités", "url": "/sud-ouest/activites/", "description": "Sorties et séjours"},
                ],
            },
        ),
        actor=bruno,
    )
    page = page_create(
        organisation=sud_ouest,
        actor=bruno,
        values={
            "title": "Nos permanences",
            "slug": "permanences",
            "body": (
                "## Bordeaux-Mérignac\n\nLe mardi de 9 h à 12 h, bâtiment A, bureau 112.\n\n"
                "## Toulouse-Blagnac\n\nLe jeudi de 13 h 30 à 16 h 30, salle du CLAS.\n\n"
                "| Site | Jour | Horaires |\n|---|---|---|\n| Mérignac | mardi | 9 h – 12 h |\n"
                "| Blagnac | jeudi | 13 h 30 – 16 h 30 |"
            ),
            "in_menu": True,
            "menu_order": 1,
        },
    )
    revision_publish(revision=draft_of(page), actor=bruno)  # type: ignore[arg-type]
    news = [
        (sud_ouest, bruno, "Inscriptions à l'arbre de Noël", "Spectacle et goûter pour les enfants jusqu'à 12 ans."),
        (sud_ouest, bruno, "Nouvelles aides aux vacances", "Le barème des aides aux séjours change au 1er janvier."),
        (sites["aramis"], david, "Assemblée générale d'ARAMIS", "Adhérents invités, en ligne ou sur place."),
    ]
    for days, (organisation, manager, title, summary) in enumerate(news):
        item = news_create(
            organisation=organisation,
            actor=manager,
            values={
                "title": title,
                "summary": summary,
                "body": f"{summary}\n\nRenseignements auprès de vos correspondants.",
                "image": None,
                "publish_on": timezone.now() - timedelta(days=days),
            },
        )
        revision_publish(revision=draft_of(item), actor=manager)  # type: ignore[arg-type]
