"""axe-core (RGAA's automated part) on every page type, in a real Chromium:
no serious or critical violation."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage
from playwright.sync_api import Browser

from alphasierra.activities.services.registration import SELF, registration_cancel, registration_request
from alphasierra.activities.tests.agent_world import outing
from alphasierra.content.services.editing import news_create
from alphasierra.content.services.images import image_upload
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient as Client  # staff logged in with their second factor
from alphasierra.transfers.services import transfer_request

pytestmark = pytest.mark.browser
PASSWORD = "alpha-sierra-demo"  # the demo accounts' password

# (path, persona)
PAGES = [
    ("/", None),
    ("/sud-ouest/", None),
    ("/aramis/", None),
    ("/aramis/", "paul"),
    ("/annuaire/", None),
    ("/sud-ouest/inscription/", None),
    ("/comptes/login/", None),
    ("/inconnu/", None),
    ("/comptes/mon-compte/", "alice"),
    ("/comptes/mon-compte/modifier/", "alice"),
    ("/comptes/mon-compte/famille/", "alice"),
    ("/sud-ouest/transfert/", "alice"),
    ("/sud-ouest/gestion/", "bruno"),
    ("/sud-ouest/gestion/agents/", "bruno"),
    ("/sud-ouest/gestion/agents/{alice}/", "bruno"),
    ("/sud-ouest/gestion/agents/{alice}/modifier/", "bruno"),
    ("/sud-ouest/gestion/inscriptions/{paul}/", "bruno"),
    ("/aramis/gestion/agents-connus/", "david"),
    ("/gestion/roles/?q=martin", "nadia"),
    ("/gestion/journal/", "nadia"),
    ("/comptes/mon-compte/historique/", "alice"),
    ("/comptes/sessions/", "alice"),
    # Reached only just after the password was typed (allauth's reauthentication).
    ("/comptes/2fa/totp/activate/", "alice"),
]
# Once Alice has asked to move to the CLAS Nord: her request, as she sees it,
# and the queue and detail of the destination's social correspondent.
PAGES_WITH_A_TRANSFER: list[tuple[str, str | None]] = [
    ("/sud-ouest/transfert/", "alice"),
    ("/comptes/mon-compte/", "alice"),
    ("/sud-ouest/gestion/agents/{alice}/", "bruno"),
    ("/nord/gestion/transferts/", "chloe"),
    ("/nord/gestion/transferts/{transfer}/", "chloe"),
]


def logged_in(persona: str, cast) -> Client:
    client = Client()
    if persona == "alice":
        # A real log-in, then the password typed again: the second-factor
        # set-up opens only just after a reauthentication.
        response = client.post("/comptes/login/", {"login": cast.alice.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.post("/comptes/reauthenticate/", {"password": PASSWORD}).status_code == 302
    else:
        client.force_login(getattr(cast, persona))
    return client


def scan(browser: Browser, live_portal: str, cast, pages: list[tuple[str, str | None]], **ids: int) -> list[str]:
    axe = Axe()
    problems = []
    for path, persona in pages:
        context = browser.new_context()
        try:
            if persona:
                client = logged_in(persona, cast)
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                            "url": live_portal,
                        }
                    ]
                )
            page = context.new_page()
            page.goto(live_portal + path.format(alice=cast.alice.agent.pk, paul=cast.paul.agent.pk, **ids))
            assert page.url == live_portal + path.format(alice=cast.alice.agent.pk, paul=cast.paul.agent.pk, **ids)
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
        finally:
            context.close()
    return problems


def test_no_serious_or_critical_violation_on_any_page_type(browser: Browser, live_portal: str, cast):
    assert scan(browser, live_portal, cast, PAGES) == []


def test_no_serious_or_critical_violation_on_the_transfer_pages(browser: Browser, live_portal: str, cast):
    transfer = transfer_request(
        agent_id=cast.alice.agent.pk,
        destination=Organisation.objects.get(slug="nord"),
        reason="move",
        effective_date=timezone.localdate(),
        message="Je rejoins le centre de Lille en janvier.",
        actor=cast.alice,
    )

    assert scan(browser, live_portal, cast, PAGES_WITH_A_TRANSFER, transfer=transfer.pk) == []


def test_a_form_with_errors_stays_accessible(browser: Browser, live_portal: str, cast):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/inscription/")
        page.get_by_role("button", name="Créer mon compte").click()
        results = Axe().run(page)
    finally:
        context.close()

    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


# --- The activities, as agents and visitors see them: the list, an activity
# with the household form, its review and its errors, « Mes inscriptions »,
# and requests confirmed, waiting and offered.
PAGES_WITH_ACTIVITIES: list[tuple[str, str | None]] = [
    ("/sud-ouest/activites/", None),
    ("/sud-ouest/activites/", "alice"),
    ("/sud-ouest/activites/{open_outing}/", None),
    ("/sud-ouest/activites/{open_outing}/", "alice"),
    ("/sud-ouest/activites/{full}/", "karim"),
    ("/comptes/inscriptions/", "alice"),
    ("/comptes/inscriptions/{confirmed}/", "alice"),
    ("/comptes/inscriptions/{waiting}/", "alice"),
    ("/comptes/inscriptions/{offered}/", "alice"),
]


def test_no_serious_or_critical_violation_on_the_activity_pages(browser: Browser, live_portal: str, cast):
    alice, bruno = cast.alice.agent, cast.bruno.agent

    def ask(activity_id: int, agent) -> int:
        return registration_request(
            activity_id=activity_id, agent=agent, people=[SELF], accept_partial=False, by=agent.user
        ).pk

    full = outing(capacity=1, title="Complet")
    confirmed = ask(full.pk, alice)
    taken = outing(capacity=1, title="Attente")
    ask(taken.pk, bruno)
    waiting = ask(taken.pk, alice)
    offered_on = outing(capacity=1, title="Offerte")
    first = ask(offered_on.pk, bruno)
    offered = ask(offered_on.pk, alice)
    registration_cancel(registration_id=first, participant_ids=None, by=cast.bruno)
    ids = {"open_outing": outing(title="Ouverte").pk, "full": full.pk}
    ids |= {"confirmed": confirmed, "waiting": waiting, "offered": offered}

    assert scan(browser, live_portal, cast, PAGES_WITH_ACTIVITIES, **ids) == []


def test_the_household_form_with_errors_and_its_review_stay_accessible(browser: Browser, live_portal: str, cast):
    activity = outing()
    client = logged_in("alice", cast)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/activites/{activity.pk}/")
        page.get_by_role("button", name="Voir le total").click()
        errors = Axe().run(page)
        page.locator("label", has_text="Alice Martin").click()
        page.get_by_role("button", name="Voir le total").click()
        review = Axe().run(page)
    finally:
        context.close()

    serious = [
        v["id"] for r in (errors, review) for v in r.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# --- Each site's images: the list with two images, an image to delete, one
# still in use, the national site's page; and the upload form sent with errors.
PAGES_WITH_IMAGES: list[tuple[str, str | None]] = [
    ("/sud-ouest/gestion/contenu/images/", "bruno"),
    ("/sud-ouest/gestion/contenu/images/{free}/supprimer/", "bruno"),
    ("/sud-ouest/gestion/contenu/images/{used}/supprimer/", "bruno"),
    ("/gestion/contenu/images/", "nadia"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _photo(colour: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    PillowImage.new("RGB", (300, 200), colour).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_no_serious_or_critical_violation_on_the_images_pages(browser: Browser, live_portal: str, cast, media):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    free = image_upload(organisation=sud_ouest, actor=cast.bruno, upload=_photo("teal"), alt="Le car du CLAS")
    used = image_upload(organisation=sud_ouest, actor=cast.bruno, upload=_photo("orange"), alt="L'affiche du loto")
    news_create(
        organisation=sud_ouest,
        actor=cast.bruno,
        values={"title": "Loto", "summary": "Samedi", "body": "", "image": used, "publish_on": None},
    )

    assert scan(browser, live_portal, cast, PAGES_WITH_IMAGES, free=free.pk, used=used.pk) == []


def test_the_images_form_with_errors_stays_accessible(browser: Browser, live_portal: str, cast, media):
    client = logged_in("bruno", cast)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_portal}])
    try:
        page = context.new_page()
        page.goto(f"{live_portal}/sud-ouest/gestion/contenu/images/")
        page.locator("#id_file").set_input_files({"name": "a.png", "mimeType": "image/png", "buffer": b"GIF89a"})
        page.get_by_role("button", name="Envoyer l'image").click()
        page.locator("#erreurs").wait_for()
        results = Axe().run(page)
    finally:
        context.close()

    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
