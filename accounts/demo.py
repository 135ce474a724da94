"""Demo organizations drawn from the seed articles: their unit trees and one user per role.
Idempotent: running it twice changes nothing."""

from __future__ import annotations

from contextlib import AbstractContextManager

from accounts import services
from accounts.models import Organization, Unit, User
from accounts.roles import Role
from accounts.tokens import create_service_account
from history.context import recorded_apart
from xuncha.tenancy import org_scope

DEMO_PASSWORD = "Xuncha-demo-2026"

# (code, name, kind, children)
SICHUAN_UNITS = [
    (
        "sc-cd",
        "成都分公司",
        "branch",
        [
            (
                "sc-cd-jj",
                "锦江区分公司",
                "county_branch",
                [("sc-cd-jj-01", "春熙路分局", "outlet", [])],
            ),
            ("sc-cd-sl", "双流县分公司", "county_branch", []),  # renamed by sc_org_admin
        ],
    ),
    (
        "sc-my",
        "绵阳分公司",
        "branch",
        [
            ("sc-my-fc", "涪城区分公司", "county_branch", []),
            (
                "sc-my-jy",
                "江油市分公司",
                "county_branch",
                [("sc-my-jy-01", "中坝分局", "outlet", [])],
            ),
        ],
    ),
    ("sc-yb", "宜宾分公司", "branch", [("sc-yb-cp", "翠屏区分公司", "county_branch", [])]),
    ("sc-nc", "南充分公司", "branch", [("sc-nc-sq", "顺庆区分公司", "county_branch", [])]),
]
ANSHUN_UNITS = [
    ("as-ct", "安顺市城市建设投资有限责任公司", "soe", []),
    ("as-jt", "安顺市交通建设投资有限公司", "soe", []),
    ("as-sw", "安顺市水务投资有限公司", "soe", []),
    (
        "as-xx",
        "西秀区",
        "department",
        [
            (
                "as-xx-jz",
                "旧州镇",
                "township",
                [
                    ("as-xx-jz-01", "文星村", "village", []),
                    ("as-xx-jz-02", "邢江村", "village", []),
                ],
            ),
            ("as-xx-qyq", "七眼桥镇", "township", [("as-xx-qyq-01", "本寨村", "village", [])]),
        ],
    ),
    ("as-pd", "平坝区", "department", [("as-pd-tl", "天龙镇", "township", [])]),
]
XIXIU_UNITS = [
    ("xx-jz", "旧州镇", "township", [("xx-jz-01", "文星村", "village", [])]),
    ("xx-ng", "宁谷镇", "township", []),
]

ORGS = [
    # code, name, parent code, user prefix, units, liaison's unit code
    ("sctelecom", "中国电信四川公司党委", None, "sc", SICHUAN_UNITS, "sc-cd"),
    ("anshun", "安顺市委", None, "as", ANSHUN_UNITS, "as-ct"),
    ("xixiu", "西秀区委", "anshun", "xx", XIXIU_UNITS, "xx-jz"),
]


def seed_accounts() -> list[tuple[str, str, str, str]]:
    """Create the demo organizations, units and users; return (org, role, username, password)."""
    rows: list[tuple[str, str, str, str]] = []
    for code, name, parent_code, prefix, units, liaison_unit in ORGS:
        org = _org(code, name, parent_code)
        with org_scope(org):  # as a request of this organization would run
            _units(org, units, None)
            rows += _users(org, prefix, liaison_unit)
    _rename_shuangliu()
    _service_account()
    return rows + _second_team_leader() + _multi_org_user()


def _second_team_leader() -> list[tuple]:
    """王建国, who leads 中国电信四川公司党委's second team (绵阳分公司) in 2026年第一轮巡察."""
    username = "sc_team_leader2"
    org = Organization.objects.get(code="sctelecom")
    if not User.objects.filter(username=username).exists():
        with org_scope(org):
            services.create_member(
                org=org,
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                roles=[Role.TEAM_LEADER],
                full_name="王建国",
                email=f"{username}@example.cn",
                notify=False,
            )
    return [(org.name, f"{Role.TEAM_LEADER.label}（第二巡察组）", username, DEMO_PASSWORD)]


def _service_account() -> None:
    """The group's OA system calls the API as a service account of 中国电信四川公司党委 (its
    token is made on the API token page: a key is shown once, so none is seeded)."""
    org = Organization.objects.get(code="sctelecom")
    if User.objects.filter(is_service_account=True, memberships__organization=org).exists():
        return
    admin = User.objects.get(username="sc_org_admin")
    with org_scope(org), as_person(admin, org):
        create_service_account(org=org, actor=admin, name="集团OA系统", roles=[Role.OFFICE])


def as_person(user: User, org: Organization) -> AbstractContextManager[None]:
    """Changes recorded as made by ``user`` in ``org`` (their 修改记录 names that person)."""
    return recorded_apart(user=user, org=org, command="seed_demo")


def _rename_shuangliu() -> None:
    """An edit by a named person, so the unit page shows a 修改记录 with old → new. Done once:
    skipped when the unit already bears its new name."""
    org = Organization.objects.get(code="sctelecom")
    with org_scope(org):
        unit = Unit.objects.for_org(org).get(code="sc-cd-sl")
        if unit.name == "双流县分公司":
            admin = User.objects.get(username="sc_org_admin")
            with as_person(admin, org):
                services.update_unit(
                    unit=unit, actor=admin, name="双流区分公司", code=unit.code, kind=unit.kind
                )


def _org(code: str, name: str, parent_code: str | None) -> Organization:
    parent = Organization.objects.get(code=parent_code) if parent_code else None
    org = Organization.objects.filter(code=code).first()
    return org or services.create_organization(name=name, code=code, parent=parent)


def _units(org: Organization, units: list, parent: Unit | None) -> None:
    for code, name, kind, children in units:
        unit = Unit.objects.for_org(org).filter(code=code).first()
        if unit is None:
            unit = services.create_unit(
                org=org, actor=None, name=name, code=code, kind=kind, parent=parent
            )
        _units(org, children, unit)


def _users(org: Organization, prefix: str, liaison_unit: str) -> list[tuple]:
    rows = []
    for role in Role:
        username = f"{prefix}_{role.value}"
        if not User.objects.filter(username=username).exists():
            membership = services.create_member(
                org=org,
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                roles=[role.value],
                full_name=f"{role.label}（{org.name}）",
                email=f"{username}@example.cn",
                notify=False,
            )
            if role == Role.LIAISON:  # granted by the admin: the member page's 修改记录 says so
                admin = User.objects.get(username=f"{prefix}_{Role.ORG_ADMIN.value}")
                unit = Unit.objects.for_org(org).get(code=liaison_unit)
                with as_person(admin, org):
                    services.set_granted_units(membership=membership, actor=admin, units=[unit])
        rows.append((org.name, str(role.label), username, DEMO_PASSWORD))
    return rows


def _multi_org_user() -> list[tuple]:
    """An office worker of Anshun who also staffs Xixiu's office: shows the switcher."""
    username = "demo_multi"
    if not User.objects.filter(username=username).exists():
        anshun = Organization.objects.get(code="anshun")
        xixiu = Organization.objects.get(code="xixiu")
        with org_scope(anshun):
            membership = services.create_member(
                org=anshun,
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                roles=[Role.OFFICE],
                full_name="两级巡察办干部",
            )
        with org_scope(xixiu):
            services.add_member(org=xixiu, actor=None, user=membership.user, roles=[Role.OFFICE])
    return [("安顺市委 + 西秀区委", str(Role.OFFICE.label), username, DEMO_PASSWORD)]
