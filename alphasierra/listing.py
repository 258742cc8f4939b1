"""The lists of the back office (the register, an association's members, the
audit journal): a GET form of filters, pages, and the query string the links
to other pages carry (the filters, without the page)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


@dataclass(frozen=True)
class Listing:
    form: forms.Form
    filters: dict[str, Any]
    page: Page[Any]
    query: str

    def context(self) -> dict[str, Any]:
        """What the list's template reads: the form, the page and the query string."""
        return {"form": self.form, "page": self.page, "query": self.query}


def form_filters(form: forms.Form) -> dict[str, Any]:
    """The filters a GET form holds: its valid values that are set (none when
    the form is not valid: a bad filter shows its error and the whole list)."""
    if not form.is_valid():
        return {}
    return {name: value for name, value in form.cleaned_data.items() if value}


def listing(
    request: HttpRequest,
    form: forms.Form,
    rows: Callable[[dict[str, Any]], QuerySet[Any]],
    *,
    per_page: int = PAGE_SIZE,
) -> Listing:
    """One page of the rows that ``rows`` selects for the form's filters."""
    filters = form_filters(form)
    page = Paginator(rows(filters), per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Listing(form=form, filters=filters, page=page, query=query.urlencode())
