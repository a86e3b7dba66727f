"""Every page of the site that shows data names its JSON twin, the API's answer: a
`Link: <...>; rel="alternate"; type="application/json"` header and a visible link, and the
twin answers 200 with JSON. The walk covers every URL pattern outside the API and the admin;
a page without a twin is listed in NO_TWIN with the reason."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stdplus.accounts.models import Membership
from stdplus.checks.services import inputs_from_paste, validity_check_create
from stdplus.programme.models import (
    AreaProject,
    FundingScheme,
    MatchCandidate,
    Participation,
    PriorityArea,
    Region,
)
from stdplus.programme.permissions import REGULATOR_GROUP
from stdplus.programme.services.audit import record_create
from stdplus.programme.services.funding import application_submit
from stdplus.support.models import Policy
from stdplus.support.services import question_ask
from stdplus.watch.services import watch_list_create

from .declarations.walk import declarations_walk
from .programme.conftest import world  # noqa: F401 - the shared fixture
from .programme.factories import standards
from .supervision.site import supervision_site

pytestmark = pytest.mark.django_db

# Pages without a JSON twin, and why.
NO_TWIN = {
    "favicon.ico": "a redirect to the icon",
    "healthz": "is JSON itself",
    "readyz": "is JSON itself",
    "set_language": "a form's target (POST)",
    "i18n/setlang/": "a form's target (POST): the language switch that also keeps the person's choice",
    "accounts:signup": "a form",
    "accounts:signup-sent": "a note after a form",
    "accounts:signup-confirm": "a link from a mail",
    "accounts:login": "a form",
    "accounts:logout": "a form's target (POST)",
    "accounts:password_reset": "a form",
    "accounts:password_reset_done": "a note after a form",
    "accounts:password_reset_confirm": "a link from a mail",
    "accounts:password_reset_complete": "a note after a form",
    "accounts:account": "the person's own settings and tokens, never served as JSON",
    "accounts:token-revoke": "a form's target (POST)",
    "accounts:switch": "a form's target (POST)",
    "accounts:organization": "membership management: forms",
    "checks:export": "a file (XLSX or CSV); the check's twin is the detail's",
    "checks:rerun": "a form's target (POST)",
    "checks:delete": "a form's target (POST)",
    "watch:from-check": "a form's target (POST)",
    "watch:feed": "an Atom feed",
    "watch:changes-feed": "an Atom feed",
    "programme:home": "a menu of the register's pages, which have twins",
    "programme:upload": "a form",
    "programme:template": "a file (XLSX)",
    "search:export": "a file (CSV or XLSX); the search's twin is the search page's",
    "catalog:lookup": "a jump to a standard's page (a redirect)",
    "catalog:demo-switch": "a form's target (POST) turning demo data on or off",
    "declarations:import": "a form; a long file runs as a job",
    "declarations:export": "a file (CSV or XLSX); the search's twin is the search page's",
    "declarations:feed": "an Atom feed",
    "declarations:mine": "the enterprise's own drafts: forms",
    "declarations:cite": "a form's target (POST)",
    "declarations:indicator-new": "a form's target (POST)",
    "declarations:product-delete": "a form's target (POST)",
    "declarations:product-new": "a form's target (POST)",
    "declarations:qstandard-new": "a form's target (POST)",
    "declarations:qstandard-text": "a file (the standard's text as uploaded)",
    "declarations:revise": "a form's target (POST)",
    "importers:upload": "a form for staff; the import runs as a job",
    "development:feed": "an Atom feed",
    "development:propose": "a form",
    "development:dispositions": "a file (XLSX); the project's twin is the project page's",
    "development:dispositions-pdf": (
        "a file (PDF), or the page saying it is being printed; the project's twin is the "
        "project page's"
    ),
    "development:comments-file": "a file (XLSX) for the officers",
    "development:comments-import": "a form's target (POST)",
    "development:work": "a form's target (POST)",
    "development:decide": "a form's target (POST)",
    "development:document": "a file (a document as uploaded)",
    "development:comment-confirm": "a link from a mail",
    "development:comment-answer": "a link from a mail",
    "jobs:detail": "a job's progress for the person who started it (htmx), not data",
    "jobs:download": "a file (the job's result)",
    "metrics": "Prometheus text for monitoring, itself machine-readable",
    "stats:records-export": "a file (XLSX); the list's twin is the records page's",
    "stats:report": "a form starting the report as a job",
    "supervision:item": "a form's target (POST): one checklist item judged",
    "supervision:run-export": "a file (XLSX or CSV); the run's twin is the run page's",
    "support:home": "a menu of the support pages, which have twins",
    "support:apply": "a form's target (POST)",
    "support:policies-feed": "an Atom feed",
    "support:ask": "a form",
    "support:enroll": "a form's target (POST)",
    "support:session": "the organizer's roster of a session: forms (the sessions' twin is the training page's)",
    "support:policy-alerts": "the organization's alert settings: a form",
    "support:expert-profile": "the expert's own availability and fields: a form",
    "support:certificate-pdf": "a file (the certificate as PDF); its check's twin is the verify page's",
    "programme:evidence-upload": "a form's target (POST)",
    "programme:evidence-download": "a file (an evidence document, as uploaded)",
}


def _patterns(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in ("api", "admin"):
                continue
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _patterns(pattern, name, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name or str(pattern.pattern)
            yield (f"{namespace}:{name}" if namespace else name), prefix + str(pattern.pattern)


@pytest.fixture
def site(world, today):  # noqa: F811 - the shared fixture
    today("2024-06-01")
    regulator = User.objects.create_user("reg", is_staff=True)
    regulator.groups.add(Group.objects.get(name=REGULATOR_GROUP))
    Membership.objects.create(user=regulator, organization=world.nanshan)
    inputs, skipped = inputs_from_paste("GB/T 90001-2018\nISO 91002:2012")
    check, _ = validity_check_create(
        organization=world.nanshan, user=regulator, inputs=inputs, source="", skipped=skipped
    )
    watch_list = watch_list_create(
        organization=world.nanshan, user=regulator, name="mine", items=[("body", "GB")]
    )
    area = PriorityArea.objects.create(
        code="FOOD",
        name_zh="食品安全",
        name_en="Food safety",
        region=Region.objects.get(code="440300"),
        year_from=2024,
        year_to=2026,
    )
    project = record_create(
        model=AreaProject,
        values={"area": area, "title_zh": "追溯平台", "title_en": "Trace", "state": "planned"},
    )
    scheme = FundingScheme.objects.get(code="SZ-2024")
    std = standards(("GB/T 94101-2024", "2024-02-01"))["GB/T 94101-2024"]
    application = application_submit(
        scheme=scheme,
        item_type=scheme.item_types.get(code="national-part"),
        organization=world.nanshan,
        participation=Participation.objects.create(
            organization=world.nanshan, standard=std, role="drafter"
        ),
        amount_requested=100_000,
        submitted_on=dt.date(2024, 3, 1),
    )
    match = MatchCandidate.objects.create(
        standard=std, name="南山测试", organization=world.nanshan, score=0.8
    )
    declared = declarations_walk(world.nanshan, regulator, "GB/T 94101-2024")
    from tests.development.conftest import advance, make_project, make_team

    team = make_team("group")
    dev = advance(team, make_project(team), "send_to_review")
    client = Client()
    client.force_login(regulator)
    urls = {
        **{name: found[0] for name, found in declared.items()},
        "declarations:search": reverse("declarations:search") + "?district=4403&category=2927",
        "catalog:home": reverse("catalog:home"),
        "catalog:audit": reverse("catalog:audit"),
        "catalog:standard-detail": std.get_absolute_url(),
        "search:search": reverse("search:search") + "?q=GB&level=national",
        "search:classes": reverse("search:classes", args=["ics"]),
        "search:class-detail": reverse("search:class-detail", args=["ics", "03"]),
        "search:bodies": reverse("search:bodies"),
        "checks:index": reverse("checks:index"),
        "checks:detail": reverse("checks:detail", args=[check.pk]) + "?category=current",
        "watch:index": reverse("watch:index"),
        "watch:detail": reverse("watch:detail", args=[watch_list.pk]),
        "watch:inbox": reverse("watch:inbox"),
        "watch:changes": reverse("watch:changes") + "?level=national&page=1",
        "stats:dashboard": reverse("stats:dashboard") + "?region=4403&year=2018",
        "stats:records": reverse("stats:records", args=["participation"]) + "?year=2018",
        "programme:organization-detail": reverse(
            "programme:organization-detail", args=[world.nanshan.pk]
        ),
        "programme:experts": reverse("programme:experts") + "?page=1",
        "programme:expert-detail": reverse(
            "programme:expert-detail", args=[world.experts.chair.pk]
        ),
        "programme:pilots": reverse("programme:pilots"),
        "programme:pilot-detail": reverse("programme:pilot-detail", args=[world.pilots.done.pk]),
        "programme:areas": reverse("programme:areas"),
        "programme:project-detail": reverse("programme:project-detail", args=[project.pk]),
        "programme:review": reverse("programme:review") + "?state=pending",
        "programme:review-detail": reverse("programme:review-detail", args=[match.pk]),
        "programme:applications": reverse("programme:applications"),
        "support:claims": reverse("support:claims") + f"?organization={world.nanshan.pk}",
        "support:policies": reverse("support:policies") + "?region=440305&page=1",
        "support:questions": reverse("support:questions") + "?q=test&page=1",
        "support:training": reverse("support:training") + "?page=1",
        "support:verify": reverse("support:verify") + "?code=SZC-1-AAAA",
        "support:talent": reverse("support:talent"),
        "support:question-detail": question_ask(
            organization=world.nanshan,
            user=regulator,
            topic="other",
            subject="test method",
            title="Which test method?",
            public=True,
        ).get_absolute_url(),
        "support:policy-detail": Policy.objects.create(
            title_zh="标准化资助办法",
            title_en="Standardization funding measures",
            issuer_zh="市场监督管理局",
            region=Region.objects.get(code="440300"),
            issued_on=dt.date(2024, 3, 1),
        ).get_absolute_url(),
        "programme:application-detail": reverse(
            "programme:application-detail", args=[application.pk]
        ),
        "development:index": reverse("development:index"),
        "development:open": reverse("development:open"),
        "development:dashboard": reverse("development:dashboard"),
        "development:project": dev.get_absolute_url(),
        "development:draft": reverse("development:draft", args=[dev.pk, 1]),
        "development:compare": reverse("development:compare", args=[dev.pk]),
    }
    site_urls = supervision_site()
    site_urls.pop("declarations:detail")  # no twin yet (NO_TWIN)
    urls.update(site_urls)
    return client, urls


def test_every_page_is_listed_with_a_twin_or_a_reason(site):
    _, urls = site
    names = {name for name, _ in _patterns(get_resolver())}
    missing = names - set(urls) - set(NO_TWIN)
    assert not missing, f"new pages: give them a twin, or a reason here: {sorted(missing)}"
    assert not (set(urls) | set(NO_TWIN)) - names, "pages listed here that are gone"
    assert not set(urls) & set(NO_TWIN)


def test_every_data_page_links_to_its_json_twin_which_answers(site):
    client, urls = site
    for name, url in urls.items():
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200, name
        link = page.get("Link", "")
        assert link.endswith('>; rel="alternate"; type="application/json"'), name
        twin = link[1 : link.index(">")]
        assert twin.startswith("/api/v1/"), name
        html = page.content.decode()
        assert f'<link rel="alternate" type="application/json" href="{twin}' in html.replace(
            "&amp;", "&"
        ), name
        assert 'class="json"' in html, name  # the visible link in the footer
        answer = client.get(twin)
        assert answer.status_code == 200, (name, twin, answer.content[:300])
        assert answer["Content-Type"].startswith("application/json"), name
        assert answer.json() is not None


def test_list_twins_page_like_the_page(site):
    client, urls = site
    link = client.get(reverse("watch:changes") + "?level=national&page=3")["Link"]
    assert link.startswith("</api/v1/watch/changes?level=national&limit=50&offset=100>")
    detail = client.get(urls["checks:detail"])["Link"]
    assert "category=current" in detail and "limit=500&offset=0" in detail


def test_the_twin_is_the_api_answer(site):
    client, urls = site
    link = client.get(urls["programme:organization-detail"])["Link"]
    profile = client.get(link[1 : link.index(">")]).json()
    assert profile["name_en"] == "Nanshan Test Tech Co., Ltd."
    assert {b["code"] for b in profile["bodies"]} == {"SAC/TC 901"}
    participations = client.get(profile["participations_api"]).json()
    assert participations["count"] == profile["participations"] >= 4
    link = client.get(urls["programme:applications"])["Link"]
    listed = client.get(link[1 : link.index(">")]).json()
    assert listed["count"] == 1 and listed["items"][0]["scheme"] == "SZ-2024"
    link = client.get(urls["programme:review"])["Link"]
    queue = client.get(link[1 : link.index(">")]).json()
    assert [m["name"] for m in queue["items"]] == ["南山测试"]
    stranger = Client()
    stranger.force_login(User.objects.create_user("stranger"))
    assert stranger.get("/api/v1/programme/matches").status_code == 403
    assert stranger.get("/api/v1/programme/applications").json()["count"] == 0


def test_the_changes_page_and_api_read_one_schema(site):
    client, _ = site
    for query, field in (("level=galactic", "level"), ("ics=3.1", "ics"), ("kind=moved", "kind")):
        page = client.get(f"/changes/?{query}", HTTP_ACCEPT_LANGUAGE="en")
        api = client.get(f"/api/v1/watch/changes?{query}", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 400 and api.status_code == 400, query
        assert api.json()["where"]["field"] == field
        assert api.json()["message"] in page.content.decode().replace("&#x27;", "'")
    assert client.get("/changes/?level=&kind=&ics=03.120").status_code == 200
    assert client.get("/api/v1/watch/changes?level=national&ics=03").status_code == 200
