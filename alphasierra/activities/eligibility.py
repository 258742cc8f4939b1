"""Who of a household may take part in an activity, and why not."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from alphasierra.activities.models import Activity, Participant
from alphasierra.agents.models import Agent, Relative
from alphasierra.associations.models import AssociationLink
from alphasierra.french.grammar import de_org

# The key of the agent themselves among the people of a request (the others
# are their relatives' ids); services.registration names it SELF.
AGENT_KEY = "agent"


@dataclass(frozen=True)
class Candidate:
    """One person of the household, as the registration form offers them."""

    key: str | int  # services.registration.SELF, or the Relative's id
    kind: Participant.Kind
    first_name: str
    last_name: str
    birth_date: date | None
    eligible: bool
    reason: str  # why not, in French; empty when eligible
    price: Decimal


def age_on(birth_date: date | None, day: date) -> int | None:
    """Age in whole years on ``day`` (a child born on 29 February has their
    birthday on 1 March in other years)."""
    if birth_date is None:
        return None
    return _years(birth_date, day)


def _years(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def activity_days(activity: Activity) -> tuple[date, date]:
    """The first and last days of the activity, on its organisation's calendar:
    an outing at 10:00 in Papeete is on Papeete's date, whatever Paris says."""
    zone = ZoneInfo(activity.organisation.time_zone)
    return timezone.localdate(activity.starts_at, zone), timezone.localdate(activity.ends_at, zone)


def household_refusal(*, activity: Activity, agent: Agent) -> str | None:
    """Why this household may not register at all (not approved, another CLAS,
    unknown to the association or withdrawn, status, employer), in French; None
    when it may."""
    organisation = activity.organisation
    if agent.state != Agent.State.APPROVED:
        return _("Votre inscription doit d'abord être validée par votre CLAS.")
    if organisation.is_clas and agent.clas_id != organisation.pk:
        return _("Cette activité est réservée aux agents %(of_site)s.") % {"of_site": de_org(organisation)}
    if organisation.is_association:
        link = AssociationLink.objects.filter(agent=agent, association=organisation).first()
        if link is None:
            return _("Cette activité est réservée aux agents connus %(of_site)s.") % {"of_site": de_org(organisation)}
        if link.state != AssociationLink.State.ACTIVE:
            return _(
                "Vous avez retiré votre lien avec %(site)s : rétablissez-le dans « Mon compte » pour vous inscrire."
            ) % {"site": organisation.name}
    if agent.status == Agent.Status.ACTIVE and not activity.for_active:
        return _("Cette activité est réservée aux retraités.")
    if agent.status == Agent.Status.RETIRED and not activity.for_retired:
        return _("Cette activité est réservée aux agents en activité.")
    if agent.employer == Agent.Employer.DGAC and not activity.for_dgac:
        return _("Cette activité est réservée aux agents de Météo-France.")
    if agent.employer == Agent.Employer.METEO_FRANCE and not activity.for_meteo_france:
        return _("Cette activité est réservée aux agents de la DGAC.")
    return None


def _child_refusal(activity: Activity, birth_date: date | None) -> str:
    if activity.child_min_age is None and activity.child_max_age is None:
        return ""
    if birth_date is None:
        return _("Sa date de naissance est inconnue : complétez la famille dans « Mon compte ».")
    first, last = activity_days(activity)
    low, high = activity.child_min_age, activity.child_max_age
    age_first, age_last = _years(birth_date, first), _years(birth_date, last)
    if low is not None and age_first < low:
        return _("Il faut avoir au moins %(age)s ans le jour du début.") % {"age": low}
    if high is not None and age_first > high:
        return _("Il faut avoir au plus %(age)s ans le jour du début.") % {"age": high}
    if high is not None and age_last > high:
        # A stay over several days: the child must still be within the range at its end.
        return _("Il faut avoir encore au plus %(age)s ans le dernier jour.") % {"age": high}
    return ""


def household_candidates(*, activity: Activity, agent: Agent) -> list[Candidate]:
    """The agent, their spouse and their children, in the family's order, each
    with their eligibility (children's ages on the start date, and for a stay
    over several days on the end date too) and price."""
    household = household_refusal(activity=activity, agent=agent)
    candidates = [
        _candidate(
            activity,
            key=AGENT_KEY,
            kind=Participant.Kind.AGENT,
            person=agent,
            refusal=household
            or ("" if activity.agent_admitted else _("Cette activité n'est pas ouverte aux agents eux-mêmes.")),
        )
    ]
    for relative in Relative.objects.filter(agent=agent):
        if relative.kind == Relative.Kind.SPOUSE:
            refusal = household or (
                "" if activity.spouse_admitted else _("Cette activité n'est pas ouverte aux conjoints.")
            )
            kind = Participant.Kind.SPOUSE
        else:
            refusal = household or (
                _child_refusal(activity, relative.birth_date)
                if activity.children_admitted
                else _("Cette activité n'est pas ouverte aux enfants.")
            )
            kind = Participant.Kind.CHILD
        candidates.append(_candidate(activity, key=relative.pk, kind=kind, person=relative, refusal=refusal))
    return candidates


def _candidate(
    activity: Activity, *, key: str | int, kind: Participant.Kind, person: Agent | Relative, refusal: str
) -> Candidate:
    prices = {
        Participant.Kind.AGENT: activity.price_agent,
        Participant.Kind.SPOUSE: activity.price_spouse,
        Participant.Kind.CHILD: activity.price_child,
    }
    return Candidate(
        key=key,
        kind=kind,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        eligible=not refusal,
        reason=refusal,
        price=prices[kind],
    )
