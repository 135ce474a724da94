"""Reading a posted survey form into answers: every question checked against the survey's own
questions and leaders, nothing trusted from the form. Field names: ``q<question>`` (one value;
several for a multiple choice) and ``q<question>_s<leader>`` for a row of the grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from surveys.models import MAX_TEXT, Kind, SurveyQuestion, SurveySubject


@dataclass(frozen=True)
class Parsed:
    question_id: int
    subject_id: int | None = None
    choice: str = ""
    rating: int | None = None
    text: str = ""


def field_name(question: SurveyQuestion, subject: SurveySubject | None = None) -> str:
    return f"q{question.pk}" if subject is None else f"q{question.pk}_s{subject.pk}"


def _clean_text(value: str) -> str:
    return "".join(ch for ch in value if ch == "\n" or ch == "\t" or ord(ch) >= 32).strip()


def _single(question: SurveyQuestion, values: list[str], keys: set[str]) -> list[Parsed]:
    if len(values) > 1 or values[0] not in keys:
        raise ValueError(_("Choose one of the options."))
    return [Parsed(question.pk, choice=values[0])]


def _multiple(question: SurveyQuestion, values: list[str], keys: set[str]) -> list[Parsed]:
    chosen = set(values)
    if not chosen <= keys:
        raise ValueError(_("Choose among the options."))
    return [Parsed(question.pk, choice=key) for key in sorted(chosen)]


def _rating(question: SurveyQuestion, values: list[str], keys: set[str]) -> list[Parsed]:
    value = values[0] if len(values) == 1 else ""
    if not value.isdigit() or not 1 <= int(value) <= question.scale:
        raise ValueError(_("Give a rating from 1 to %(scale)s.") % {"scale": question.scale})
    return [Parsed(question.pk, rating=int(value))]


def _text(question: SurveyQuestion, values: list[str], keys: set[str]) -> list[Parsed]:
    text = _clean_text(values[0]) if len(values) == 1 else ""
    if len(text) > MAX_TEXT:
        raise ValueError(_("Keep the answer within %(limit)s characters.") % {"limit": MAX_TEXT})
    return [Parsed(question.pk, text=text)] if text else []


_READERS: dict[str, Callable[[SurveyQuestion, list[str], set[str]], list[Parsed]]] = {
    Kind.SINGLE: _single,
    Kind.MULTIPLE: _multiple,
    Kind.RATING: _rating,
    Kind.TEXT: _text,
}


def _grid(
    question: SurveyQuestion,
    subjects: Sequence[SurveySubject],
    get: Callable[[str], list[str]],
) -> list[Parsed]:
    keys = {option["key"] for option in question.choices()}
    parsed, missing = [], False
    for subject in subjects:
        values = [value for value in get(field_name(question, subject)) if value]
        if not values:
            missing = True
            continue
        if len(values) > 1 or values[0] not in keys:
            raise ValueError(_("Choose one grade for each leader."))
        parsed.append(Parsed(question.pk, subject_id=subject.pk, choice=values[0]))
    if missing and (question.required or parsed):
        raise ValueError(_("Grade every leader."))
    return parsed


def parse_answers(
    *,
    questions: Sequence[SurveyQuestion],
    subjects: Sequence[SurveySubject],
    get: Callable[[str], list[str]],
) -> tuple[list[Parsed], dict[int, str]]:
    """The answers in the posted values (``get(name)`` → the list posted under ``name``) and
    the errors by question id. Unknown fields are ignored; an unknown option is an error."""
    answers: list[Parsed] = []
    errors: dict[int, str] = {}
    for question in questions:
        try:
            if question.kind == Kind.GRID:
                found = _grid(question, subjects, get)
            else:
                values = [value for value in get(field_name(question)) if value != ""]
                found = (
                    _READERS[question.kind](
                        question, values, {option["key"] for option in question.choices()}
                    )
                    if values
                    else []
                )
            if question.required and not found:
                raise ValueError(_("Answer this question."))
        except ValueError as error:
            errors[question.pk] = str(error)
            continue
        answers.extend(found)
    return answers, errors
