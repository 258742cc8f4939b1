"""What visitors read of a site's content (to be written)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


contact = page = news_list = news_detail = news_feed = _todo
