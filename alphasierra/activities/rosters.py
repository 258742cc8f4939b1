"""What an activity's managers print and whose data they read: the sign-in
sheet (« feuille d'émargement ») and the accounts a list shows, for the
journal. The lists themselves are ``selectors.activity_roster``."""

from alphasierra.accounts.models import User
from alphasierra.activities.eligibility import activity_days, age_on
from alphasierra.activities.models import Activity, Participant
from alphasierra.activities.selectors.registrations import Roster, RosterPerson


def roster_user_ids(roster: Roster) -> list[int]:
    """The accounts whose households the lists show (each sees the consultation)."""
    return sorted({request.registration.agent.user_id for request in [*roster.registered, *roster.waiting]})


def with_accounts(roster: Roster) -> Roster:
    """The households' accounts (their e-mail addresses), in one more query
    whatever their number."""
    agents = [request.registration.agent for request in [*roster.registered, *roster.waiting]]
    users = User.objects.in_bulk({agent.user_id for agent in agents})
    for agent in agents:
        agent.user = users[agent.user_id]
    return roster


def signin_people(*, activity: Activity) -> list[RosterPerson]:
    """Everyone with a confirmed place, by name, with their age on the start date (one query)."""
    first_day, _last_day = activity_days(activity)
    confirmed = (
        Participant.objects.filter(registration__activity=activity, state=Participant.State.CONFIRMED)
        .select_related("registration__agent")
        .order_by("last_name", "first_name", "pk")
    )
    return [RosterPerson(p, age_on(p.birth_date, first_day)) for p in confirmed]
