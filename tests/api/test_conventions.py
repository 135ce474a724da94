"""The API's conventions, shown on the units resource: who the caller is (token or session),
throttling, the error body and its language, cursor pages, ETag / If-Match."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, Membership, Unit
from accounts.roles import Role
from accounts.tokens import create_api_token, revoke_api_token
from tests.conftest import make_api_token
from tests.factories import MembershipFactory, UnitFactory

UNITS = "/api/units/"


def _bearer(key: str, **headers: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}", **headers})


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


@pytest.fixture
def key(admin_user, org) -> str:
    return make_api_token(admin_user, org)


# --- Who the caller is -----------------------------------------------------------------------


def test_a_token_calls_as_its_membership(key, unit_tree):
    response = _bearer(key).get(UNITS)

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == [
        "成都分公司",
        "锦江区分公司",
        "春熙路分局",
        "绵阳分公司",
    ]


def test_a_token_of_another_organization_sees_none_of_ours(outsider, other_org, unit_tree):
    response = _bearer(make_api_token(outsider, other_org)).get(UNITS)

    assert response.json()["results"] == []
    assert _bearer(make_api_token(outsider, other_org)).get(
        f"{UNITS}{unit_tree['chengdu'].pk}/"
    ).json() == {"code": "not_found", "message": "未找到。", "fields": {}}


def test_a_liaisons_token_sees_only_the_granted_unit(liaison_user, org, unit_tree):
    from accounts.services import set_granted_units

    membership = Membership.objects.for_org(org).get(user=liaison_user)
    set_granted_units(membership=membership, actor=None, units=[unit_tree["jinjiang"]])

    response = _bearer(make_api_token(liaison_user, org)).get(UNITS)

    assert [row["name"] for row in response.json()["results"]] == ["锦江区分公司"]


@pytest.mark.parametrize(
    "header",
    ["Bearer xc_nothing_here", "Bearer not-even-ours", "Bearer "],
    ids=["unknown", "foreign", "empty"],
)
def test_a_key_that_is_not_one_is_refused_with_401(header, unit_tree, db):
    response = Client(headers={"Authorization": header}).get(UNITS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_is_refused(admin_user, org, unit_tree):
    membership = Membership.objects.for_org(org).get(user=admin_user)
    token, key = create_api_token(
        membership=membership, actor=admin_user, actor_membership=membership, name="OA"
    )
    revoke_api_token(token=token, actor=admin_user, actor_membership=membership)

    response = _bearer(key).get(UNITS)

    assert response.status_code == 401
    assert response.json()["message"] == "API 令牌无效、已过期或已撤销。"


def test_an_expired_token_is_refused(admin_user, org, unit_tree):
    membership = Membership.objects.for_org(org).get(user=admin_user)
    token, key = create_api_token(
        membership=membership,
        actor=admin_user,
        actor_membership=membership,
        name="OA",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    ApiToken.objects.for_org(org).filter(pk=token.pk).update(expires_at=timezone.now())

    assert _bearer(key).get(UNITS).status_code == 401


def test_a_deactivated_membership_takes_its_tokens_with_it(admin_user, org, key, unit_tree):
    Membership.objects.for_org(org).filter(user=admin_user).update(is_active=False)

    assert _bearer(key).get(UNITS).status_code == 401


def test_a_call_records_when_the_token_was_last_used(key, org):
    _bearer(key).get(UNITS)

    token = ApiToken.objects.for_org(org).get()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=30)


def test_only_a_digest_of_the_key_is_stored(key, org):
    token = ApiToken.objects.for_org(org).get()

    assert key not in (token.digest, token.prefix, token.name)
    assert key.startswith(f"xc_{token.prefix}_")


def test_a_token_needs_no_second_factor_even_where_the_session_would(admin_user, org, unit_tree):
    org.two_factor_roles = [Role.ORG_ADMIN]
    org.save(update_fields=["two_factor_roles"])

    assert _bearer(make_api_token(admin_user, org)).get(UNITS).status_code == 200


def test_a_session_still_reads_the_api(login, admin_user, unit_tree):
    assert login(admin_user).get(UNITS).status_code == 200


def test_a_session_write_needs_the_csrf_token(admin_user, unit_tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(UNITS, **_json({"name": "金牛区分公司", "code": "jn"}))

    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not Unit.objects.filter(code="jn").exists()


def test_a_token_write_needs_no_csrf_token(key, unit_tree):
    response = _bearer(key).post(UNITS, **_json({"name": "金牛区分公司", "code": "jn"}))

    assert response.status_code == 201
    assert Unit.objects.get(code="jn").name == "金牛区分公司"


# --- Throttling ------------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings):
    settings.API_TOKEN_RATE = "3/minute"
    cache.clear()
    yield
    cache.clear()


def test_a_token_is_throttled_on_its_own(three_a_minute, admin_user, org, unit_tree):
    first, second = make_api_token(admin_user, org), make_api_token(admin_user, org)
    statuses = [_bearer(first).get(UNITS).status_code for _ in range(4)]

    throttled = _bearer(first).get(UNITS)

    assert statuses == [200, 200, 200, 429]
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert _bearer(second).get(UNITS).status_code == 200


# --- The error body --------------------------------------------------------------------------


def test_invalid_values_name_their_fields_in_chinese_by_default(key, unit_tree):
    response = _bearer(key).post(UNITS, **_json({"code": "jn", "kind": "castle"}))

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "请检查填写的内容。",
        "fields": {"name": ["此项为必填项。"], "kind": ["“castle” 不是合法选项。"]},
    }


def test_the_caller_chooses_the_language(key, unit_tree):
    response = _bearer(key, **{"Accept-Language": "en"}).post(UNITS, **_json({"code": "jn"}))

    assert response.json()["message"] == "Check the values entered."
    assert response.json()["fields"] == {"name": ["This field is required."]}


def test_a_business_rule_refuses_with_the_pages_message(key, unit_tree):
    response = _bearer(key).post(UNITS, **_json({"name": "又一个成都", "code": "cd"}))

    assert response.status_code == 400
    assert response.json() == {
        "code": "refused",
        "message": "编码 cd 已被其他单位使用。",
        "fields": {},
    }


def test_a_body_that_is_not_json_is_a_parse_error(key, unit_tree):
    response = _bearer(key).post(UNITS, data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_an_address_no_route_matches_answers_in_the_error_shape(key):
    response = _bearer(key).get("/api/no-such-resource/")

    assert response.status_code == 404
    assert "未找到" in response.content.decode()  # written as Chinese, not as \u escapes
    assert response.json() == {"code": "not_found", "message": "未找到。", "fields": {}}


def test_a_nul_character_in_the_query_is_refused_in_the_error_shape(key, unit_tree):
    response = _bearer(key).get(f"{UNITS}?kind=%00")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "网址中含有不允许的字符。",
        "fields": {},
    }


def test_an_oversized_body_is_refused_in_the_error_shape(key, settings):
    settings.MAX_UPLOAD_SIZE = 100

    response = _bearer(key).post(UNITS, **_json({"name": "金" * 200, "code": "jn"}))

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_filter_value_that_is_not_one_is_refused(key, unit_tree):
    response = _bearer(key).get(UNITS, {"kind": "castle"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["kind"]


def test_a_member_without_the_capability_is_refused_in_the_error_shape(office_user, org, unit_tree):
    response = _bearer(make_api_token(office_user, org)).post(
        UNITS, **_json({"name": "金牛区分公司", "code": "jn"})
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- Cursor pages ----------------------------------------------------------------------------


def test_a_cursor_walks_the_whole_list_once(key, org):
    made = [UnitFactory(organization=org, name=f"单位{index:02d}").name for index in range(7)]
    client, url, seen = _bearer(key), f"{UNITS}?page_size=3", []
    while url:
        page = client.get(url).json()
        seen += [row["name"] for row in page["results"]]
        url = page["next"]

    assert seen == made


def test_a_cursor_page_holds_steady_when_rows_are_added_before_it(key, org):
    for index in range(4):
        UnitFactory(organization=org, name=f"单位{index}", code=f"u{index}")
    client = _bearer(key)
    first = client.get(UNITS, {"page_size": 2, "ordering": "-code"}).json()
    UnitFactory(organization=org, name="新单位", code="u9")  # sorts first

    second = client.get(first["next"]).json()

    assert [row["code"] for row in second["results"]] == ["u1", "u0"]


def test_a_cursor_that_is_not_one_is_refused(key, unit_tree):
    response = _bearer(key).get(UNITS, {"cursor": "not-a-cursor"})

    assert response.status_code == 404
    assert response.json()["message"] == "分页游标无效，请从第一页开始。"


# --- ETag and If-Match -----------------------------------------------------------------------


@pytest.fixture
def chengdu_url(unit_tree) -> str:
    return f"{UNITS}{unit_tree['chengdu'].pk}/"


def test_a_record_carries_an_etag_that_changes_with_it(key, chengdu_url):
    client = _bearer(key)
    before = client.get(chengdu_url)["ETag"]
    client.patch(chengdu_url, headers={"If-Match": before}, **_json({"name": "成都市分公司"}))

    assert client.get(chengdu_url)["ETag"] not in {before, ""}


def test_an_update_without_if_match_is_refused_and_changes_nothing(key, chengdu_url, unit_tree):
    response = _bearer(key).patch(chengdu_url, **_json({"name": "成都市分公司"}))

    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    unit_tree["chengdu"].refresh_from_db()
    assert unit_tree["chengdu"].name == "成都分公司"


def test_two_systems_cannot_overwrite_each_other(key, chengdu_url, unit_tree):
    oa, warehouse = _bearer(key), _bearer(key)
    etag = oa.get(chengdu_url)["ETag"]
    assert warehouse.get(chengdu_url)["ETag"] == etag
    oa.patch(chengdu_url, headers={"If-Match": etag}, **_json({"name": "成都市分公司"}))

    late = warehouse.patch(chengdu_url, headers={"If-Match": etag}, **_json({"code": "cd2"}))

    assert late.status_code == 412
    unit_tree["chengdu"].refresh_from_db()
    assert (unit_tree["chengdu"].name, unit_tree["chengdu"].code) == ("成都市分公司", "cd")


def test_an_update_answers_with_the_new_etag(key, chengdu_url):
    client = _bearer(key)
    etag = client.get(chengdu_url)["ETag"]

    response = client.patch(chengdu_url, headers={"If-Match": etag}, **_json({"name": "成都市"}))

    assert response.json()["name"] == "成都市"
    assert response["ETag"] == client.get(chengdu_url)["ETag"]


def test_an_action_checks_if_match_when_it_is_sent(key, chengdu_url, unit_tree):
    client = _bearer(key)
    stale = client.get(chengdu_url)["ETag"]
    client.patch(chengdu_url, headers={"If-Match": stale}, **_json({"name": "成都市"}))

    response = client.post(f"{chengdu_url}deactivate/", headers={"If-Match": stale})

    assert response.status_code == 412
    unit_tree["chengdu"].refresh_from_db()
    assert unit_tree["chengdu"].is_active


# --- Units: the tree operations ---------------------------------------------------------------


def test_moving_a_unit_takes_its_subtree_along(key, unit_tree):
    url = f"{UNITS}{unit_tree['jinjiang'].pk}/move/"

    response = _bearer(key).post(url, **_json({"parent": unit_tree["mianyang"].pk}))

    assert response.status_code == 200
    assert response.json()["parent"] == unit_tree["mianyang"].pk
    outlet = Unit.objects.get(pk=unit_tree["outlet"].pk)
    assert outlet.path.startswith(unit_tree["mianyang"].path)


def test_a_unit_cannot_move_under_its_own_subunit(key, unit_tree):
    url = f"{UNITS}{unit_tree['chengdu'].pk}/move/"

    response = _bearer(key).post(url, **_json({"parent": unit_tree["outlet"].pk}))

    assert response.status_code == 400
    assert response.json()["message"] == "不能将单位移动到其自身或其下级单位之下。"


def test_a_unit_cannot_move_under_another_organizations_unit(key, unit_tree, other_org):
    foreign = UnitFactory(organization=other_org)
    url = f"{UNITS}{unit_tree['chengdu'].pk}/move/"

    response = _bearer(key).post(url, **_json({"parent": foreign.pk}))

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["parent"]


def test_deactivating_a_unit_deactivates_its_subtree(key, unit_tree):
    response = _bearer(key).post(f"{UNITS}{unit_tree['chengdu'].pk}/deactivate/")

    assert response.json()["is_active"] is False
    assert not Unit.objects.get(pk=unit_tree["outlet"].pk).is_active


def test_reactivating_with_subunits(key, unit_tree):
    client = _bearer(key)
    client.post(f"{UNITS}{unit_tree['chengdu'].pk}/deactivate/")

    client.post(f"{UNITS}{unit_tree['chengdu'].pk}/reactivate/", **_json({"with_subunits": True}))

    assert Unit.objects.filter(is_active=False).count() == 0


def test_a_unit_change_through_the_api_is_in_the_units_history(key, chengdu_url, unit_tree):
    client = _bearer(key)
    etag = client.get(chengdu_url)["ETag"]
    client.patch(chengdu_url, headers={"If-Match": etag}, **_json({"name": "成都市"}))
    admin = Client()
    admin.force_login(
        Membership.objects.get(user__username="admin").user,
        backend="django.contrib.auth.backends.ModelBackend",
    )

    page = admin.get(f"/units/{unit_tree['chengdu'].pk}/").content.decode()

    assert "修改记录" in page
    assert "成都市" in page.split("修改记录", 1)[1]


def test_a_membership_of_two_organizations_calls_as_the_tokens_one(org, other_org, db):
    member = MembershipFactory(organization=org, roles=(Role.ORG_ADMIN,)).user
    MembershipFactory(organization=other_org, user=member, roles=(Role.ORG_ADMIN,))
    UnitFactory(organization=other_org, name="西秀区")
    response = _bearer(make_api_token(member, other_org)).get(UNITS)

    names = [row["name"] for row in response.json()["results"]]

    assert names == ["西秀区"]


def test_times_read_in_iso_8601_with_the_shanghai_offset(api, office_user, org):
    from rounds.models import Problem
    from tests.factories import ProblemFactory

    problem = ProblemFactory(inspection__round__organization=org)
    Problem.objects.for_org(org).filter(pk=problem.pk).update(
        created_at=datetime.datetime(2026, 12, 1, 1, 30, tzinfo=datetime.UTC)
    )

    body = api(office_user).get(f"/api/problems/{problem.pk}/").json()

    assert body["created_at"] == "2026-12-01T09:30:00+08:00"
    assert body["found_on"] == problem.found_on.isoformat()
