"""The public answer pages: a printed code, the open link, the announcement's QR code."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rounds.models import Inspection
from rounds.taxonomy import Stage
from surveys import limits, services
from surveys.models import Answer, Response
from tests.factories import AnnouncementFactory
from tests.surveys.helpers import answers_for, as_post, make_survey

CODE_URL = reverse("surveys:survey_code")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(org, office_user):
    return make_survey(org, office_user)


@pytest.fixture
def code(survey, office_user) -> str:
    batch = services.issue_codes(survey=survey, actor=office_user, label="干部大会", count=2)
    return batch.codes.order_by("pk").first().code


def _link(survey) -> str:
    return reverse("surveys:survey_link", args=[survey.token])


def _responses(org) -> int:
    return Response.objects.for_org(org).count()


def test_a_slips_code_opens_the_form(client, survey, code):
    response = client.get(CODE_URL, {"code": code.lower()})
    assert response.status_code == 200
    assert "张明" in response.content.decode()


def test_a_code_takes_one_response(client, org, survey, code):
    data = as_post({**answers_for(survey), "code": [code]})
    assert "答卷已提交" in client.post(CODE_URL, data).content.decode()
    again = client.post(CODE_URL, data)
    assert again.status_code == 400
    assert "已使用" in again.content.decode()
    assert _responses(org) == 1


def test_an_unknown_code_reads_as_a_used_one(client, survey, code):
    client.post(CODE_URL, as_post({**answers_for(survey), "code": [code]}))
    used = client.get(CODE_URL, {"code": code}).content
    unknown = client.get(CODE_URL, {"code": "AAAA-AAAA"}).content
    assert used.replace(code.encode(), b"") == unknown.replace(b"AAAA-AAAA", b"")


def test_guessing_codes_is_stopped(client, survey, code):
    for _ in range(limits.CODE_FAILURES):
        client.get(CODE_URL, {"code": "AAAA-AAAA"})
    response = client.get(CODE_URL, {"code": code})
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


def test_the_open_link_takes_an_answer_and_marks_the_browser(client, org, survey):
    response = client.post(_link(survey), as_post(answers_for(survey)))
    assert "答卷已提交" in response.content.decode()
    again = client.post(_link(survey), as_post(answers_for(survey)))
    assert "已提交过" in again.content.decode()
    assert _responses(org) == 1


def test_the_honeypot_changes_nothing(client, org, survey):
    response = client.post(_link(survey), as_post({**answers_for(survey), "website": ["x"]}))
    assert response.status_code == 400
    assert _responses(org) == 0


def test_a_client_sending_too_many_answers_is_made_to_wait(client, org, survey, monkeypatch):
    monkeypatch.setattr(limits, "LINK_ANSWERS", 1)
    client.post(_link(survey), as_post(answers_for(survey)))
    client.cookies.clear()
    response = client.post(_link(survey), as_post(answers_for(survey)))
    assert response.status_code == 429
    assert _responses(org) == 1


def test_the_open_link_stops_with_the_on_site_stage(client, org, survey):
    Inspection.objects.for_org(org).filter(pk=survey.inspection_id).update(stage=Stage.REPORTING)
    response = client.post(_link(survey), as_post(answers_for(survey)))
    assert "现场巡察阶段已结束" in response.content.decode()
    assert _responses(org) == 0


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"q999999": ["1"]},
        {"q{single}": ["../../etc"], "q{single}_s1": ["good"]},
        {"q{single}": ["1"] * 50},
        {"q{single}": ["1"], "q{text}": ["长" * 100000]},
        {"q{single}": ["1\x00"], "q{text}": ["\x00\x00"]},
    ],
    ids=["nothing", "unknown-question", "unknown-option", "repeated", "huge-text", "nul"],
)
def test_hostile_answers_change_nothing(client, org, survey, posted):
    single = survey.questions.get(position=1).pk
    text = survey.questions.get(kind="text").pk
    data = {k.format(single=single, text=text): v for k, v in posted.items()}
    response = client.post(_link(survey), as_post(data))
    assert response.status_code == 400
    assert _responses(org) == 0
    assert not Answer.objects.for_org(org).exists()


def test_a_bad_answer_is_shown_with_what_was_typed(client, survey):
    data = answers_for(survey, text="我的意见")
    del data[f"q{survey.questions.get(position=1).pk}"]
    body = client.post(_link(survey), as_post(data)).content.decode()
    assert "请回答本题" in body
    assert "我的意见" in body


def _not_found_bodies(client, org, survey, office_user) -> set[bytes]:
    draft = services.create_survey(
        inspection=survey.inspection,
        actor=office_user,
        template=survey.template,
        unit=survey.unit,
        open_link=True,
    )
    closed = make_survey(org, office_user, inspection=survey.inspection)
    services.close_survey(survey=closed, actor=office_user)
    announcement = AnnouncementFactory(inspection=survey.inspection, published_at=timezone.now())
    urls = [
        reverse("surveys:survey_link", args=["not-a-token"]),
        "/s/bad%00token/",
        "/a/bad%00token/survey/",
        _link(draft),
        _link(closed),
        reverse("surveys:announcement_survey", args=["not-a-token"]),
        reverse("surveys:announcement_survey", args=[announcement.token]) + "?unit=999999",
    ]
    responses = [client.get(url) for url in urls]
    assert {response.status_code for response in responses} == {404}
    return {response.content for response in responses}


def test_every_wrong_address_is_the_same_not_found(client, org, survey, office_user):
    assert len(_not_found_bodies(client, org, survey, office_user)) == 1


def test_the_announcement_leads_to_the_units_open_survey(client, survey):
    announcement = AnnouncementFactory(inspection=survey.inspection, published_at=timezone.now())
    url = reverse("surveys:announcement_survey", args=[announcement.token])
    response = client.get(url, {"unit": survey.unit_id})
    assert response.status_code == 302
    assert response["Location"] == _link(survey)


def test_the_announcement_says_when_no_survey_is_open(client, survey, office_user):
    services.close_survey(survey=survey, actor=office_user)
    announcement = AnnouncementFactory(inspection=survey.inspection, published_at=timezone.now())
    response = client.get(reverse("surveys:announcement_survey", args=[announcement.token]))
    assert "当前没有进行中的问卷" in response.content.decode()


def _every_row_as_text() -> str:
    tables = [
        "surveys_response",
        "surveys_answer",
        "surveys_responsecode",
        "surveys_responseevent",
        "surveys_answerevent",
        "surveys_responsecodeevent",
    ]
    with connection.cursor() as cursor:
        texts = []
        for table in tables:
            cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608
            texts += [row[0] for row in cursor.fetchall()]
    return "\n".join(texts)


def test_nothing_of_the_client_is_kept(client, survey, code, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    headers = {"HTTP_X_FORWARDED_FOR": "203.0.113.77", "HTTP_USER_AGENT": "PhoneBrowser/9.9"}
    client.post(CODE_URL, as_post({**answers_for(survey, text="意见"), "code": [code]}), **headers)
    client.post(_link(survey), as_post(answers_for(survey)), **headers)
    stored = _every_row_as_text()
    assert stored.count('"channel"') >= 2  # the responses are there
    assert "203.0.113.77" not in stored
    assert "PhoneBrowser" not in stored
    assert code not in stored.replace(f'"code":"{code}"', "")  # only on its own slip row
