"""Brute-force protection on the admin sign-in (django-axes)."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import make_editor

LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password, ip="192.0.2.10"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def victim(db):
    return make_editor(username="ada")


def test_wrong_passwords_below_the_limit_show_the_sign_in_form(client, victim):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "ada", "guess")

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text


def test_nth_wrong_password_locks_the_account_from_that_address(client, victim):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ada", "guess")

    locked = sign_in(client, "ada", "guess")
    right_password = sign_in(client, "ada", "pw-for-tests-only")

    assert locked.status_code == 429
    assert "Sign-in temporarily locked" in locked.text
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address_pair(client, victim):
    make_editor(username="grace")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ada", "guess")

    other_address = sign_in(client, "ada", "pw-for-tests-only", ip="198.51.100.7")
    client.logout()
    other_user = sign_in(client, "grace", "pw-for-tests-only")

    assert other_address.status_code == 302
    assert other_user.status_code == 302


def test_axes_reset_lifts_the_lock(client, victim):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ada", "guess")

    call_command("axes_reset", verbosity=0)
    response = sign_in(client, "ada", "pw-for-tests-only")

    assert response.status_code == 302


def test_force_login_still_works_with_the_lockout_backend(editor_client):
    assert editor_client.get("/admin/").status_code == 200
