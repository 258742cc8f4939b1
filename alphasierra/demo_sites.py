"""What the demo's sites offer beyond their people: a few activities, and
content of their own for Sud-Ouest and ARAMIS (``manage.py demo_data`` only:
the tests' cast makes its own)."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from alphasierra.accounts.models import User
from alphasierra.activities.models import Activity
from alphasierra.activities.services.publishing import activity_create, activity_publish
from alphasierra.content.models import Home, Page
from alphasierra.content.selectors import draft_of
from alphasierra.content.services.editing import home_draft_save, news_create, page_create, revision_publish
from alphasierra.content.services.images import image_upload
from alphasierra.organisations.models import Organisation


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
