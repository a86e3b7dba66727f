"""Account pages under attack: switching organization, user names, sign-up."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from stdplus.accounts.models import Membership, Organization
from stdplus.accounts.selectors import SESSION_KEY
from stdplus.accounts.usernames import username_check, username_skeletons
from stdplus.core.errors import ApplicationError

from .helpers import PASSWORD, OrganizationFactory, credit_code, member
from .test_accounts import signup

User = get_user_model()

pytestmark = pytest.mark.django_db
SWITCH = "accounts:switch"


@pytest.fixture
def two_orgs(alice_client, alice, org_a):
    other = OrganizationFactory(name_zh="丙公司")
    member(other, username="carol")
    Membership.objects.create(user=alice, organization=other)
    return org_a, other


@pytest.mark.parametrize("value", ["abc", "", "1.5", "-1", "²", "9" * 40, "1; DROP TABLE", "\x00"])
def test_switch_to_a_non_numeric_organization_says_so(alice_client, two_orgs, value):
    response = alice_client.post(reverse(SWITCH), {"organization": value}, follow=True)
    assert response.status_code == 200
    assert "Choose one of your organizations." in response.content.decode()


def test_switch_to_someone_elses_organization_is_refused(alice_client, two_orgs, bob, org_b):
    response = alice_client.post(reverse(SWITCH), {"organization": org_b.pk}, follow=True)
    assert "Choose one of your organizations." in response.content.decode()
    assert alice_client.session.get(SESSION_KEY) != org_b.pk


def test_switch_to_one_of_mine(alice_client, two_orgs):
    _, other = two_orgs
    response = alice_client.post(reverse(SWITCH), {"organization": other.pk}, follow=True)
    assert "You now act for 丙公司" in response.content.decode()
    assert alice_client.session[SESSION_KEY] == other.pk


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example",
     "javascript:alert(1)", "http://testserver.evil.example/"],
)  # fmt: skip
def test_switch_does_not_redirect_off_site(alice_client, two_orgs, target):
    _, other = two_orgs
    response = alice_client.post(reverse(SWITCH), {"organization": other.pk, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")


def test_switch_returns_to_a_page_of_this_site(alice_client, two_orgs):
    _, other = two_orgs
    response = alice_client.post(reverse(SWITCH), {"organization": other.pk, "next": "/watch/"})
    assert response["Location"] == "/watch/"


# User names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("al\u200bice", "invisible or control character (U+200B ZERO WIDTH SPACE) at position 3"),
        ("ali\u200dce", "U+200D ZERO WIDTH JOINER"),
        ("\u202eecila", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("ali\u2066ce", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("ali\u00adce", "U+00AD SOFT HYPHEN"),
        ("ali ce", "a space (U+0020 SPACE) at position 4"),
        ("ali\u3000ce", "a space (U+0020 SPACE)"),  # an ideographic space becomes a space
        ("p\u0430ypal", "mixes letters of the scripts Cyrillic, Latin"),
        ("\u03bfpenai", "mixes letters of the scripts Greek, Latin"),
        ("ali/ce", "only letters, digits and the characters @ . + - _"),
        ("\ufdfa" * 10, "at most 150 characters; this one has 180"),  # NFKC makes it longer
    ],
)
def test_look_alike_and_invisible_user_names_are_refused(client, name, message):
    with pytest.raises(ApplicationError, match=re.escape(message)):
        username_check(name)
    response = signup(client, username=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "name", ["chen", "陈晓明", "wang张", "chen.li@acme", "ｃｈｅｎ", "ユーザー"]
)
def test_ordinary_user_names_are_accepted(name):
    assert username_check(name) == ("chen" if name == "ｃｈｅｎ" else name)


@pytest.mark.parametrize("other", ["alice", "ALICE", "Alice", "aIice", "a1ice", "\u0430lic\u0435"])
def test_names_that_look_alike_share_a_skeleton(other):
    mine, theirs = username_skeletons("alice"), username_skeletons(other)
    assert mine[0] == theirs[0] or mine[1] == theirs[1]


def test_different_names_do_not(db):
    assert set(username_skeletons("alice")).isdisjoint(username_skeletons("alicia"))
    assert set(username_skeletons("chen")).isdisjoint(username_skeletons("chan"))


# Sign-up tells nobody which names are taken ---------------------------------------------------


def _answer(response):
    return response.status_code, response.get("Location"), response.content


@pytest.mark.parametrize("taken", ["alice", "ALICE", "aIice", "а" + "lice"])  # the last: Cyrillic а
def test_signup_answers_the_same_for_a_taken_name(client, alice, taken):
    free = signup(Client(), username="newcomer", email="new@example.com",
                  credit_code=_code("91440300MA5NEW01"))  # fmt: skip
    clash = signup(client, username=taken, email="other@example.com",
                   credit_code=_code("91440300MA5NEW02"))  # fmt: skip
    if taken.startswith("а"):  # a mixed-script name is refused before any name is compared
        assert "mixes letters" in clash.content.decode()
        return
    assert _answer(clash) == _answer(free)
    assert Client().get(free["Location"]).status_code == 200
    # Nothing of the refused sign-up stays: no user, no organization.
    assert not User.objects.filter(email="other@example.com").exists()
    assert not Organization.objects.filter(credit_code=_code("91440300MA5NEW02")).exists()
    # Only the mail, to the address given, says what happened.
    to_other = [m for m in mail.outbox if m.to == ["other@example.com"]]
    assert len(to_other) == 1 and "cannot be used" in to_other[0].body
    assert "confirm" in [m for m in mail.outbox if m.to == ["new@example.com"]][0].body


def test_signup_with_a_taken_name_reports_other_mistakes_as_for_a_free_one(client, alice):
    """Errors in the other fields are the same for a taken and a free name."""
    bad = {"credit_code": "91440300MA5ABCDE0"}
    assert "18 characters" in signup(client, username="alice", **bad).content.decode()
    assert "18 characters" in signup(client, username="zoe", **bad).content.decode()
    assert not mail.outbox


def test_the_confirmation_link_works_once(client):
    signup(client)
    link = re.search(r"https?://[^/]+(/account/signup/confirm/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    assert User.objects.get(username="chen").is_active
    assert client.post(link).status_code == 400
    assert client.get("/account/signup/confirm/AAAA/nonsense/").status_code == 400
    assert client.get("/account/signup/confirm/%FF%FE/x/").status_code == 400


def test_an_unconfirmed_account_cannot_log_in(client):
    signup(client)
    response = client.post(reverse("accounts:login"), {"username": "chen", "password": PASSWORD})
    assert response.status_code == 200


_code = credit_code


# Pages that send mail are limited per address --------------------------------------------------


@pytest.fixture
def mail_rate(settings):
    from django.core.cache import cache

    cache.clear()
    settings.STDPLUS_RATES = {"mail": "3/hour"}
    yield
    cache.clear()


def test_signups_from_one_address_are_limited(client, mail_rate):
    for n in range(3):
        response = signup(client, username=f"person{n}", email=f"p{n}@example.com",
                          credit_code=_code(f"91440300MA5LMN0{n}"))  # fmt: skip
        assert response.status_code == 302
    response = signup(client, username="person9", email="p9@example.com",
                      credit_code=_code("91440300MA5LMN09"))  # fmt: skip
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many mails were asked for from your address" in response.content.decode()
    assert len(mail.outbox) == 3 and not User.objects.filter(username="person9").exists()
    # A form with mistakes does not count, and another address is not affected.
    assert signup(Client(REMOTE_ADDR="192.0.2.50"), username="person9", email="p9@example.com",
                  credit_code=_code("91440300MA5LMN09")).status_code == 302  # fmt: skip


def test_password_reset_mails_from_one_address_are_limited(client, alice, mail_rate):
    for _ in range(3):
        client.post(reverse("accounts:password_reset"), {"email": alice.email})
    response = client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_a_bad_user_name_is_shown_with_the_other_mistakes(client):
    response = signup(client, username="p\u0430ypal", email="", password2="different")
    text = response.content.decode()
    assert "mixes letters of the scripts Cyrillic, Latin" in text
    assert "The two passwords differ." in text and "This field is required." in text
