"""Refusals land on the field they are about, marked red (Bootstrap's ``is-invalid``) however
the field is rendered; and a phone is a phone number wherever a member's is entered."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import FormView
from django.views.generic.edit import FormMixin

from accounts import services
from accounts.admin import UserChangeForm
from accounts.errors import DomainError
from accounts.forms import StyledFormMixin
from accounts.models import Membership, User
from accounts.phones import is_phone
from accounts.roles import Role
from accounts.widgets import LIMIT
from tests.factories import PASSWORD, UnitFactory
from tests.form_errors import field_error
from xuncha.tenancy.views import ServiceFormMixin

PHONE_MESSAGE = (
    "请输入手机号码（如 13812345678）或带区号的固定电话（如 028-12345678，"
    "可带分机号：028-12345678-801）。"
)


# --- what is a phone number ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "19912345678",
        "+86 138 1234 5678",
        "028-12345678",
        "010-62345678",
        "0851-5123456",
        "02812345678",
        "(028)12345678",
        "028-12345678-801",
        "028-12345678转801",
        "028-12345678 ext 801",
        "１３８１２３４５６７８",
    ],
)
def test_mobiles_and_landlines_with_area_code_are_phone_numbers(phone):
    assert is_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "12812345678",  # no mobile network starts 12
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "12345678",  # landline without area code
        "28-12345678",  # area codes start with 0
        "028-02345678",  # local numbers do not
        "028-123456",  # too short
        "028-12345678-1234567",  # extension too long
        "见备注",
        "555-1234",
    ],
)
def test_other_values_are_not_phone_numbers(phone):
    assert not is_phone(phone)


# --- members' phones (point 5) ---------------------------------------------------------------


def _create_data(**overrides) -> dict:
    data = {"username": "wangfang", "full_name": "王芳", "roles": [Role.OFFICE]}
    return data | {"password": PASSWORD} | overrides


def _edit_url(org, user) -> str:
    return reverse("accounts:member_edit", args=[Membership.objects.for_org(org).get(user=user).pk])


def _edit_data(user: User, **overrides) -> dict:
    data = {"full_name": user.full_name, "email": user.email, "title": "", "is_active": "on"}
    return data | {"roles": [Role.OFFICE]} | overrides


def test_member_form_shows_a_wrong_phone_on_the_phone(login, admin_user):
    response = login(admin_user).post(reverse("accounts:member_create"), _create_data(phone="110"))

    assert field_error(response, "phone") == PHONE_MESSAGE
    assert not User.objects.filter(username="wangfang").exists()


def test_member_is_created_with_the_phone_number(login, admin_user):
    login(admin_user).post(reverse("accounts:member_create"), _create_data(phone="138 1234 5678"))

    assert User.objects.get(username="wangfang").phone == "13812345678"


def test_member_edit_form_refuses_a_wrong_phone_and_keeps_the_old(
    login, admin_user, office_user, org
):
    office_user.phone = "13812345678"
    office_user.save(update_fields=["phone"])

    response = login(admin_user).post(
        _edit_url(org, office_user), _edit_data(office_user, phone="abc")
    )

    assert field_error(response, "phone") == PHONE_MESSAGE
    office_user.refresh_from_db()
    assert office_user.phone == "13812345678"


def test_member_edit_form_saves_a_landline(login, admin_user, office_user, org):
    login(admin_user).post(
        _edit_url(org, office_user), _edit_data(office_user, phone="028-86001234")
    )

    office_user.refresh_from_db()
    assert office_user.phone == "028-86001234"


def test_a_shared_members_phone_is_theirs_to_change(two_org_user, org, admin_user):
    membership = Membership.objects.for_org(org).get(user=two_org_user)

    with pytest.raises(DomainError):
        services.update_member(
            membership=membership,
            actor=admin_user,
            roles=sorted(membership.roles),
            is_active=True,
            full_name=two_org_user.full_name,
            email=two_org_user.email,
            title="",
            phone="13900000000",
        )

    two_org_user.refresh_from_db()
    assert two_org_user.phone == ""


def test_the_platform_admins_user_form_refuses_a_wrong_phone(office_user):
    form = UserChangeForm(
        data={"username": office_user.username, "phone": "12"}, instance=office_user
    )

    assert form.errors["phone"] == [PHONE_MESSAGE]


def test_the_platform_admins_user_form_accepts_a_phone_number(office_user):
    form = UserChangeForm(
        data={"username": office_user.username, "phone": "13812345678"}, instance=office_user
    )

    assert "phone" not in form.errors


# --- point 8: is-invalid on the field --------------------------------------------------------


def test_a_unit_picker_of_a_large_tree_is_marked_invalid_too(login, office_user, org):
    """Past ``LIMIT`` units the picker writes its ``<select>`` itself (accounts.widgets)."""
    for n in range(LIMIT + 1):
        UnitFactory(organization=org, name=f"单位{n:03d}", code=f"u{n:03d}")
    data = {"name": "赵敏", "home_unit": "999999", "is_active": "on"}

    response = login(office_user).post(reverse("rounds:inspector_create"), data)

    assert "home_unit_search" in response.content.decode()  # the large-tree picker
    assert field_error(response, "home_unit")


def test_the_password_form_marks_a_wrong_old_password(login, office_user):
    data = {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}

    response = login(office_user).post(reverse("accounts:password_change"), data)

    assert field_error(response, "old_password")


def test_a_field_without_errors_is_not_marked(login, office_user):
    new = "Xuncha-2026-changed"
    data = {"old_password": "wrong", "new_password1": new, "new_password2": new}

    html = login(office_user).post(reverse("accounts:password_change"), data).content.decode()

    assert html.count("is-invalid") == 1


def _form_views(resolver: URLResolver) -> list[type]:
    views = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            views += _form_views(pattern)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, FormMixin):
                views.append(view)
    return views


def test_every_form_page_renders_a_form_that_marks_its_errors():
    form_views = _form_views(get_resolver())
    unstyled = [
        view.__name__
        for view in form_views
        if not issubclass(
            getattr(view, "authentication_form", None) or view.form_class, StyledFormMixin
        )
    ]

    assert len(form_views) > 20
    assert unstyled == []


class _NameForm(StyledFormMixin, forms.Form):
    name = forms.CharField()


class _RefusingView(ServiceFormMixin, FormView):
    form_class = _NameForm
    template_name = "_form.html"

    refused_field = ""

    def perform(self, form):
        raise DomainError("拒绝", field=self.refused_field)


@pytest.mark.parametrize(
    ("field", "errors"), [("name", {"name": ["拒绝"]}), ("elsewhere", {"__all__": ["拒绝"]})]
)
def test_a_refusal_lands_on_its_field_or_on_the_form_when_the_form_lacks_it(db, field, errors):
    request = RequestFactory().post("/", {"name": "张伟"})
    request.user = AnonymousUser()

    response = _RefusingView.as_view(refused_field=field)(request)

    assert response.context_data["form"].errors == errors
