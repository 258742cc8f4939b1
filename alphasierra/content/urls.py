"""Each site's content: what visitors read, and its managers' editor. Every
route exists on the CLAS and association sites (``/<site>/…``) and on the
national site (``/…``, names ending in ``-national``); the views read the
site from ``request.organisation``."""

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import URLPattern, path, re_path

from alphasierra.content.views import editor, images, public

app_name = "content"


def _on_every_site(route: str, view: Callable[..., HttpResponseBase], name: str) -> list[URLPattern]:
    return [path(f"<slug:site>/{route}", view, name=name), path(route, view, name=f"{name}-national")]


urlpatterns: list[URLPattern] = [
    # Uploaded images, by their random name.
    re_path(r"^media/(?P<name>contenu/[0-9a-f]{32}\.(?:jpg|png|webp))$", images.media, name="media"),
    # The national « Contact » page, built from the directory.
    path("contact/", public.contact, name="contact"),
    # What visitors read.
    *_on_every_site("pages/<slug:slug>/", public.page, "page"),
    *_on_every_site("actualites/", public.news_list, "news-list"),
    *_on_every_site("actualites/<int:pk>/", public.news_detail, "news-detail"),
    *_on_every_site("actualites/flux.atom", public.news_feed, "news-feed"),
    # The managers' editor.
    *_on_every_site("gestion/contenu/", editor.overview, "editor"),
    *_on_every_site("gestion/contenu/accueil/", editor.home_edit, "home-edit"),
    *_on_every_site("gestion/contenu/pages/nouvelle/", editor.page_new, "page-new"),
    *_on_every_site("gestion/contenu/pages/<int:pk>/", editor.page_edit, "page-edit"),
    *_on_every_site("gestion/contenu/pages/<int:pk>/retirer/", editor.page_withdraw, "page-withdraw"),
    *_on_every_site("gestion/contenu/actualites/nouvelle/", editor.news_new, "news-new"),
    *_on_every_site("gestion/contenu/actualites/<int:pk>/", editor.news_edit, "news-edit"),
    *_on_every_site("gestion/contenu/actualites/<int:pk>/retirer/", editor.news_withdraw, "news-withdraw"),
    *_on_every_site("gestion/contenu/versions/<int:pk>/", editor.revision_detail, "revision"),
    *_on_every_site("gestion/contenu/versions/<int:pk>/publier/", editor.revision_publish_view, "revision-publish"),
    *_on_every_site("gestion/contenu/versions/<int:pk>/restaurer/", editor.revision_restore_view, "revision-restore"),
    *_on_every_site("gestion/contenu/images/", images.image_list, "images"),
    *_on_every_site("gestion/contenu/images/<int:pk>/supprimer/", images.image_delete_view, "image-delete"),
]
