"""A list of agents as a spreadsheet: CSV for Excel in French, and XLSX, with
the columns of the table on screen first (see ``columns``)."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from alphasierra.agents.columns import column_value, file_columns
from alphasierra.agents.models import Agent
from alphasierra.agents.validation import phone_international


def csv_cell(value: object) -> object:
    # A cell starting with = + - @ would be run as a formula by Excel (CSV
    # injection); the international phones start with +, and get the quote too.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return f"'{value}"
    return value


def xlsx_cell(value: object) -> object:
    # openpyxl stores a text as a text cell, which a spreadsheet never runs,
    # unless it starts with = (then it writes a formula): only those are quoted,
    # so that « +687 75 12 34 » stays dialable as it is.
    if isinstance(value, str) and value.startswith("="):
        return f"'{value}"
    return value


def export_rows(agents: Iterable[Agent], table: Sequence[str], *, zone: tzinfo) -> Iterator[list[object]]:
    """The header row, then one row an agent, values as they are (dates as
    dates). A moment is written as the day it was in `zone`, the zone of the
    CLAS whose register it is: Nouméa's evening is not Paris's."""
    columns = file_columns(table)
    yield [str(column.header) for column in columns]
    for agent in agents:
        row = [column_value(column, agent, phone_international) for column in columns]
        yield [timezone.localdate(value, zone) if isinstance(value, datetime) else value for value in row]


def export_csv(agents: Iterable[Agent], table: Sequence[str], *, zone: tzinfo) -> Iterator[str]:
    """CSV lines: UTF-8 with a byte-order mark and « ; », as Excel in French expects.
    (Streamed after the request's zone is put back: it is passed in.)"""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for row in export_rows(agents, table, zone=zone):
        writer.writerow(
            ["" if v is None else (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else csv_cell(v)) for v in row]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def export_xlsx(agents: Iterable[Agent], table: Sequence[str], *, zone: tzinfo) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Agents"))
    for row in export_rows(agents, table, zone=zone):
        sheet.append([xlsx_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
