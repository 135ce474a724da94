"""The API token page (账号 › API 令牌): a member's own tokens, the key shown once, revoking
through the shared confirmation; an org admin's service accounts and their tokens."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from accounts.models import ApiToken, Membership, User
from accounts.roles import Role
from accounts.tokens import create_api_token, create_service_account
from tests.factories import PASSWORD, UnitFactory
from tests.form_errors import field_error

PAGE = "/manage/api-tokens/"
UNITS = "/api/units/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
QUERIES = 8
KEY = re.compile(r'<code id="new-key-value" class="[^"]*">(xc_[^<]+)</code>')


def _membership(org, user: User) -> Membership:
    return Membership.objects.for_org(org).get(user=user)


def _token(org, user: User, name: str, *, actor: User | None = None) -> ApiToken:
    actor = actor or user
    token, _ = create_api_token(
        membership=_membership(org, user),
        actor=actor,
        actor_membership=_membership(org, actor),
        name=name,
    )
    return token


def _make(client: Client, **data: str) -> tuple[object, str | None]:
    """Post the token form; the page answering it and the key it shows (None if none)."""
    response = client.post(PAGE, {"name": "集团OA同步", "expires_at": "", **data})
    found = KEY.search(response.content.decode())
    return response, found.group(1) if found else None


def _names(html: str) -> list[str]:
    """The token names listed under 我的令牌 (up to the form that makes one)."""
    part = html.split('id="my-tokens"', 1)[1].split('id="new-token"', 1)[0]
    return re.findall(r'<td class="stack-title">([^<]*)</td>', part)


def _bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def _revoke(client: Client, token: ApiToken, *, confirmed: bool = True):
    data = {"confirmed": "1"} if confirmed else {}
    return client.post(f"{PAGE}{token.pk}/revoke/", data)


@pytest.fixture
def service_account(org, admin_user) -> Membership:
    return create_service_account(org=org, actor=admin_user, name="集团OA系统", roles=[Role.OFFICE])


@pytest.fixture
def service_token(org, admin_user, service_account) -> ApiToken:
    token, _ = create_api_token(
        membership=service_account,
        actor=admin_user,
        actor_membership=_membership(org, admin_user),
        name="OA同步",
    )
    return token


# --- A member's own tokens -------------------------------------------------------------------


def test_the_page_lists_only_the_members_own_tokens(login, org, office_user, team_member_user):
    _token(org, office_user, "数据仓库同步")
    _token(org, team_member_user, "组员的脚本")

    response = login(office_user).get(PAGE)

    assert response.status_code == 200
    assert _names(response.content.decode()) == ["数据仓库同步"]
    assert "组员的脚本" not in response.content.decode()


def test_making_a_token_shows_its_key_on_the_answer(login, org, office_user):
    response, key = _make(login(office_user))

    token = ApiToken.objects.for_org(org).get()
    assert response.status_code == 200
    assert key is not None
    assert key.startswith(f"xc_{token.prefix}_")
    assert "只显示这一次" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_key_is_not_shown_again(login, org, office_user):
    client = login(office_user)
    _, key = _make(client)

    again = client.get(PAGE).content.decode()

    assert key is not None
    assert key not in again
    assert 'id="new-key"' not in again
    assert _names(again) == ["集团OA同步"]


def test_the_key_is_kept_in_neither_messages_nor_session(login, office_user):
    client = login(office_user)
    _, key = _make(client)

    assert key is not None
    assert key not in repr(dict(client.session.items()))
    assert key not in client.get("/").content.decode()


def test_the_page_links_the_api_documentation(login, office_user):
    html = login(office_user).get(PAGE).content.decode()

    assert '<a class="btn btn-outline-primary" href="/api/docs/" id="api-docs-link">' in html


def test_the_sidebar_links_the_page_for_every_member(login, liaison_user):
    html = login(liaison_user).get("/").content.decode()

    assert '<a class="nav-link" href="/manage/api-tokens/">' in html


def test_only_a_digest_of_the_key_is_stored(login, org, office_user):
    _, key = _make(login(office_user))

    token = ApiToken.objects.for_org(org).get()
    assert key is not None
    assert token.digest != key
    assert key not in (token.digest, token.prefix, token.name)


def test_an_expiry_day_lasts_to_its_end_in_beijing_time(login, org, office_user):
    response, _ = _make(login(office_user), expires_at="2030-06-30")

    token = ApiToken.objects.for_org(org).get()
    assert token.expires_at == datetime.datetime(2030, 6, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert "2030-06-30 23:59" in response.content.decode()


# --- The key against the API -------------------------------------------------------------------


@pytest.fixture
def units(org) -> None:
    UnitFactory(organization=org, name="成都分公司", code="cd")


def test_the_new_key_calls_the_api(login, office_user, units):
    _, key = _make(login(office_user))

    response = _bearer(key).get(UNITS)

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["成都分公司"]


def test_a_call_records_the_last_use_on_the_page(login, org, office_user, units):
    client = login(office_user)
    _, key = _make(client)
    assert ApiToken.objects.for_org(org).get().last_used_at is None

    _bearer(key).get(UNITS)

    used = ApiToken.objects.for_org(org).get().last_used_at
    assert used is not None
    assert timezone.now() - used < datetime.timedelta(seconds=30)
    assert timezone.localtime(used).strftime("%Y-%m-%d %H:%M") in client.get(PAGE).content.decode()


def test_a_key_revoked_on_the_page_is_refused_with_401(login, org, office_user, units):
    client = login(office_user)
    _, key = _make(client)

    response = _revoke(client, ApiToken.objects.for_org(org).get())
    refused = _bearer(key).get(UNITS)

    assert response.status_code == 302
    assert ApiToken.objects.for_org(org).get().revoked_at is not None
    assert refused.status_code == 401
    assert refused.json() == {
        "code": "authentication_failed",
        "message": "API 令牌无效、已过期或已撤销。",
        "fields": {},
    }


def test_a_key_past_its_last_day_is_refused(login, org, office_user, units, monkeypatch):
    today = timezone.localdate()
    _, key = _make(login(office_user), expires_at=today.isoformat())
    assert _bearer(key).get(UNITS).status_code == 200

    tomorrow = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(0, 0, 1))
    monkeypatch.setattr(timezone, "now", lambda: tomorrow.replace(tzinfo=SHANGHAI))  # the clock

    assert _bearer(key).get(UNITS).json()["code"] == "authentication_failed"


# --- Revoking ---------------------------------------------------------------------------------


def test_revoking_asks_first_through_the_shared_confirmation(login, org, office_user):
    token = _token(org, office_user, "数据仓库同步")

    response = _revoke(login(office_user), token, confirmed=False)

    assert response.status_code == 200
    assert response.templates[0].name == "_confirm.html"
    assert "撤销 API 令牌“数据仓库同步”" in response.content.decode()
    assert ApiToken.objects.for_org(org).get().revoked_at is None


def test_a_revoked_token_shows_as_revoked_without_its_button(login, org, office_user):
    client = login(office_user)
    token = _token(org, office_user, "数据仓库同步")
    _revoke(client, token)

    html = client.get(PAGE).content.decode()

    assert "已撤销" in html
    assert f'action="{PAGE}{token.pk}/revoke/"' not in html


@pytest.mark.parametrize("whose", ["service_account", "colleague"])
def test_a_plain_member_cannot_revoke_a_token_not_theirs(
    login, org, office_user, team_member_user, service_token, whose
):
    token = service_token if whose == "service_account" else _token(org, team_member_user, "脚本")

    response = _revoke(login(office_user), token)

    assert response.status_code == 404
    assert ApiToken.objects.for_org(org).get(pk=token.pk).revoked_at is None


# --- Invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "  "}, "name", "此项为必填项。"),
        ({"name": "同" * 101}, "name", "最多100个字符（现有101个）。"),
        ({"expires_at": "2020-01-31"}, "expires_at", "到期时间须晚于现在。"),
        ({"expires_at": "明天"}, "expires_at", "请输入有效的日期。"),
    ],
    ids=["empty-name", "overlong-name", "past-expiry", "not-a-date"],
)
def test_invalid_input_is_refused_in_chinese_and_creates_nothing(
    login, org, office_user, data, field, message
):
    response, key = _make(login(office_user), **data)

    assert field_error(response, field) == message
    assert key is None
    assert not ApiToken.objects.for_org(org).exists()


# --- Service accounts (org admin) ---------------------------------------------------------------


def test_an_admin_makes_a_service_account(login, org, admin_user):
    response = login(admin_user).post(
        f"{PAGE}service-accounts/new/", {"name": "数据仓库", "roles": [Role.LEADERSHIP]}
    )

    account = Membership.objects.for_org(org).get(user__is_service_account=True)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#service-account-{account.pk}"
    assert account.user.full_name == "数据仓库"
    assert account.roles == {Role.LEADERSHIP}
    assert not account.user.has_usable_password()


def test_an_admin_sees_the_service_accounts_with_their_tokens(login, admin_user, service_token):
    html = login(admin_user).get(PAGE).content.decode()

    section = html.split('id="service-accounts"', 1)[1]
    assert "集团OA系统" in section
    assert re.findall(r'<td class="stack-title">([^<]*)</td>', section) == ["OA同步"]


def test_an_admin_makes_a_token_for_a_service_account(
    login, org, admin_user, service_account, units
):
    response, key = _make(login(admin_user), membership=str(service_account.pk))

    token = ApiToken.objects.for_org(org).get()
    assert token.membership == service_account
    assert "已为服务账号集团OA系统创建令牌“集团OA同步”" in response.content.decode()
    assert _bearer(key).get(UNITS).status_code == 200


def test_a_service_accounts_token_form_shows_its_own_errors(
    login, org, admin_user, service_account
):
    response, _ = _make(login(admin_user), membership=str(service_account.pk), name="")

    html = response.content.decode()
    card = html.split(f'id="service-account-{service_account.pk}"', 1)[1]
    assert response.status_code == 200
    assert "<details open><summary>为该账号新建令牌</summary>" in card
    assert f'id="id_sa{service_account.pk}_name"' in card
    assert '<div class="invalid-feedback d-block">此项为必填项。</div>' in card
    assert not ApiToken.objects.for_org(org).exists()


def test_an_admin_revokes_a_service_accounts_token(login, org, admin_user, service_token):
    response = _revoke(login(admin_user), service_token)

    assert response["Location"] == f"{PAGE}#service-accounts"
    assert ApiToken.objects.for_org(org).get().revoked_at is not None


def test_a_plain_member_sees_no_service_accounts(login, office_user, service_token):
    html = login(office_user).get(PAGE).content.decode()

    assert 'id="service-accounts"' not in html
    assert "集团OA系统" not in html


def test_a_plain_member_cannot_make_a_token_for_a_service_account(
    login, org, office_user, service_account
):
    response, key = _make(login(office_user), membership=str(service_account.pk))

    assert response.status_code == 404
    assert key is None
    assert not ApiToken.objects.for_org(org).exists()


@pytest.mark.parametrize("whose", ["colleague", "unknown", "not-a-number"])
def test_an_admin_cannot_make_a_token_for_anyone_but_a_service_account(
    login, org, admin_user, office_user, whose
):
    wanted = {
        "colleague": str(_membership(org, office_user).pk),
        "unknown": "9" * 30,
        "not-a-number": "1 OR 1=1",
    }[whose]

    response, _ = _make(login(admin_user), membership=wanted)

    assert response.status_code == 404
    assert not ApiToken.objects.for_org(org).exists()


def test_a_plain_member_cannot_open_the_service_account_form(login, office_user):
    assert login(office_user).get(f"{PAGE}service-accounts/new/").status_code == 403


def test_an_empty_service_account_name_is_refused(login, org, admin_user):
    response = login(admin_user).post(
        f"{PAGE}service-accounts/new/", {"name": "", "roles": [Role.OFFICE]}
    )

    assert field_error(response, "name") == "此项为必填项。"
    assert not User.objects.filter(is_service_account=True).exists()


@pytest.mark.parametrize("password", [PASSWORD, "", "!"])
def test_a_service_account_cannot_sign_in(client, service_account, password):
    response = client.post(
        "/accounts/login/", {"username": service_account.user.username, "password": password}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_the_page_runs_the_same_queries_for_3_and_30_service_accounts(
    login, org, admin_user, django_assert_num_queries
):
    client = login(admin_user)
    admin = _membership(org, admin_user)
    _token(org, admin_user, "管理员的脚本")

    for count in (3, 27):
        for n in range(count):
            account = create_service_account(org=org, actor=admin_user, name=f"系统{n}", roles=[])
            for name in ("同步", "备用"):
                create_api_token(
                    membership=account, actor=admin_user, actor_membership=admin, name=name
                )
        with django_assert_num_queries(QUERIES):
            assert client.get(PAGE).status_code == 200


# --- The member's history (修改记录) ------------------------------------------------------------


def test_the_members_history_shows_a_token_made_and_revoked_without_its_digest(
    login, org, admin_user, office_user
):
    client = login(office_user)
    _make(client, name="数据仓库同步")
    token = ApiToken.objects.for_org(org).get()
    _revoke(client, token)

    html = login(admin_user).get(f"/manage/members/{token.membership_id}/").content.decode()

    history = html.split('id="history"', 1)[1]
    assert history.count("API 令牌") == 2
    assert escape("数据仓库同步") in history
    assert "撤销时间" in history
    assert token.digest not in html
