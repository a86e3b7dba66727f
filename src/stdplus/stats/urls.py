from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("records/<slug:key>/", views.records, name="records"),
    path("records/<slug:key>/export.xlsx", views.records_export, name="records-export"),
]
