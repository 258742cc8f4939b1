"""What the pages of the agents app show of a transfer (« Mon compte », the
register's page of an agent), given by the transfers app itself: the agents
app stands below transfers and does not import it."""

from django import template

from alphasierra.accounts.models import User
from alphasierra.transfers.models import Transfer
from alphasierra.transfers.selectors import transfer_open_for

register = template.Library()


@register.simple_tag
def open_transfer(user: User) -> Transfer | None:
    """``{% open_transfer agent.user as transfer %}``: the request still open."""
    return transfer_open_for(user)
