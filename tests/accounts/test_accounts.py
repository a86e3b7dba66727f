import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from stdplus.accounts.credit_code import credit_code_error
from stdplus.accounts.models import ApiToken, Membership, Organization
from stdplus.accounts.services import organization_create, token_create, token_revoke
from stdplus.core.errors import ApplicationError

from .helpers import PASSWORD, credit_code

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, **fields):
    data = {
        "username": "chen",
        "email": "chen@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "action": "create",
        "kind": "enterprise",
        "name_zh": "深圳某电子有限公司",
        "credit_code": credit_code("91440300MA5ABCDE"),
        **fields,
    }
    return client.post(reverse("accounts:signup"), data)


def test_credit_code_check_character():
    good = credit_code("91440300MA5ABCDE")
    assert credit_code_error(good) is None
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert "check character" in credit_code_error(wrong)


def test_signup_creates_an_enterprise_with_its_admin(client):
    response = signup(client)
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert organization.credit_code == credit_code("91440300MA5ABCDE")
    assert Membership.objects.get().role == "admin"
    assert organization.join_code
    # The account opens when its owner confirms the address, through the mailed link.
    assert not User.objects.get(username="chen").is_active
    assert client.get(reverse("accounts:account")).status_code == 302
    link = re.search(r"https?://[^/]+(/account/signup/confirm/\S+/)", mail.outbox[0].body)
    assert client.get(link.group(1)).status_code == 200
    client.post(link.group(1))
    assert User.objects.get(username="chen").is_active
    assert client.get(reverse("accounts:account")).status_code == 200  # logged in


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"credit_code": ""}, "an enterprise needs its unified social credit code"),
        ({"credit_code": "91440300MA5ABCDE0"}, "18 characters"),
        ({"credit_code": credit_code("91440300MA5ABCDE")[:17] + "Z"}, "cannot contain Z"),
        ({"password1": "123", "password2": "123"}, "This password is too short"),
        ({"kind": "regulator"}, "Select a valid choice"),
    ],
)
def test_signup_errors_store_nothing(client, fields, message):
    response = signup(client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists() and not Organization.objects.exists()


def test_a_regulator_cannot_be_self_registered(db):
    user = User.objects.create_user("x", "x@example.com", PASSWORD)
    with pytest.raises(ApplicationError, match="registered by the platform staff"):
        organization_create(user=user, kind="regulator", name_zh="市场监督管理局")


def test_join_with_the_code_as_a_member(client, org_a):
    response = signup(client, action="join", join_code=org_a.join_code, credit_code="")
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="chen")
    assert membership.organization == org_a and membership.role == "member"


def test_join_with_a_wrong_code(client, org_a):
    response = signup(client, action="join", join_code="guess", credit_code="")
    assert "no organization has this join code" in response.content.decode()
    assert not User.objects.filter(username="chen").exists()


def test_same_credit_code_twice(client, org_a):
    response = signup(client, credit_code=org_a.credit_code)
    assert "already registered" in response.content.decode()


def test_only_admins_see_and_rotate_the_join_code(client, org_a, alice):
    from .helpers import member

    colleague = member(org_a)
    client.force_login(colleague)
    assert org_a.join_code not in client.get(reverse("accounts:organization")).content.decode()
    assert client.post(reverse("accounts:organization")).status_code == 403
    client.force_login(alice)
    old = org_a.join_code
    assert old in client.get(reverse("accounts:organization")).content.decode()
    client.post(reverse("accounts:organization"))
    org_a.refresh_from_db()
    assert org_a.join_code and org_a.join_code != old


def test_login_logout(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:account")).status_code == 302


def test_password_reset_by_mail(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form = client.get(link.group(1), follow=True)
    new = "another long passphrase 77"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_csrf_is_enforced(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(reverse("accounts:account"), {"name": "x"}).status_code == 403


def test_token_shown_once_and_stored_hashed(alice_client, alice):
    response = alice_client.post(reverse("accounts:account"), {"name": "ERP sync"})
    raw = re.search(r'<code id="new-token">(sp_[^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert raw not in (token.digest, token.prefix) and len(token.digest) == 64
    assert raw not in alice_client.get(reverse("accounts:account")).content.decode()
    assert response["Cache-Control"] == "no-store"


def test_token_authenticates_and_revocation_stops_it(client, alice, org_a):
    token, raw = token_create(user=alice, organization=org_a, name="script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/checks", **headers).status_code == 200
    token_revoke(token_id=token.pk, user=alice)
    assert client.get("/api/v1/checks", **headers).status_code == 401


def test_a_person_cannot_revoke_or_see_another_persons_token(client, alice, bob, org_a):
    token, _raw = token_create(user=alice, organization=org_a, name="alice's script")
    client.force_login(bob)
    assert "alice&#x27;s script" not in client.get(reverse("accounts:account")).content.decode()
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_token_stops_when_the_person_leaves(client, alice, org_a):
    _token, raw = token_create(user=alice, organization=org_a, name="script")
    Membership.objects.filter(user=alice).delete()
    assert client.get("/api/v1/checks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.parametrize("wanted", ["abc", "", "1.5", "-1", "٣", "9" * 30, "0"])
def test_switching_to_an_organization_that_is_not_a_number_is_refused_clearly(
    alice_client, org_a, wanted
):
    response = alice_client.post(
        reverse("accounts:switch"), {"organization": wanted}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    page = alice_client.get(reverse("accounts:account")).content.decode()
    assert "Choose one of your organizations." in page
