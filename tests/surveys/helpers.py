"""Surveys made through the services, as the team makes them, and answers posted as a phone
posts them."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import QueryDict

from rounds.taxonomy import Stage
from surveys import services
from surveys.models import Kind, Response, Survey
from tests.factories import InspectionFactory, TeamFactory

LEADERS = [("张明", "党委书记、总经理"), ("李华", "党委副书记、纪委书记"), ("王磊", "副总经理")]


def make_survey(
    org, actor, *, inspection=None, purpose: str = "evaluation", open_link: bool = True, **kwargs
) -> Survey:
    """An open survey of a default template (民主测评 with its grid, or 满意度问卷)."""
    if inspection is None:
        inspection = InspectionFactory(
            organization=org,
            round__organization=org,
            stage=Stage.ONSITE,
            team=TeamFactory(round__organization=org),
        )
    templates = services.ensure_default_templates(org=org)
    template = next(row for row in templates if row.purpose == purpose)
    survey = services.create_survey(
        inspection=inspection,
        actor=actor,
        template=template,
        unit=inspection.unit,
        expected_respondents=kwargs.pop("expected_respondents", 10),
        open_link=open_link,
        **kwargs,
    )
    services.set_subjects(survey=survey, actor=actor, subjects=LEADERS)
    return services.open_survey(survey=survey, actor=actor)


def answers_for(
    survey: Survey,
    *,
    overall: str = "1",
    grades: Mapping[int, str] | None = None,
    text: str = "",
    grade: str = "good",
) -> dict[str, list[str]]:
    """Posted values answering every question of ``survey``: the first option by default."""
    data: dict[str, list[str]] = {}
    subjects = list(survey.subjects.order_by("position"))
    for question in survey.questions.order_by("position"):
        if question.kind == Kind.GRID:
            for index, subject in enumerate(subjects):
                value = (grades or {}).get(index, grade)
                data[f"q{question.pk}_s{subject.pk}"] = [value]
        elif question.kind in {Kind.SINGLE, Kind.MULTIPLE}:
            data[f"q{question.pk}"] = [overall]
        elif question.kind == Kind.RATING:
            data[f"q{question.pk}"] = ["4"]
        elif text:
            data[f"q{question.pk}"] = [text]
    return data


def getter(data: Mapping[str, list[str]]):
    return lambda name: list(data.get(name, []))


def as_post(data: Mapping[str, list[str]]) -> QueryDict:
    post = QueryDict(mutable=True)
    for name, values in data.items():
        post.setlist(name, values)
    return post


def submit(
    survey: Survey, data: Mapping[str, list[str]], *, channel: str = "link", code: str = ""
) -> Response:
    return services.submit_response(survey=survey, channel=channel, get=getter(data), code=code)
