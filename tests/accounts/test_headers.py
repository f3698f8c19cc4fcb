"""Security headers on every kind of page: a strict Content-Security-Policy
and a Permissions-Policy turning off what the site never uses."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response):
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in header.split(";"))
        if part
    }


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "improvement:dashboard", "admin:index"]
)
def test_a_strict_content_security_policy_on_every_kind_of_page(client_as_admin, name):
    response = client_as_admin.get(reverse(name))
    policy = _policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_the_one_inline_script_carries_this_responses_nonce(client):
    first = client.get(reverse("login"))
    second = client.get(reverse("login"))
    nonces = []
    for response in (first, second):
        script_src = _policy(response)["script-src"]
        nonce = next(s for s in script_src if s.startswith("'nonce-"))[7:-1]
        assert f'<script nonce="{nonce}">' in response.text
        # Every inline script has it; others load from the site.
        for tag in re.findall(r"<script[^>]*>", response.text):
            assert f'nonce="{nonce}"' in tag or "src=" in tag, tag
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_browser_features_the_site_never_uses_are_off(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header
