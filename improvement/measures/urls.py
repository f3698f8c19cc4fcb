"""Routes of the measures: lists, pages, forms and history."""

from django.urls import path

from improvement.measures import value_views, views

app_name = "measures"

urlpatterns = [
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/add/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure_history"),
    path("measures/<int:pk>/targets/", views.measure_target, name="measure_target"),
    path(
        "measures/targets/<int:pk>/delete/",
        views.measuretarget_delete,
        name="measuretarget_delete",
    ),
    path("measures/<int:pk>/values/add/", views.measure_record, name="measure_record"),
    path(
        "measures/values.csv",
        value_views.measurevalue_export_csv,
        name="measurevalue_export_csv",
    ),
    path(
        "measures/values.xlsx",
        value_views.measurevalue_export_xlsx,
        name="measurevalue_export_xlsx",
    ),
    path(
        "measures/values/upload/",
        value_views.measurevalue_upload,
        name="measurevalue_upload",
    ),
    path(
        "measures/values/<int:pk>/correct/",
        views.measurevalue_correct,
        name="measurevalue_correct",
    ),
    path(
        "measures/values/<int:pk>/delete/",
        views.measurevalue_delete,
        name="measurevalue_delete",
    ),
]
