"""An activity's list of participants and waiting list as a file (CSV for
Excel in French, or XLSX), with the register's protection against formulas."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from alphasierra.activities.selectors.registrations import Roster, RosterRequest
from alphasierra.agents.exports import csv_cell, xlsx_cell
from alphasierra.agents.validation import phone_international


def _phone(value: str) -> str:
    try:
        return phone_international(value) if value else ""
    except ValidationError:  # a number stored before the rules: as it is
        return value


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # Excel in French reads « 12,50 »
    return csv_cell(value)


def roster_rows(roster: Roster) -> Iterator[list[object]]:
    """The header, then one row per person holding a place, then per person waiting."""
    yield [
        _("Nom"),
        _("Prénom"),
        _("Lien"),
        _("Âge au début"),
        _("Date de naissance"),
        _("État"),
        _("Prix"),
        _("Agent"),
        _("E-mail"),
        _("Téléphone"),
        _("Demande n°"),
        _("Position en attente"),
    ]
    requests: list[RosterRequest] = [*roster.registered, *roster.waiting]
    for household in requests:
        registration = household.registration
        agent = registration.agent
        for person in household.people:
            participant = person.participant
            yield [
                participant.last_name,
                participant.first_name,
                str(participant.get_kind_display()),
                person.age,
                participant.birth_date,
                str(participant.get_state_display()),
                participant.price,
                f"{agent.first_name} {agent.last_name}",
                agent.user.email,
                _phone(agent.personal_phone),
                registration.pk,
                household.position,
            ]


def roster_csv(roster: Roster) -> str:
    """UTF-8 with a byte-order mark and « ; », as Excel in French expects."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in roster_rows(roster):
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue()


def roster_xlsx(roster: Roster) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants"))
    for row in roster_rows(roster):
        sheet.append([xlsx_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
