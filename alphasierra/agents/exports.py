"""The register as a spreadsheet: CSV for Excel in French, and XLSX."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import tzinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from alphasierra.agents.models import Agent, Relative
from alphasierra.agents.validation import phone_national


def _relative(relative: Relative) -> str:
    born = f" ({relative.birth_date:%d/%m/%Y})" if relative.birth_date else ""
    return f"{relative.first_name} {relative.last_name}{born}"


def _spouse(agent: Agent) -> str:
    return "; ".join(_relative(r) for r in agent.relatives.all() if r.kind == Relative.Kind.SPOUSE)


def _children(agent: Agent) -> str:
    return "; ".join(_relative(r) for r in agent.relatives.all() if r.kind == Relative.Kind.CHILD)


def _columns(zone: tzinfo) -> list[tuple[str, Callable[[Agent], object]]]:
    return [
        (_("Civilité"), lambda a: a.get_civility_display()),
        (_("Nom"), lambda a: a.last_name),
        (_("Prénom"), lambda a: a.first_name),
        (_("E-mail"), lambda a: a.user.email),
        (_("État"), lambda a: a.get_state_display()),
        (_("Employeur"), lambda a: a.get_employer_display()),
        (_("Situation"), lambda a: a.get_status_display()),
        (_("Service"), lambda a: a.service),
        (_("Adresse du service"), lambda a: a.service_address),
        (_("Téléphone professionnel"), lambda a: phone_national(a.work_phone)),
        (_("Téléphone personnel"), lambda a: phone_national(a.personal_phone)),
        (_("Adresse postale"), lambda a: a.address),
        (_("Code postal"), lambda a: a.postal_code),
        (_("Commune"), lambda a: a.city),
        (_("Date de naissance"), lambda a: a.birth_date),
        (_("Situation familiale"), lambda a: a.get_family_situation_display()),
        (_("Nombre d'enfants"), lambda a: a.children_count),
        (_("Conjoint"), _spouse),
        (_("Enfants"), _children),
        # The day of the CLAS whose register it is: Nouméa's evening is not Paris's.
        (_("Inscrit le"), lambda a: timezone.localdate(a.created_at, zone)),
    ]


def _cell(value: object) -> object:
    # A cell starting with = + - @ would be run as a formula by Excel (CSV injection).
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return f"'{value}"
    return value


def register_rows(agents: Iterable[Agent], *, zone: tzinfo) -> Iterator[list[object]]:
    columns = _columns(zone)
    yield [title for title, _value in columns]
    for agent in agents:
        yield [_cell(value(agent)) for _title, value in columns]


def register_csv(agents: Iterable[Agent], *, zone: tzinfo) -> Iterator[str]:
    """CSV lines: UTF-8 with a byte-order mark and « ; », as Excel in French expects.
    (Streamed after the request's zone is put back: it is passed in.)"""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for row in register_rows(agents, zone=zone):
        writer.writerow(["" if v is None else (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def register_xlsx(agents: Iterable[Agent], *, zone: tzinfo) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Agents"))
    for row in register_rows(agents, zone=zone):
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
