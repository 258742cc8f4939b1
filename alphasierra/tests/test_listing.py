"""The back office's lists: filters, pages and the query string of their links."""

import pytest
from django import forms
from django.test import RequestFactory

from alphasierra.listing import form_filters, listing
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db


class KindForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), *Organisation.Kind.choices], required=False)
    q = forms.CharField(required=False)


def organisations(filters: dict[str, str]):
    return Organisation.objects.filter(**{k: v for k, v in filters.items() if k == "kind"}).order_by("slug")


def test_the_page_links_keep_the_filters_but_not_the_page():
    request = RequestFactory().get("/", {"kind": "clas", "q": "", "page": "2"})

    listed = listing(request, KindForm(request.GET), organisations, per_page=5)

    assert listed.filters == {"kind": "clas"}
    assert listed.query == "kind=clas&q="
    assert listed.page.number == 2
    assert listed.page.paginator.count == 13
    assert [o.slug for o in listed.page] == [o.slug for o in organisations({"kind": "clas"})[5:10]]
    assert listed.context() == {"form": listed.form, "page": listed.page, "query": "kind=clas&q="}


def test_a_page_beyond_the_last_shows_the_last():
    request = RequestFactory().get("/", {"kind": "association", "page": "99"})

    listed = listing(request, KindForm(request.GET), organisations, per_page=2)

    assert listed.page.number == 2
    assert len(listed.page) == 1


def test_a_form_not_valid_filters_nothing():
    form = KindForm({"kind": "planet"})

    assert form_filters(form) == {}
    assert "kind" in form.errors
