"""Edit pages of an archived plan or round refuse: archived records are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.errors import DomainError
from rounds.models import CoveragePlan, Round
from rounds.services.archive import check_plan_editable, check_round_editable


class ReadOnlyWhenArchivedMixin:
    """An edit page (GET or POST) whose ``archived_record()`` is archived sends the user back
    to the record's page with the reason; nothing is shown to fill in, nothing is saved. Put it
    before the form view class; the services refuse as well."""

    request: HttpRequest

    def archived_record(self) -> CoveragePlan | Round:
        raise NotImplementedError

    def _refusal(self) -> HttpResponse | None:
        record = self.archived_record()
        try:
            if isinstance(record, CoveragePlan):
                check_plan_editable(record)
            else:
                check_round_editable(record)
        except DomainError as error:
            messages.error(self.request, error.message)
            name = (
                "rounds:plan_detail" if isinstance(record, CoveragePlan) else "rounds:round_detail"
            )
            return redirect(reverse(name, args=[record.pk]))
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusal() or super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusal() or super().post(request, *args, **kwargs)  # type: ignore[misc]
