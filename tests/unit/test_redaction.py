"""The one redaction layer masks secrets by name and by value wherever they appear."""

from __future__ import annotations

from conformance.redaction import MASK, Redactor

SECRET = "s3cr3t-value-123"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


def test_authorization_header_keeps_only_the_scheme() -> None:
    """Authorization shows the scheme (useful evidence) and never the credential."""
    assert {"Authorization": f"Bearer {MASK}"} == Redactor().headers({"Authorization": f"Bearer {JWT}"})


def test_form_secret_fields_are_masked() -> None:
    """client_secret and password in a form body are masked; other fields stay readable."""
    body = Redactor().body(f"grant_type=client_credentials&client_secret={SECRET}&password=pw",
                           "application/x-www-form-urlencoded")
    assert f"grant_type=client_credentials&client_secret={MASK}&password={MASK}" == body


def test_json_secret_keys_are_masked_at_any_depth() -> None:
    """Secret-bearing JSON keys are masked in nested objects and lists."""
    data = Redactor().data({"a": [{"secret": SECRET}], "access_token": JWT, "name": "x"})
    assert {"a": [{"secret": MASK}], "access_token": MASK, "name": "x"} == data


def test_registered_values_are_masked_in_free_text() -> None:
    """A secret the run has seen is masked even where no field name gives it away."""
    redactor = Redactor([SECRET])
    assert f"curl -u client:{MASK} https://x" == redactor.text(f"curl -u client:{SECRET} https://x")


def test_jwt_shaped_strings_are_masked() -> None:
    """Anything shaped like a JWT is masked, registered or not."""
    assert f"token {MASK} end" == Redactor().text(f"token {JWT} end")


def test_query_string_secrets_are_masked() -> None:
    """Legacy clients put client_secret in the query string; the URL in evidence hides it."""
    url = Redactor().url(f"https://h/SAAS/auth/oauthtoken?grant_type=client_credentials&client_secret={SECRET}")
    assert f"https://h/SAAS/auth/oauthtoken?grant_type=client_credentials&client_secret={MASK}" == url
