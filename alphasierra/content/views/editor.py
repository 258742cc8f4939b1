"""The managers' editor of a site's content (to be written)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


overview = home_edit = page_new = page_edit = page_withdraw = news_new = news_edit = news_withdraw = _todo
revision_detail = revision_publish_view = revision_restore_view = _todo
