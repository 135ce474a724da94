"""The public answer pages (no sign-in; in ``xuncha.tenancy.PUBLIC_URL_NAMES``), made for a
phone: ``/s/`` takes a printed one-time code, ``/s/<token>/`` is a survey's open link, and
``/a/<token>/survey/?unit=`` leads from the announcement's QR code to the unit's open survey.

Each resolves the organization from what it was given (code or token), then runs in that
organization's scope. A wrong token, a draft or closed survey and an unknown unit are one
404 body; a wrong, used or closed code is one message. Nothing of the client — address,
browser — reaches the services: the limits keep a hashed count in the cache only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError
from rounds.selectors.announcements import (
    announcement_organization,
    announcement_public_get,
    announcement_unit_list,
)
from rounds.services.announcements import accepts_input
from surveys import limits, services
from surveys.answers import field_name
from surveys.models import Kind, Response, Survey
from surveys.selectors import (
    TOKEN,
    survey_by_code,
    survey_by_token,
    survey_open_list,
    survey_public_get,
    survey_question_list,
    survey_subject_list,
)
from xuncha.tenancy import org_scope

HONEYPOT = "website"


def _not_found(request: HttpRequest) -> HttpResponse:
    # One body for every refusal of a token, naming neither the address nor the visitor.
    return render(request, "surveys/public/not_found.html", status=404)


def _message(request: HttpRequest, text: str, *, status: int, **context: Any) -> HttpResponse:
    return render(request, "surveys/public/message.html", {"text": text, **context}, status=status)


def _form_context(
    survey: Survey, posted: Any = None, errors: dict[int, str] | None = None
) -> dict[str, Any]:
    """The questions as the form shows them, with what was posted and the errors."""
    subjects = list(survey_subject_list(survey=survey))
    errors = errors or {}
    items = []
    for question in survey_question_list(survey=survey):
        item: dict[str, Any] = {
            "question": question,
            "name": field_name(question),
            "choices": question.choices(),
            "error": errors.get(question.pk, ""),
            "values": posted.getlist(field_name(question)) if posted is not None else [],
        }
        if question.kind == Kind.GRID:
            item["rows"] = [
                {
                    "subject": subject,
                    "name": field_name(question, subject),
                    "value": posted.get(field_name(question, subject), "") if posted else "",
                }
                for subject in subjects
            ]
        if question.kind == Kind.RATING:
            item["scale"] = [str(grade) for grade in range(1, question.scale + 1)]
        items.append(item)
    return {"survey": survey, "items": items, "organization": survey.organization}


def _form(
    request: HttpRequest, survey: Survey, *, status: int = 200, **context: Any
) -> HttpResponse:
    posted = context.pop("posted", None)
    errors = context.pop("errors", None)
    return render(
        request,
        "surveys/public/form.html",
        {**_form_context(survey, posted, errors), "has_errors": bool(errors), **context},
        status=status,
    )


def _thanks(request: HttpRequest, survey: Survey) -> HttpResponse:
    context = {"survey": survey, "organization": survey.organization}
    return render(request, "surveys/public/thanks.html", context)


def _post_getter(request: HttpRequest) -> Any:
    return lambda name: request.POST.getlist(name)


# --- One-time codes -------------------------------------------------------------------------


def _bad_code(request: HttpRequest, typed: str) -> HttpResponse:
    limits.count_code_failure(request)
    error = _("This code is not valid, has been used, or its survey is no longer taking answers.")
    return render(
        request, "surveys/public/code.html", {"error": error, "typed": typed[:20]}, status=400
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        _("Too many attempts from this network: wait a quarter of an hour and try again."),
        status=429,
    )


@require_http_methods(["GET", "POST"])
def survey_code(request: HttpRequest) -> HttpResponse:
    """Type the code of a slip (or scan its QR code, ``?code=``), then answer."""
    source = request.POST if request.method == "POST" else request.GET
    typed = source.get("code", "")
    if not typed:
        return render(request, "surveys/public/code.html", {"typed": ""})
    if limits.code_guessing_blocked(request):
        return _too_many(request)
    code = services.normalize_code(typed)
    found = survey_by_code(code=code)
    if found is None:
        return _bad_code(request, typed)
    with org_scope(found.organization):
        survey = survey_public_get(org=found.organization, pk=found.pk)
        if not services.accepts_answers(survey):
            return _bad_code(request, typed)
        if request.method == "GET":
            return _form(request, survey, code=code)
        if request.POST.get(HONEYPOT):
            return _message(request, _("Your answers could not be accepted."), status=400)
        try:
            services.submit_response(
                survey=survey, channel=Response.Channel.CODE, get=_post_getter(request), code=code
            )
        except services.AnswerErrors as refused:
            return _form(
                request, survey, status=400, code=code, posted=request.POST, errors=refused.errors
            )
        except DomainError:
            return _bad_code(request, typed)
        return _thanks(request, survey)


# --- The open link --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    found = survey_by_token(token=token)
    if found is None:
        return _not_found(request)
    with org_scope(found.organization):
        survey = survey_public_get(org=found.organization, pk=found.pk)
        if survey.status != Survey.Status.OPEN:
            return _not_found(request)
        context = {"organization": survey.organization, "survey": survey}
        if not services.owner_accepts_input(survey):
            text = _("The on-site stage of this inspection has ended: it no longer takes answers.")
            return _message(request, text, status=200, **context)
        if limits.has_answered(request, token):
            text = _("This browser has already answered this survey. Thank you.")
            return _message(request, text, status=200, **context)
        if request.method == "GET":
            return _form(request, survey)
        if limits.link_blocked(request):
            return _too_many(request)
        if request.POST.get(HONEYPOT):
            return _message(request, _("Your answers could not be accepted."), status=400)
        try:
            services.submit_response(
                survey=survey, channel=Response.Channel.LINK, get=_post_getter(request)
            )
        except services.AnswerErrors as refused:
            return _form(request, survey, status=400, posted=request.POST, errors=refused.errors)
        except DomainError as refused:
            return _message(request, refused.message, status=400, **context)
        limits.count_link_answer(request)
        response = _thanks(request, survey)
        limits.mark_answered(response, token)
        return response


# --- From the announcement's QR code --------------------------------------------------------


@require_http_methods(["GET"])
def announcement_survey(request: HttpRequest, token: str) -> HttpResponse:
    """The open surveys of the unit named by ``?unit=`` (the inspected unit by default): one is
    opened at once, several are listed, none is said."""
    org = announcement_organization(token=token) if TOKEN.fullmatch(token) else None
    if org is None:
        return _not_found(request)
    with org_scope(org):
        announcement = announcement_public_get(org=org, token=token)
        if announcement is None:
            return _not_found(request)
        inspection = announcement.inspection
        unit = inspection.unit
        unit_key = request.GET.get("unit", "")
        if unit_key:
            units = {str(row.pk): row for row in announcement_unit_list(inspection=inspection)}
            if unit_key not in units:
                return _not_found(request)
            unit = units[unit_key]
        surveys = list(survey_open_list(inspection=inspection, unit=unit))
        if len(surveys) == 1 and accepts_input(inspection):
            return redirect("surveys:survey_link", token=surveys[0].token)
        return render(
            request,
            "surveys/public/choose.html",
            {
                "organization": org,
                "unit": unit,
                "surveys": surveys if accepts_input(inspection) else [],
                "closed": not accepts_input(inspection),
            },
        )
