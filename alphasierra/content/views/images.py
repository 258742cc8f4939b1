"""Uploaded images: the managers' list and upload form, and serving them (to be written)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


media = image_list = _todo
