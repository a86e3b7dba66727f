"""The supervision API: the regulator draws and the inspector records through JSON; bad input
is a 400 naming the field and writes nothing; the public reads only published results."""

import json

from stdplus.supervision.models import SpotCheckRound

from .conftest import SPECS


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_draw_judge_evaluate_and_publish_through_the_api(world, client):
    client.force_login(world.regulator)
    bad = _post(client, "/api/v1/supervision/rounds", {"title": "x", "region": "440300"})
    assert bad.status_code == 400 and bad.json()["where"]["field"] == "share"
    assert SpotCheckRound.objects.count() == 0
    made = _post(
        client,
        "/api/v1/supervision/rounds",
        {
            "title": "API 抽查",
            "region": "440300",
            "count": "2",
            "inspectors_per_check": 1,
            "seed": "api",
        },
    )
    assert made.status_code == 201, made.content
    round_ = made.json()
    assert round_["seed"] == "api" and len(round_["checks"]) == 2
    check_id = round_["checks"][0]["id"]
    public = client.__class__()
    assert public.get(f"/api/v1/supervision/rounds/{round_['id']}").status_code == 404
    from stdplus.supervision.models import SpotCheck

    inspector = SpotCheck.objects.get(pk=check_id).inspectors.get().user
    client.force_login(inspector)
    detail = client.get(f"/api/v1/supervision/checks/{check_id}").json()
    for item in detail["items"]:
        judged = _post(
            client,
            f"/api/v1/supervision/checks/{check_id}/items/{item['id']}",
            {"judgment": "pass"},
        )
        assert judged.status_code == 200
    step = _post(
        client,
        f"/api/v1/supervision/checks/{check_id}/steps/evaluate",
        {"data": {"outcome": "conforming"}},
    )
    assert step.status_code == 200 and step.json()["outcome"] == "conforming"
    client.force_login(world.regulator)
    assert (
        _post(client, f"/api/v1/supervision/rounds/{round_['id']}/publish", {}).status_code == 200
    )
    answer = public.get(f"/api/v1/supervision/rounds/{round_['id']}").json()
    assert [c["id"] for c in answer["checks"]] == [check_id]
    assert answer["conformity"]["rate"] == 100.0
    seen = public.get(f"/api/v1/supervision/checks/{check_id}").json()
    assert seen["items"] == [] and seen["inspectors"] == []


def test_a_scheme_with_a_tier_below_the_floor_is_a_400(world, category, client):
    client.force_login(world.regulator)
    spec = {**SPECS[0], "tiers": ["95", "80"]}
    answer = _post(
        client, f"/api/v1/supervision/categories/{category.pk}/schemes", {"indicators": [spec]}
    )
    assert answer.status_code == 400
    assert answer.json()["where"]["field"] == "indicators[0].tiers"
    assert answer.json()["code"] == "tier_below_floor"
    client.force_login(world.members[0])
    answer = _post(
        client, f"/api/v1/supervision/categories/{category.pk}/schemes", {"indicators": SPECS}
    )
    assert answer.status_code == 403
