from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.errors import DomainError
from accounts.models import Organization, User
from accounts.phones import check_phone


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User

    def clean_phone(self) -> str:
        """The platform admin enters phones too: the same rule as the member pages."""
        try:
            return check_phone(self.cleaned_data["phone"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    fieldsets = (*BaseUserAdmin.fieldsets, ("Xuncha", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "is_active")
    search_fields = ("name", "code")
