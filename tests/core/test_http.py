"""HEAD is answered like GET everywhere, without a body; the site has an icon."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search/?q=quality",
        "/classes/ics/",
        "/stats/",
        "/account/login/",
        "/api/v1/standards?limit=2",
        "/api/v1/openapi.json",
    ],
)
def test_head_answers_like_get_without_a_body(client, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200, url
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert int(head["Content-Length"]) == len(get.content)


def test_head_of_a_post_only_route_is_still_refused(client):
    # Only routes that answer GET answer HEAD: a POST-only route stays 405 for both.
    url = reverse("set_language")
    assert client.get(url).status_code in (302, 405)
    assert client.head(url).status_code == client.get(url).status_code


def test_the_site_has_an_icon(client):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
