"""The one way a list of agents leaves the portal as a file: filtered as on
screen, with the screen's columns first, audited with the filter, the row
count and who was included."""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from alphasierra.agents.exports import export_csv, export_xlsx
from alphasierra.agents.forms.register import RegisterFilterForm
from alphasierra.agents.models import Agent
from alphasierra.agents.selectors import register_export_rows, register_list
from alphasierra.audit.services import audit_record
from alphasierra.http import AuthenticatedRequest

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def agents_export(
    request: AuthenticatedRequest, agents: QuerySet[Agent], *, table: Sequence[str], fmt: str, action: str
) -> HttpResponse | StreamingHttpResponse:
    organisation = request.organisation
    filters = RegisterFilterForm(request.GET).filters()
    listed = register_list(agents, filters)
    rows = register_export_rows(listed)
    # Who was in the file, for each agent's « who saw my data »: one query
    # for the ids, one bulk insert, whatever the size of the register.
    included = list(listed.values_list("user_id", flat=True))
    audit_record(
        action=action,
        actor=request.user,
        organisation=organisation,
        data={"format": fmt, "filters": filters, "rows": len(included)},
        included=included,
    )
    filename = f"agents-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    zone = timezone.get_current_timezone()
    if fmt == "csv":
        return StreamingHttpResponse(
            export_csv(rows.iterator(chunk_size=500), table, zone=zone),
            content_type="text/csv; charset=utf-8",
            headers=headers,
        )
    return HttpResponse(export_xlsx(rows, table, zone=zone), content_type=XLSX_TYPE, headers=headers)
