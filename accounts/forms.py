from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationForm
from django_otp.models import Device

from accounts.models import Organization, Unit, User
from accounts.roles import CONFIDENTIAL_ROLES, Role
from accounts.selectors import unit_tree
from accounts.two_factor import verify_code
from accounts.widgets import UnitSelect, UnitSelectMultiple


class StyledBoundField(forms.BoundField):
    """A field with errors renders its widget with Bootstrap's ``is-invalid`` (red border),
    however it is rendered: ``templates/_form.html``, a template writing ``{{ field }}``, or the
    widgets of ``accounts.widgets`` that write their ``<select>`` directly (they all render the
    attributes built here)."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden and self.errors:
            css = attrs.get("class", widget.attrs.get("class", ""))
            if "is-invalid" not in css.split():
                attrs["class"] = f"{css} is-invalid".strip()
        return attrs


class StyledFormMixin:
    """Adds Bootstrap classes to widgets, so templates render fields without per-field markup;
    a field with errors is marked ``is-invalid`` (``StyledBoundField``)."""

    bound_field_class = StyledBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    """The browser's date picker; values in ISO form, which is what it reads and sends."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class LoginForm(StyledFormMixin, OTPAuthenticationForm):
    """Username + password, and the TOTP code for users who have enrolled a device."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you have set up two-factor authentication."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Devices are picked automatically; a list of device ids means nothing to a user.
        del self.fields["otp_device"]
        del self.fields["otp_challenge"]

    def clean_otp(self, user: Any) -> None:
        # django-otp's form demands a code from everyone; only users with a device have one.
        if user is None or not user_has_device(user, confirmed=True):
            return
        try:
            super().clean_otp(user)
        except forms.ValidationError:
            # A missing, wrong or throttled code must not tell a guesser that the password was
            # right: same answer as a wrong password, and counted as a failure (lockout) too.
            user_login_failed.send(
                sender=type(self),
                credentials={"username": self.cleaned_data.get("username")},
                request=self.request,
            )
            raise self.get_invalid_login_error() from None

    def _update_form(self, user: Any) -> None:
        # django-otp would list the devices and echo the password back into the page: both
        # would tell a guesser the password was right (and the echo puts it in the HTML).
        return

    def _chosen_device(self, user: Any) -> Device | None:
        # There is no device picker, so verify against the user's confirmed device.
        return next(devices_for_user(user, confirmed=True, for_verify=True), None)

    def _verify_token(self, user: Any, token: str, device: Device | None = None) -> Device:
        # accounts.two_factor's check: the right code straight after a typo is accepted.
        if device is None or not verify_code(device=device, token=token):
            raise forms.ValidationError(
                self.otp_error_messages["invalid_token"], code="invalid_token"
            )
        return device


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6-digit code shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RoleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Role.choices, **kwargs)


class MemberCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    title = forms.CharField(label=_("Position"), max_length=100, required=False)
    roles = RoleChoiceField(label=_("Roles"))
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput(render_value=False), strip=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("password")
        if password:
            # Validated against the future account, so "similar to the username" is caught too.
            candidate = User(
                username=data.get("username", ""),
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class MemberUpdateForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    title = forms.CharField(label=_("Position"), max_length=100, required=False)
    roles = RoleChoiceField(label=_("Roles"))
    is_active = forms.BooleanField(label=_("Active member"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Units this member may see"),
        queryset=Unit.objects.none(),
        required=False,
        widget=UnitSelectMultiple(attrs={"size": 8}),
        help_text=_("For liaisons: the units whose feedback and rectification they handle."),
    )

    def __init__(
        self, *args: Any, org: Organization, identity_locked: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_tree(org=org, include_inactive=False)
        if identity_locked:
            # The account belongs to other organizations too: its name, e-mail and phone are
            # the person's own, not this organization's to change. Disabled fields keep their
            # initial value whatever is posted.
            for name in ("full_name", "email", "phone"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "This person also belongs to other organizations; only they can change "
                    "their name, e-mail and phone."
                )


class UnitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.RegexField(
        label=_("Code"),
        max_length=50,
        regex=r"^[A-Za-z0-9_.-]+\Z",
        error_messages={"invalid": _("Use letters, digits and . - _ only.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)


class UnitCreateForm(UnitForm):
    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(top level)"),
        widget=UnitSelect(),
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_tree(org=org, include_inactive=False)


class UnitMoveForm(StyledFormMixin, forms.Form):
    parent = forms.ModelChoiceField(
        label=_("New parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(top level)"),
        widget=UnitSelect(),
    )

    def __init__(self, *args: Any, org: Organization, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_tree(org=org, include_inactive=False).exclude(
            path__startswith=unit.path
        )


class OrgSecurityForm(StyledFormMixin, forms.Form):
    two_factor_roles = forms.MultipleChoiceField(
        label=_("Require two-factor sign-in for"),
        choices=[(role.value, role.label) for role in Role if role in CONFIDENTIAL_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
