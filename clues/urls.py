"""Routes of the clues app: petitions (信访举报). The public form and the status check need
no sign-in (listed in ``xuncha.tenancy.PUBLIC_URL_NAMES``)."""

from django.urls import path

from clues import views

app_name = "clues"

urlpatterns = [
    path("a/<str:token>/petition/", views.petition_public, name="petition_public"),
    path("p/", views.petition_status, name="petition_status"),
    path("inspections/<int:pk>/petitions/", views.PetitionListView.as_view(), name="petition_list"),
    path(
        "inspections/<int:pk>/petitions/new/",
        views.PetitionCreateView.as_view(),
        name="petition_create",
    ),
    path("petitions/", views.PetitionAllView.as_view(), name="petition_all"),
    path("petitions/<int:pk>/", views.PetitionDetailView.as_view(), name="petition_detail"),
    path(
        "petitions/<int:pk>/identity/",
        views.PetitionIdentityView.as_view(),
        name="petition_identity",
    ),
    path(
        "petitions/<int:pk>/status/",
        views.PetitionStatusView.as_view(),
        name="petition_status_change",
    ),
    path(
        "petitions/attachments/<int:pk>/",
        views.PetitionAttachmentView.as_view(),
        name="petition_attachment",
    ),
]
