"""Routes of the announcement (巡察公告): the team's pages and the public page
(``/a/<token>/``, no sign-in: listed in ``xuncha.tenancy.PUBLIC_URL_NAMES``)."""

from django.urls import path

from rounds.views import announcements as views

urlpatterns = [
    path(
        "inspections/<int:pk>/announcement/",
        views.AnnouncementEditView.as_view(),
        name="announcement_edit",
    ),
    path(
        "inspections/<int:pk>/announcement/publish/",
        views.AnnouncementPublishView.as_view(),
        name="announcement_publish",
    ),
    path(
        "inspections/<int:pk>/announcement/print/",
        views.AnnouncementPrintView.as_view(),
        name="announcement_print",
    ),
    path("a/<str:token>/", views.announcement_public, name="announcement_public"),
]
