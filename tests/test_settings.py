"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Jd9!a8s7d6f5g4h3j2k1l0z9x8c7v6b5n4m3q2w1e0r9t8y7u6i5o4p3",
    "ALLOWED_HOSTS": "plan.example.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://plan.example.gov.uk",
    "DATABASE_URL": "postgres://golden:secret@db.internal:5432/golden",
}


def _run_manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION
        and not k.startswith(("SECURE_", "SESSION_", "CSRF_", "STATICFILES_", "TRUST_"))
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_is_clean_behind_a_proxy_that_is_trusted():
    env = {**PRODUCTION, "TRUST_X_FORWARDED_PROTO": "true"}
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# Over plain HTTP, with X-Forwarded-Proto forged by the client: is the request
# believed secure, and does the HTTPS redirect still happen?
FORGED_HTTPS = (
    "from django.middleware.security import SecurityMiddleware;"
    "from django.test import RequestFactory;"
    "r = RequestFactory().get('/actions/', headers={'X-Forwarded-Proto': 'https'},"
    " HTTP_HOST='plan.example.gov.uk');"
    "redirect = SecurityMiddleware(lambda request: None).process_request(r);"
    "print(r.is_secure(), getattr(redirect, 'url', None))"
)


def test_a_forged_forwarded_proto_is_not_believed_unless_asked_for():
    result = _run_manage("shell", "-c", FORGED_HTTPS, env=PRODUCTION)
    assert result.stdout.split()[-2:] == [
        "False",
        "https://plan.example.gov.uk/actions/",
    ], result.stderr


def test_behind_a_trusted_proxy_its_forwarded_proto_is_believed():
    env = {**PRODUCTION, "TRUST_X_FORWARDED_PROTO": "true"}
    result = _run_manage("shell", "-c", FORGED_HTTPS, env=env)
    assert result.stdout.split()[-2:] == ["True", "None"], result.stderr


def test_the_running_site_does_not_believe_a_forged_forwarded_proto(client):
    """The settings the tests run with: the defaults, over plain HTTP."""
    response = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.wsgi_request.is_secure() is False


def test_without_debug_the_site_will_not_serve_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    serve = _run_manage("shell", "-c", "import improvement.wsgi", env=env)
    assert serve.returncode != 0
    assert "Set SECRET_KEY" in serve.stderr
    deploy = _run_manage("check", "--deploy", env=env)
    assert deploy.returncode != 0
    assert "SECRET_KEY is not set" in deploy.stderr
    # Commands that do not serve the site still run, e.g. migrations checks.
    assert _run_manage("check", env=env).returncode == 0


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = _run_manage("shell", "-c", code, env=env)
    assert result.stdout.strip().endswith("False"), result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_is_refused(value):
    result = _run_manage("check", env={**PRODUCTION, "DEBUG": value})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_database_keeps_connections_and_health_checks_them():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = _run_manage("shell", "-c", code, env=PRODUCTION)
    assert result.stdout.split()[-3:] == [
        "django.db.backends.postgresql",
        "600",
        "True",
    ], result.stderr


def test_static_files_have_hashed_names_in_production():
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles'])"
    result = _run_manage("shell", "-c", code, env=PRODUCTION)
    assert "CompressedManifestStaticFilesStorage" in result.stdout, result.stderr


def test_time_zone_and_language_are_british():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def test_the_mail_server_is_set_from_the_environment():
    env = {
        **PRODUCTION,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.council.example",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "golden-thread",
        "EMAIL_USE_TLS": "true",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
        " s.EMAIL_USE_TLS)"
    )
    result = _run_manage("shell", "-c", code, env=env)
    assert result.stdout.split()[-5:] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.council.example",
        "587",
        "golden-thread",
        "True",
    ], result.stderr
