"""`create_tenant` bootstraps a production deployment: an organization and its administrator."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Organization
from xuncha.tenancy import org_scope

ARGS = ["--name", "安顺市委", "--code", "anshun", "--admin", "zhangsan"]


@pytest.fixture
def admin_password(monkeypatch) -> str:
    monkeypatch.setenv("XUNCHA_ADMIN_PASSWORD", "Strong-Pass-2026")
    return "Strong-Pass-2026"


def test_create_tenant_makes_an_administrator_who_can_sign_in(db, admin_password):
    call_command("create_tenant", *ARGS, stdout=StringIO())

    client = Client()
    client.post(reverse("accounts:login"), {"username": "zhangsan", "password": admin_password})
    assert client.get(reverse("accounts:member_list")).status_code == 200
    with org_scope(Organization.objects.get(code="anshun")):
        assert Membership.objects.get().roles == {"org_admin"}


def test_create_tenant_under_a_parent(db, admin_password, org):
    call_command("create_tenant", *ARGS, "--parent", org.code, stdout=StringIO())

    assert Organization.objects.get(code="anshun").parent == org


@pytest.mark.parametrize(
    "extra", [["--parent", "nowhere"], ["--code", "sctelecom"]], ids=["parent", "code"]
)
def test_create_tenant_refuses_bad_input_and_saves_nothing(db, admin_password, org, extra):
    with pytest.raises(CommandError):
        call_command("create_tenant", *ARGS, *extra, stdout=StringIO())

    assert list(Organization.objects.values_list("code", flat=True)) == ["sctelecom"]


def test_create_tenant_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("XUNCHA_ADMIN_PASSWORD", "12345678")

    with pytest.raises(CommandError):
        call_command("create_tenant", *ARGS, stdout=StringIO())

    assert not Organization.objects.exists()
