import pytest

from surveys.selectors import survey_results
from tests.surveys.helpers import answers_for, make_survey, submit


@pytest.fixture
def survey(org, office_user):
    return make_survey(org, office_user)


def _grid(results, name: str):
    return next(row for row in results.grid.rows if row.label == name)


def test_three_good_one_fairly_good_one_poor_is_80_percent_positive(survey):
    for grade in ("good", "good", "good", "fairly_good", "poor"):
        submit(survey, answers_for(survey, grade=grade))
    row = _grid(survey_results(survey=survey), "张明")
    assert [(option.label, option.count) for option in row.options] == [
        ("好", 3),
        ("较好", 1),
        ("一般", 0),
        ("差", 1),
    ]
    assert row.positive_percent == 80.0


def test_each_leader_has_their_own_grades(survey):
    submit(survey, answers_for(survey, grades={0: "good", 1: "average", 2: "poor"}))
    results = survey_results(survey=survey)
    assert [_grid(results, name).positive_percent for name in ("张明", "李华", "王磊")] == [
        100.0,
        0.0,
        0.0,
    ]


def test_the_response_rate_counts_responses_against_the_expected(survey):
    for _ in range(3):
        submit(survey, answers_for(survey))
    results = survey_results(survey=survey)
    assert (results.responses, results.expected, results.response_rate) == (3, 10, 30.0)


def test_overall_satisfaction_counts_every_choice_answer(survey):
    # Overall 好 (positive), leaders 好/一般/差: 2 positive of 4 answers.
    submit(survey, answers_for(survey, overall="1", grades={0: "good", 1: "average", 2: "poor"}))
    assert survey_results(survey=survey).satisfaction == 50.0


def test_satisfied_options_are_the_positive_ones(org, office_user):
    survey = make_survey(org, office_user, purpose="satisfaction")
    for choice in ("1", "2", "3", "1"):  # 满意, 基本满意, 不满意, 满意
        submit(survey, answers_for(survey, overall=choice))
    first = survey_results(survey=survey).questions[0]
    assert first.positive_percent == 75.0


def test_a_rating_has_its_average(org, office_user):
    survey = make_survey(org, office_user, purpose="satisfaction")
    submit(survey, answers_for(survey))
    rating = next(q for q in survey_results(survey=survey).questions if q.question.kind == "rating")
    assert (rating.answered, rating.average) == (1, 4.0)


def test_no_responses_show_no_figures(survey):
    results = survey_results(survey=survey)
    assert (results.responses, results.satisfaction, results.response_rate) == (0, None, 0.0)


def test_the_channels_are_counted_apart(survey, office_user):
    from surveys import services

    code = services.issue_codes(survey=survey, actor=office_user, label="会", count=1).codes.get()
    submit(survey, answers_for(survey), channel="code", code=code.code)
    submit(survey, answers_for(survey))
    assert survey_results(survey=survey).by_channel == {"code": 1, "link": 1}


@pytest.mark.parametrize("responses", [2, 20])
def test_the_results_cost_the_same_for_few_and_many_responses(
    survey, django_assert_num_queries, responses
):
    for index in range(responses):
        submit(survey, answers_for(survey, grade=("good", "poor")[index % 2], text=f"意见{index}"))
    with django_assert_num_queries(5):
        results = survey_results(survey=survey)
    assert results.responses == responses
