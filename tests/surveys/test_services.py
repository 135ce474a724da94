import threading

import pytest
from django.db import connection, connections

from accounts.errors import DomainError
from rounds.models import Inspection
from rounds.taxonomy import Stage
from surveys import services
from surveys.models import Answer, Response, ResponseCode, Survey, SurveyQuestion
from tests.surveys.helpers import answers_for, getter, make_survey, submit
from xuncha.tenancy import org_scope


def _code(survey, actor, count: int = 1) -> str:
    batch = services.issue_codes(survey=survey, actor=actor, label="干部大会", count=count)
    return batch.codes.order_by("pk").first().code


def test_a_code_answers_once(org, office_user):
    survey = make_survey(org, office_user)
    code = _code(survey, office_user, 2)
    submit(survey, answers_for(survey), channel="code", code=code)
    with pytest.raises(DomainError):
        submit(survey, answers_for(survey), channel="code", code=code)
    assert Response.objects.for_org(org).filter(survey=survey).count() == 1


def test_a_code_of_another_survey_is_refused(org, office_user):
    first, second = make_survey(org, office_user), make_survey(org, office_user)
    code = _code(first, office_user)
    with pytest.raises(DomainError):
        submit(second, answers_for(second), channel="code", code=code)
    assert not Response.objects.for_org(org).exists()


def test_a_refused_answer_leaves_the_code_unused(org, office_user):
    survey = make_survey(org, office_user)
    code = services.issue_codes(survey=survey, actor=office_user, label="会", count=1).codes.get()
    with pytest.raises(services.AnswerErrors):
        submit(survey, {}, channel="code", code=code.code)
    assert ResponseCode.objects.for_org(org).get(pk=code.pk).used_on is None
    assert not Answer.objects.for_org(org).exists()


@pytest.mark.django_db(transaction=True)
def test_two_phones_sending_one_code_at_once_make_one_response(org, office_user):
    survey = make_survey(org, office_user)
    code = _code(survey, office_user)
    data = answers_for(survey)
    barrier, outcomes = threading.Barrier(2), []

    def send() -> None:
        with org_scope(org):
            barrier.wait()
            try:
                submit(
                    Survey.objects.for_org(org).get(pk=survey.pk), data, channel="code", code=code
                )
                outcomes.append("in")
            except DomainError:
                outcomes.append("refused")
            finally:
                connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["in", "refused"]
    assert Response.objects.for_org(org).filter(survey=survey).count() == 1


def test_codes_are_typable_and_unique(org, office_user):
    survey = make_survey(org, office_user)
    services.issue_codes(survey=survey, actor=office_user, label="会", count=200)
    codes = list(ResponseCode.objects.for_org(org).values_list("code", flat=True))
    assert len(set(codes)) == 200
    assert all(
        len(code) == 9 and set(code.replace("-", "")) <= set(services.CODE_ALPHABET)
        for code in codes
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("k7m4 9qxp", "K7M4-9QXP"), ("K7M49QXP", "K7M4-9QXP"), ("K7M4-9QX", ""), ("O0O0-0000", "")],
)
def test_a_typed_code_is_read_as_printed(typed, stored):
    assert services.normalize_code(typed) == stored


def test_the_open_link_stops_at_its_cap(org, office_user):
    survey = make_survey(org, office_user, expected_respondents=1)  # cap: 2
    submit(survey, answers_for(survey))
    submit(survey, answers_for(survey))
    with pytest.raises(DomainError, match="上限"):
        submit(survey, answers_for(survey))
    assert Response.objects.for_org(org).filter(survey=survey).count() == 2


def test_a_survey_without_open_link_refuses_the_link(org, office_user):
    survey = make_survey(org, office_user, open_link=False)
    with pytest.raises(DomainError):
        submit(survey, answers_for(survey))


def test_a_closed_survey_refuses_answers(org, office_user):
    survey = make_survey(org, office_user)
    services.close_survey(survey=survey, actor=office_user)
    with pytest.raises(DomainError, match="不接受作答"):
        submit(survey, answers_for(survey))


def test_answers_end_with_the_on_site_stage(org, office_user):
    survey = make_survey(org, office_user)
    Inspection.objects.for_org(org).filter(pk=survey.inspection_id).update(stage=Stage.REPORTING)
    survey.inspection.refresh_from_db()
    assert services.accepts_answers(survey) is False
    with pytest.raises(DomainError):
        submit(Survey.objects.for_org(org).get(pk=survey.pk), answers_for(survey))


def test_a_grid_survey_opens_only_with_its_leaders(org, office_user):
    survey = make_survey(org, office_user)
    services.close_survey(survey=survey, actor=office_user)
    draft = services.create_survey(
        inspection=survey.inspection, actor=office_user, template=survey.template, unit=survey.unit
    )
    with pytest.raises(DomainError, match="测评对象"):
        services.open_survey(survey=draft, actor=office_user)


def test_leaders_are_fixed_once_answers_are_in(org, office_user):
    survey = make_survey(org, office_user)
    submit(survey, answers_for(survey))
    with pytest.raises(DomainError):
        services.set_subjects(survey=survey, actor=office_user, subjects=[("赵六", "副总经理")])


def test_editing_a_template_leaves_a_running_survey_as_it_was(org, office_user):
    survey = make_survey(org, office_user)
    question = survey.template.questions.order_by("position").first()
    services.save_template_question(
        template=survey.template,
        actor=office_user,
        question=question,
        kind="single",
        text="改过的题目",
        options=services.parse_options("+好\n差"),
    )
    texts = list(
        SurveyQuestion.objects.for_org(org).filter(survey=survey).values_list("text", flat=True)
    )
    assert "改过的题目" not in texts


def test_options_typed_with_a_plus_count_as_satisfied():
    options = services.parse_options("+满意\n＋基本满意\n不满意\n\n")
    assert [(row["label"], row["positive"]) for row in options] == [
        ("满意", True),
        ("基本满意", True),
        ("不满意", False),
    ]


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"overall": "9"}, "选择一个选项"),  # an option that is not one
        ({"grade": "excellent"}, "一个等次"),
    ],
)
def test_answers_outside_the_options_are_refused(org, office_user, values, error):
    survey = make_survey(org, office_user)
    with pytest.raises(services.AnswerErrors) as refused:
        submit(survey, answers_for(survey, **values))
    assert error in " ".join(refused.value.errors.values())
    assert not Response.objects.for_org(org).exists()


def test_a_grid_row_of_another_survey_is_not_an_answer(org, office_user):
    survey, other = make_survey(org, office_user), make_survey(org, office_user)
    data = answers_for(survey)
    grid = survey.questions.get(kind="grid")
    first_row = next(name for name in data if name.startswith(f"q{grid.pk}_s"))
    del data[first_row]
    data[f"q{grid.pk}_s{other.subjects.first().pk}"] = ["good"]
    with pytest.raises(services.AnswerErrors):
        submit(survey, data)


def test_a_long_text_is_refused_and_control_characters_dropped(org, office_user):
    survey = make_survey(org, office_user)
    with pytest.raises(services.AnswerErrors):
        submit(survey, answers_for(survey, text="意" * 2001))
    submit(survey, answers_for(survey, text="好\x00的\x07建议"))
    assert Answer.objects.for_org(org).exclude(text="").get().text == "好的建议"


def test_the_response_tables_have_no_column_for_who_answered(db):
    for model in (Response, Answer):
        columns = {field.column for field in model._meta.concrete_fields}
        with connection.cursor() as cursor:
            described = connection.introspection.get_table_description(cursor, model._meta.db_table)
        assert {row.name for row in described} == columns
        assert not columns & {"ip", "ip_address", "user_agent", "user_id", "code_id", "created_at"}


def test_a_survey_made_in_a_closed_inspection_is_refused(org, office_user):
    survey = make_survey(org, office_user)
    Inspection.objects.for_org(org).filter(pk=survey.inspection_id).update(stage=Stage.CLOSED)
    with pytest.raises(DomainError):
        services.issue_codes(survey=survey, actor=office_user, label="会", count=1)


def test_services_read_posted_values_through_a_getter(org, office_user):
    survey = make_survey(org, office_user)
    response = services.submit_response(
        survey=survey, channel="link", get=getter(answers_for(survey))
    )
    assert response.submitted_on is not None


def test_using_a_code_leaves_no_event_tying_the_slip_to_the_answers(org, office_user):
    from history.tracking import event_model

    survey = make_survey(org, office_user)
    code = _code(survey, office_user)
    events = event_model(ResponseCode).objects.filter(pgh_obj__survey=survey)
    before = events.count()
    submit(survey, answers_for(survey), channel="code", code=code)
    assert events.count() == before
