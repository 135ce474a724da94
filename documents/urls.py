"""Routes of the documents app: the team's document requests (调阅) of an inspection, the
tenant's checklist of usual documents, and the liaison's pages (``liaison/``)."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path(
        "inspections/<int:pk>/document-requests/",
        views.DocumentRequestListView.as_view(),
        name="request_list",
    ),
    path(
        "inspections/<int:pk>/document-requests/new/",
        views.DocumentRequestCreateView.as_view(),
        name="request_create",
    ),
    path(
        "document-requests/<int:pk>/",
        views.DocumentRequestDetailView.as_view(),
        name="request_detail",
    ),
    path(
        "document-requests/<int:pk>/edit/",
        views.DocumentRequestEditView.as_view(),
        name="request_edit",
    ),
    path(
        "document-requests/<int:pk>/withdraw/",
        views.DocumentRequestWithdrawView.as_view(),
        name="request_withdraw",
    ),
    path(
        "document-requests/<int:pk>/return/",
        views.DocumentRequestReturnView.as_view(),
        name="request_return",
    ),
    path(
        "document-requests/<int:pk>/download/",
        views.DocumentRequestDownloadView.as_view(),
        name="request_download",
    ),
    path("document-checklist/", views.UsualDocumentListView.as_view(), name="usual_list"),
    path("document-checklist/<int:pk>/", views.UsualDocumentEditView.as_view(), name="usual_edit"),
    path("liaison/", views.LiaisonHomeView.as_view(), name="liaison_home"),
    path(
        "liaison/inspections/<int:pk>/",
        views.LiaisonInspectionView.as_view(),
        name="liaison_inspection",
    ),
    path("liaison/requests/", views.LiaisonRequestListView.as_view(), name="liaison_requests"),
    path(
        "liaison/requests/<int:pk>/",
        views.LiaisonRequestDetailView.as_view(),
        name="liaison_request",
    ),
    path(
        "liaison/requests/<int:pk>/answer/",
        views.LiaisonAnswerView.as_view(),
        name="liaison_answer",
    ),
    path(
        "liaison/requests/<int:pk>/download/",
        views.LiaisonDownloadView.as_view(),
        name="liaison_download",
    ),
]
