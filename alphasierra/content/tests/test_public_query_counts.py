"""What visitors read makes the same number of SQL queries with 3 or 30
pages in the menu, news items and coming activities."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alphasierra.activities.tests.helpers import new_activity
from alphasierra.content.models import NewsItem
from alphasierra.content.tests import published
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def fill(organisation: Organisation, n: int, start: int) -> None:
    """``n`` more pages in the menu, news items (every other one with an
    image) and coming activities."""
    manager = published.manager_of(organisation)
    for number in range(start, start + n):
        published.page(organisation, title=f"Page {number}", slug=f"page-{number}", in_menu=True, menu_order=number)
        image = published.image(organisation, alt=f"Photo {number}") if number % 2 else None
        published.news(organisation, title=f"Actualité {number}", image=image, publish_on=timezone.now())
        if not organisation.is_national:
            new_activity(organisation, manager, title=f"Sortie {number}", days=5 + number)


PAGES = [
    ("sud-ouest", "/sud-ouest/", None),
    ("sud-ouest", "/sud-ouest/", "alice"),
    ("aramis", "/aramis/", "alice"),
    ("national", "/", None),
    ("sud-ouest", "/sud-ouest/pages/page-0/", None),
    ("sud-ouest", "/sud-ouest/actualites/", None),
    ("sud-ouest", "/sud-ouest/actualites/", "karim"),
    ("sud-ouest", "/sud-ouest/actualites/{news}/", None),
    ("sud-ouest", "/sud-ouest/actualites/flux.atom", None),
    ("national", "/actualites/", None),
    ("national", "/contact/", None),
]


@pytest.mark.parametrize(("slug", "url", "persona"), PAGES)
def test_the_query_count_does_not_grow_with_pages_news_and_activities(
    client, cast, settings, tmp_path, slug, url, persona
):
    settings.MEDIA_ROOT = tmp_path
    organisation = Organisation.objects.get(slug=slug)
    if persona:
        client.force_login(getattr(cast, persona))
    fill(organisation, 3, 0)
    first = NewsItem.objects.filter(organisation=organisation).order_by("pk").first()
    url = url.format(news=first.pk if first else 0)
    client.get(url)  # the session, warmed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    with_three = queries()
    fill(organisation, 27, 3)

    assert queries() == with_three
