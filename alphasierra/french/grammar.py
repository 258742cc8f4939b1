"""French that reads right: elision, articles before the sites' names, the
first of the month, agreement with the agent's civilité.

In another language than French these helpers give the bare name or word: the
translated sentence carries its own preposition (« Your registration with
{{ clas }} »), the French one takes the whole group (« Votre inscription
{{ clas }} » with ``au CLAS Nord``).
"""

import re
from typing import Any, Protocol

from django.utils import translation

# « h » counts as mute: the names the portal writes (Hélène, Hugo…) elide.
_ELIDING = frozenset("aeiouyhàâäéèêëîïôöùûüÿæœ")
_FORMAT_DAY = re.compile(r"(\\.)|j")


class Named(Protocol):
    kind: str
    name: str


def in_french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


def elides(word: str) -> bool:
    """Whether « de », « le », « la » lose their vowel before ``word``."""
    word = word.lstrip(" «\"'")
    return bool(word) and word[0].lower() in _ELIDING


def de(phrase: str) -> str:
    """« de Paul Durand », « d'Alice Martin », « d'ARAMIS »."""
    if not in_french():
        return phrase
    return f"d'{phrase}" if elides(phrase) else f"de {phrase}"


def _is_clas(organisation: Named) -> bool:
    # The CLAS are named « CLAS Nord »: a masculine noun, which takes the article;
    # the associations' acronyms and « Alpha Sierra » are proper names, without one.
    return organisation.kind == "clas"


def de_org(organisation: Named) -> str:
    """« du CLAS Nord », « d'ARAMIS », « d'Alpha Sierra »."""
    if not in_french():
        return organisation.name
    return f"du {organisation.name}" if _is_clas(organisation) else de(organisation.name)


def a_org(organisation: Named) -> str:
    """« au CLAS Nord », « à ARAMIS »."""
    if not in_french():
        return organisation.name
    return f"au {organisation.name}" if _is_clas(organisation) else f"à {organisation.name}"


def le_org(organisation: Named) -> str:
    """« le CLAS Nord », « ARAMIS »."""
    if not in_french():
        return organisation.name
    return f"le {organisation.name}" if _is_clas(organisation) else organisation.name


def first_of_month_format(date_format: str) -> str:
    """A ``date`` format writing the day « 1er »: its unescaped ``j`` become ``1\\e\\r``."""
    return _FORMAT_DAY.sub(lambda match: match.group(1) or r"1\e\r", date_format)


FEMININE = "mme"
MASCULINE = "m"


def agree(civility: str, masculine: str, feminine: str) -> str:
    """The word agreeing with a civilité (« né » / « née »); both forms, as
    « né(e) », when the civilité is unknown."""
    if civility == FEMININE:
        return feminine
    if civility == MASCULINE:
        return masculine
    if feminine.startswith(masculine):
        return f"{masculine}({feminine[len(masculine) :]})"
    return f"{masculine} ou {feminine}"


# The labels of the agents' choices written in the masculine alone (« retraité »),
# with their feminine; those written « marié(e) » or « veuf ou veuve » need none.
_FEMININE_OF = {"actif": "active", "retraité": "retraitée", "validé": "validée", "refusé": "refusée"}
_INCLUSIVE = re.compile(r"(\w+)\((\w+)\)")
_EITHER = re.compile(r"^(\w+) ou (\w+)$")


def agree_label(label: str, civility: str) -> str:
    """A label written for everyone (« marié(e) », « veuf ou veuve », « retraité »)
    in the form agreeing with the civilité; unchanged when it is unknown."""
    if civility not in (FEMININE, MASCULINE) or not in_french():
        return label
    feminine = civility == FEMININE
    either = _EITHER.match(label)
    if either:
        return either.group(2 if feminine else 1)
    label = _INCLUSIVE.sub(lambda match: match.group(1) + (match.group(2) if feminine else ""), label)
    return _FEMININE_OF.get(label, label) if feminine else label


def civility_of(person: Any) -> str:
    """The civilité of an agent, or the value itself when given a civilité."""
    return str(getattr(person, "civility", person) or "")
