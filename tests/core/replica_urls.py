"""Views for the read replica tests (tests/core/test_replicas.py): what a request reads and
where, and a write. Rows are `core.Job` rows, told apart by their key."""

from django.db import router
from django.http import JsonResponse
from django.urls import path

from stdplus.core.health import readyz
from stdplus.core.models import Job


def where(request):
    return JsonResponse({"reads": router.db_for_read(Job)})


def seen(request):
    rows = Job.objects.filter(key=request.GET["key"])
    return JsonResponse({"seen": rows.exists(), "db": rows.db})


def write(request):
    """Any method: a GET that writes counts as a write too."""
    Job.objects.create(name="tests.add_group", key=request.GET["key"], params={"name": "x"})
    rows = Job.objects.filter(key=request.GET["key"])
    return JsonResponse({"seen": rows.exists(), "db": rows.db})


urlpatterns = [
    path("where", where),
    path("seen", seen),
    path("write", write),
    path("readyz", readyz),
]
