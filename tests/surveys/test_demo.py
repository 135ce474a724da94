import pytest

from accounts.demo import seed_accounts
from accounts.models import Organization
from rounds.demo import seed_rounds
from surveys.demo import seed_surveys
from surveys.models import Response, Survey
from surveys.selectors import survey_results
from xuncha.tenancy import org_scope


@pytest.fixture
def demo(db):
    seed_accounts()
    seed_rounds()
    seed_surveys()
    return Organization.objects.get(code="sctelecom")


def test_the_demo_evaluation_has_twenty_responses_by_both_channels(demo):
    with org_scope(demo):
        survey = Survey.objects.for_org(demo).get(purpose="evaluation")
        results = survey_results(survey=survey)
        assert (results.responses, results.by_channel) == (20, {"code": 14, "link": 6})
        assert [row.label for row in results.grid.rows] == ["张明", "李华", "王磊", "刘芳", "陈刚"]
        assert results.satisfaction >= 90  # 综合满意度90%以上


def test_seeding_twice_changes_nothing(demo):
    seed_surveys()
    with org_scope(demo):
        assert Survey.objects.for_org(demo).count() == 2
        assert Response.objects.for_org(demo).count() == 28
