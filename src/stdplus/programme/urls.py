from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("experts/", views.expert_index, name="experts"),
    path("experts/<int:pk>/", views.expert_detail, name="expert-detail"),
    path("pilots/", views.pilot_index, name="pilots"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot-detail"),
    path("areas/", views.area_index, name="areas"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
    path("upload/", views.upload, name="upload"),
    path("templates/<slug:kind>.xlsx", views.template_download, name="template"),
    path("funding/", views.application_index, name="applications"),
    path("funding/<int:pk>/", views.application_detail, name="application-detail"),
    path("funding/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("funding/<int:pk>/evidence/<int:doc>/", views.evidence_download, name="evidence-download"),
]
