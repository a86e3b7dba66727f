from django.urls import path

from . import job_pages

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", job_pages.job_detail, name="detail"),
    path("<int:pk>/download/", job_pages.job_download, name="download"),
]
