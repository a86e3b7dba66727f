from django.urls import path

from . import views
from .feeds import PoliciesAtom

app_name = "support"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claims, name="claims"),
    path("claims/apply/", views.apply, name="apply"),
    path("policies/", views.policies, name="policies"),
    path("policies/feed/", PoliciesAtom(), name="policies-feed"),
    path("policies/alerts/", views.policy_alerts, name="policy-alerts"),
    path("policies/<int:pk>/", views.policy_detail, name="policy-detail"),
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/expert/", views.expert_profile, name="expert-profile"),
    path("questions/<int:pk>/", views.question_detail, name="question-detail"),
    path("training/", views.training, name="training"),
    path("training/<int:pk>/enroll/", views.enroll_view, name="enroll"),
    path("training/sessions/<int:pk>/", views.session_roster, name="session"),
    path("certificates/verify/", views.verify, name="verify"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate-pdf"),
    path("talent/", views.talent, name="talent"),
]
