"""Routes: the portal's own paths first, then the national site at "/" and each
site under "/<slug>/" (see ``organisations.middleware``)."""

from django.contrib import admin
from django.urls import include, path

from alphasierra.agents.views import public as agent_views
from alphasierra.audit.urls import national_urlpatterns as audit_national_urlpatterns
from alphasierra.organisations.urls import national_urlpatterns as organisation_national_urlpatterns
from alphasierra.pages import views as page_views
from alphasierra.pages.urls import national_urlpatterns as page_national_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Health probes and metrics, answered before any middleware (operations.middleware).
    path("", include("alphasierra.operations.urls")),
    # « Mon compte » and the confirmation pages first, then allauth's pages.
    path("comptes/", include("alphasierra.agents.account_urls")),
    path("comptes/", include("alphasierra.associations.account_urls")),
    path("comptes/", include("alphasierra.activities.account_urls")),
    path("comptes/", include("alphasierra.accounts.urls")),
    path("_dev/", include("alphasierra.mail.urls")),
    # On the national site, « Inscription » leads to the list of CLAS.
    path("inscription/", agent_views.signup, name="national-signup"),
    path("annuaire/", page_views.directory, name="directory"),
    # The national back-office (« /gestion/… »).
    *page_national_urlpatterns,
    *organisation_national_urlpatterns,
    *audit_national_urlpatterns,
    # Before the sites' own routes: « /actualites/ » is the national site's news, not a site.
    path("", include("alphasierra.content.urls")),
    path("", include("alphasierra.agents.urls")),
    path("", include("alphasierra.transfers.urls")),
    path("", include("alphasierra.associations.urls")),
    path("", include("alphasierra.activities.urls")),
    path("", include("alphasierra.pages.urls")),
]

handler404 = "alphasierra.pages.views.page_not_found"
handler500 = "alphasierra.pages.views.server_error"
