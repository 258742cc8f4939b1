"""Routes: the portal's own paths first, then the national site at "/" and each
site under "/<slug>/" (see ``organisations.middleware``)."""

from django.contrib import admin
from django.urls import include, path

from alphasierra.agents.views import public as agent_views
from alphasierra.organisations.urls import national_urlpatterns
from alphasierra.pages import views as page_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("alphasierra.accounts.urls")),
    path("_dev/", include("alphasierra.mail.urls")),
    # On the national site, « Inscription » leads to the list of CLAS.
    path("inscription/", agent_views.signup, name="national-signup"),
    path("annuaire/", page_views.directory, name="directory"),
    *national_urlpatterns,
    path("", include("alphasierra.agents.urls")),
    path("", include("alphasierra.organisations.urls")),
    path("", include("alphasierra.transfers.urls")),
    path("", include("alphasierra.associations.urls")),
    path("", include("alphasierra.pages.urls")),
]

handler404 = "alphasierra.pages.views.page_not_found"
handler500 = "alphasierra.pages.views.server_error"
