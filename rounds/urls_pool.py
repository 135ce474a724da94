"""Routes of the inspector pool (巡察人才库)."""

from django.urls import path

from rounds.views import pool

urlpatterns = [
    path("pool/", pool.InspectorListView.as_view(), name="inspector_list"),
    path("pool/new/", pool.InspectorCreateView.as_view(), name="inspector_create"),
    path("pool/import/", pool.InspectorImportView.as_view(), name="inspector_import"),
    path(
        "pool/import/template.xlsx",
        pool.InspectorImportTemplateView.as_view(),
        name="inspector_import_template",
    ),
    path("pool/<int:pk>/", pool.InspectorDetailView.as_view(), name="inspector_detail"),
    path("pool/<int:pk>/edit/", pool.InspectorUpdateView.as_view(), name="inspector_edit"),
    path(
        "pool/<int:inspector_pk>/relatives/",
        pool.RelativeAddView.as_view(),
        name="inspector_relative_add",
    ),
    path(
        "pool/relatives/<int:pk>/remove/",
        pool.RelativeRemoveView.as_view(),
        name="inspector_relative_remove",
    ),
    path(
        "pool/<int:inspector_pk>/trainings/",
        pool.TrainingAddView.as_view(),
        name="inspector_training_add",
    ),
    path(
        "pool/trainings/<int:pk>/remove/",
        pool.TrainingRemoveView.as_view(),
        name="inspector_training_remove",
    ),
]
