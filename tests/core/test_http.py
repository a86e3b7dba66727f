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


def test_an_unknown_page_is_a_404_in_the_page_language_with_a_search(client):
    response = client.get("/no-such-page/GB-T-19001/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'class="site"' in page  # the site's header and footer
    assert 'value="GB T 19001"' in page  # the search box starts with the words of the address
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面没有找到" in page  # Django's own translation of the title wins; ours is the same
    assert "Page not found" not in page


def test_an_unknown_api_route_answers_the_json_error_shape(client):
    response = client.get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_the_server_error_page_renders_without_the_database(rf):
    from stdplus.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert server_error(rf.get("/api/v1/standards")).status_code == 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/declarations/enterprises/%00",
        "/api/v1/standards/GB%00T",
        "/api/v1/checks/%00",
    ],
)
def test_an_api_address_no_database_can_store_is_a_400_naming_it(client, path):
    response = client.get(path)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_text" and body["where"] == {"field": "path"}
    assert "path" in body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/declarations/enterprises/%00/", "/standards/GB%00T/"])
def test_a_page_address_no_database_can_store_is_a_400_page(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求无法读取" in page and "could not be read" not in page
