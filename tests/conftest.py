"""Personas: one organization ("ours") with a user per role, and an outsider organization."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.test.client import ClientHandler

from accounts.models import Organization, Unit, User
from accounts.roles import Role
from tests.factories import MembershipFactory, OrganizationFactory, UnitFactory, UserFactory
from tests.scoping import outside_any_scope
from xuncha.tenancy import org_scope

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _org_scope_of_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Test code runs as a request of the ``org`` persona runs: inside its scope, so a service
    or selector that forgets scoping fails here as it would in production.

    Set-up in another organization names it (``org_scope(other_org)``; the factories enter the
    scope of the rows they make) or says ``dangerously_unscoped()``. A test without the persona
    runs in no scope at all, as a worker does: any tenant query raises. Requests through the test
    client run in the middleware's own scope, never in this one."""
    if "org" not in request.fixturenames:
        yield
        return
    with org_scope(request.getfixturevalue("org")):
        yield


@pytest.fixture(autouse=True)
def _requests_outside_the_test_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request through the test client starts with no scope, as in a server: only the
    middleware sets it, so the test's scope can neither leak into a request nor mask a missing
    one."""
    call = ClientHandler.__call__

    def call_outside_any_scope(handler: ClientHandler, environ: dict) -> object:
        with outside_any_scope():
            return call(handler, environ)

    monkeypatch.setattr(ClientHandler, "__call__", call_outside_any_scope)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture
def org(db) -> Organization:
    return OrganizationFactory(name="中国电信四川公司党委", code="sctelecom")


@pytest.fixture
def other_org(db) -> Organization:
    return OrganizationFactory(name="安顺市委", code="anshun")


def _member(org: Organization, *roles: str, username: str) -> User:
    return MembershipFactory(
        organization=org, user=UserFactory(username=username), roles=roles
    ).user


@pytest.fixture
def admin_user(org) -> User:
    return _member(org, Role.ORG_ADMIN, username="admin")


@pytest.fixture
def office_user(org) -> User:
    return _member(org, Role.OFFICE, username="office")


@pytest.fixture
def leadership_user(org) -> User:
    return _member(org, Role.LEADERSHIP, username="leader")


@pytest.fixture
def team_member_user(org) -> User:
    return _member(org, Role.TEAM_MEMBER, username="member")


@pytest.fixture
def clue_handler_user(org) -> User:
    return _member(org, Role.CLUE_HANDLER, username="discipline")


@pytest.fixture
def liaison_user(org) -> User:
    return _member(org, Role.LIAISON, username="liaison")


@pytest.fixture
def all_roles_user(org) -> User:
    return _member(org, *Role.values, username="everything")


@pytest.fixture
def outsider(other_org) -> User:
    """Holds every role — in the other organization."""
    return _member(other_org, *Role.values, username="outsider")


@pytest.fixture
def login() -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        client = Client()
        client.force_login(user, backend=BACKEND)
        return client

    return _login


@pytest.fixture
def unit_tree(org) -> dict[str, Unit]:
    """成都分公司 → 锦江区分公司 → 春熙路分局, and 绵阳分公司."""
    chengdu = UnitFactory(organization=org, name="成都分公司", code="cd")
    jinjiang = UnitFactory(parent=chengdu, name="锦江区分公司", code="cd-jj", kind="county_branch")
    outlet = UnitFactory(parent=jinjiang, name="春熙路分局", code="cd-jj-1", kind="outlet")
    mianyang = UnitFactory(organization=org, name="绵阳分公司", code="my")
    return {"chengdu": chengdu, "jinjiang": jinjiang, "outlet": outlet, "mianyang": mianyang}


def make_api_token(user: User, org: Organization) -> str:
    """A fresh API key of ``user``'s membership in ``org``, made through the token service."""
    from accounts.models import Membership
    from accounts.tokens import create_api_token

    with org_scope(org):
        membership = Membership.objects.for_org(org).get(user=user)
        _, key = create_api_token(
            membership=membership, actor=user, actor_membership=membership, name="test"
        )
    return key


@pytest.fixture
def api() -> Callable[..., Client]:
    """``api(user)``: a client calling the API with a token of ``user``'s membership (in the
    user's only organization, or ``org=``). Requests send and accept JSON by default."""

    def _api(user: User, *, org: Organization | None = None, language: str = "zh-hans") -> Client:
        if org is None:
            from accounts.models import Membership
            from xuncha.tenancy import dangerously_unscoped

            with dangerously_unscoped():
                org = Membership.objects.filter(user=user).get().organization
        key = make_api_token(user, org)
        return Client(
            headers={"Authorization": f"Bearer {key}", "Accept-Language": language},
            enforce_csrf_checks=True,
        )

    return _api
