from alphasierra.once.models import SpentFormToken


def form_token_location(*, key: str) -> str:
    """Where the first submission of a spent token led ("" if unknown)."""
    return SpentFormToken.objects.filter(token=key).values_list("location", flat=True).first() or ""
