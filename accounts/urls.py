from django.urls import path

from accounts.views import auth, home, members, settings, tokens, units

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", auth.TwoFactorView.as_view(), name="two_factor"),
    path("accounts/no-organization/", auth.NoOrgView.as_view(), name="no_org"),
    path("accounts/switch/", auth.SwitchOrgView.as_view(), name="switch_org"),
    path("manage/members/", members.MemberListView.as_view(), name="member_list"),
    path("manage/members/new/", members.MemberCreateView.as_view(), name="member_create"),
    path("manage/members/<int:pk>/", members.MemberUpdateView.as_view(), name="member_edit"),
    path(
        "manage/members/<int:pk>/reset-second-factor/",
        members.MemberSecondFactorResetView.as_view(),
        name="member_second_factor_reset",
    ),
    path("manage/api-tokens/", tokens.ApiTokenListView.as_view(), name="api_tokens"),
    path(
        "manage/api-tokens/<int:pk>/revoke/",
        tokens.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path(
        "manage/api-tokens/service-accounts/new/",
        tokens.ServiceAccountCreateView.as_view(),
        name="service_account_create",
    ),
    path("queue/", home.WorkQueueView.as_view(), name="work_queue"),
    path("manage/settings/", settings.OrgSettingsView.as_view(), name="org_settings"),
    path("units/", units.UnitTreeView.as_view(), name="unit_tree"),
    path("units/new/", units.UnitCreateView.as_view(), name="unit_create"),
    path("units/options/", units.UnitOptionsView.as_view(), name="unit_options"),
    path("units/<int:pk>/", units.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", units.UnitUpdateView.as_view(), name="unit_edit"),
    path("units/<int:pk>/move/", units.UnitMoveView.as_view(), name="unit_move"),
    path(
        "units/<int:pk>/deactivate/",
        units.UnitActivationView.as_view(activate=False),
        name="unit_deactivate",
    ),
    path(
        "units/<int:pk>/reactivate/",
        units.UnitActivationView.as_view(activate=True),
        name="unit_reactivate",
    ),
]
