"""The language a person reads stdplus in is kept when they sign in and when they switch, so
that what is sent to them later without a request (reminders, mail) is in that language."""

import pytest
from django.urls import reverse

from stdplus.accounts.models import LanguagePreference
from stdplus.accounts.services import language_of

from .helpers import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_in_keeps_the_page_language_and_a_switch_changes_it(client, settings):
    person = UserFactory(username="reader")
    assert language_of(person) == settings.LANGUAGE_CODE  # nothing known yet: the default
    response = client.post(
        reverse("accounts:login"),
        {"username": "reader", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert language_of(person) == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert language_of(person) == "zh-hans"
    # A language the site does not offer changes nothing.
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert language_of(person) == "zh-hans"
    assert LanguagePreference.objects.count() == 1


def test_a_visitor_switching_language_keeps_nothing_but_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert LanguagePreference.objects.count() == 0
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode().count('lang="en"')
