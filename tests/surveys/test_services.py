import pytest

from accounts.errors import DomainError
from surveys import services
from surveys.models import Answer, Response, ResponseCode
from tests.surveys.helpers import answers_for, make_survey, submit


def test_a_code_answers_once(org, office_user):
    survey = make_survey(org, office_user)
    batch = services.issue_codes(survey=survey, actor=office_user, label="干部大会", count=2)
    code = batch.codes.first().code
    submit(survey, answers_for(survey), channel="code", code=code)
    with pytest.raises(DomainError):
        submit(survey, answers_for(survey), channel="code", code=code)
    assert Response.objects.for_org(org).filter(survey=survey).count() == 1


def test_a_refused_answer_leaves_the_code_unused(org, office_user):
    survey = make_survey(org, office_user)
    code = services.issue_codes(survey=survey, actor=office_user, label="会", count=1).codes.get()
    with pytest.raises(services.AnswerErrors):
        submit(survey, {}, channel="code", code=code.code)
    assert ResponseCode.objects.for_org(org).get(pk=code.pk).used_on is None
    assert not Answer.objects.for_org(org).exists()
