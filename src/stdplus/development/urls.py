from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.index, name="index"),
    path("comment/", views.open_drafts, name="open"),
    path("comment/feed/", views.open_feed, name="feed"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.project_page, name="project"),
    path("<int:pk>/drafts/<int:version>/", views.draft_page, name="draft"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/dispositions.xlsx", views.dispositions_file, name="dispositions"),
    path("<int:pk>/dispositions.pdf", views.dispositions_pdf_file, name="dispositions-pdf"),
    path("<int:pk>/comments.xlsx", views.comments_file, name="comments-file"),
    path("<int:pk>/comments/import/", views.comments_upload, name="comments-import"),
    path("<int:pk>/work/", views.work, name="work"),
    path("documents/<int:pk>/", views.document_file, name="document"),
    path("comments/<int:pk>/decide/", views.decide, name="decide"),
    path("comments/confirm/<str:token>/", views.comment_confirm_page, name="comment-confirm"),
    path("comments/answer/<str:token>/", views.comment_answer_page, name="comment-answer"),
]
