"""The columns of a list of agents, one definition for the table on screen and
the files it exports.

A file has the table's columns first, in the table's order and under its
headers, so that what a manager reads on screen is what the spreadsheet
holds; then the data the table leaves out. Phones are the one difference:
on screen as the viewer's organisation dials them, in a file always in the
international form.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.validation import phone_display
from alphasierra.french.grammar import agree_label


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Agent], object]
    # The value is a stored E.164 number, formatted for its reader.
    phone: bool = False


def _relative(relative: Relative) -> str:
    born = f" ({relative.birth_date:%d/%m/%Y})" if relative.birth_date else ""
    return f"{relative.first_name} {relative.last_name}{born}"


def _relatives(kind: str) -> Callable[[Agent], str]:
    return lambda agent: "; ".join(_relative(r) for r in agent.relatives.all() if r.kind == kind)


COLUMNS: dict[str, Column] = {
    "last_name": Column(_("Nom"), lambda a: a.last_name),
    "first_name": Column(_("Prénom"), lambda a: a.first_name),
    "clas": Column(_("CLAS"), lambda a: a.clas.short_name),
    "civility": Column(_("Civilité"), lambda a: a.get_civility_display()),
    "email": Column(_("E-mail"), lambda a: a.user.email),
    # Agreed with the civilité, as everywhere the portal speaks of the agent.
    "state": Column(_("État"), lambda a: agree_label(str(a.get_state_display()), a.civility)),
    "employer": Column(_("Employeur"), lambda a: a.get_employer_display()),
    "status": Column(_("Situation"), lambda a: agree_label(str(a.get_status_display()), a.civility)),
    "service": Column(_("Service"), lambda a: a.service),
    "service_address": Column(_("Adresse du service"), lambda a: a.service_address),
    "work_phone": Column(_("Téléphone professionnel"), lambda a: a.work_phone, phone=True),
    "personal_phone": Column(_("Téléphone personnel"), lambda a: a.personal_phone, phone=True),
    "address": Column(_("Adresse postale"), lambda a: a.address),
    "postal_code": Column(_("Code postal"), lambda a: a.postal_code),
    "city": Column(_("Commune"), lambda a: a.city),
    "birth_date": Column(_("Date de naissance"), lambda a: a.birth_date),
    "family_situation": Column(_("Situation familiale"), lambda a: a.get_family_situation_display()),
    "children_count": Column(_("Nombre d'enfants"), lambda a: a.children_count),
    "spouse": Column(_("Conjoint"), _relatives(Relative.Kind.SPOUSE)),
    "children": Column(_("Enfants"), _relatives(Relative.Kind.CHILD)),
    "created_at": Column(_("Inscrit le"), lambda a: a.created_at),
}

# Everything a file adds after the table's columns, in this order. The CLAS
# is left out: a CLAS's register holds its own agents only.
AGENT_DATA = [key for key in COLUMNS if key != "clas"]

REGISTER_TABLE = (
    "last_name",
    "first_name",
    "state",
    "employer",
    "status",
    "service",
    "email",
    "work_phone",
    "personal_phone",
)


def file_columns(table: Sequence[str]) -> list[Column]:
    """The table's columns, then the agent's other data."""
    return [COLUMNS[key] for key in [*table, *(key for key in AGENT_DATA if key not in table)]]


def table_headers(table: Sequence[str]) -> list[str]:
    return [str(COLUMNS[key].header) for key in table]


@dataclass(frozen=True)
class TableCell:
    value: object
    phone: bool


@dataclass(frozen=True)
class TableRow:
    agent: Agent
    cells: list[TableCell]


def column_value(column: Column, agent: Agent, phone_format: Callable[[str], str]) -> object:
    """The column's value for the agent, a phone written by `phone_format`."""
    value = column.value(agent)
    if not (column.phone and value):
        return value
    try:
        return phone_format(str(value))
    except ValidationError:  # a number stored before the rules: as it is
        return value


def table_rows(agents: Iterable[Agent], table: Sequence[str], *, region: str) -> list[TableRow]:
    """The cells of a page of agents, phones as a viewer in `region` dials them."""
    columns = [COLUMNS[key] for key in table]

    def shown(e164: str) -> str:
        return phone_display(e164, region=region)

    return [
        TableRow(agent, [TableCell(column_value(column, agent, shown), column.phone) for column in columns])
        for agent in agents
    ]
