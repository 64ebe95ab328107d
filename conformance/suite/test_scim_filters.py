"""SCIM filters (RFC 7644 §3.4.2.2): every attribute operator, logical operators, case rules, valuePath.

Three Users share a unique run-prefixed label; operators that could match foreign Users (ne, pr, gt, ...) are
scoped to them with ``userName sw "<label>" and (...)``.
"""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require

pytestmark = pytest.mark.scim_generic

NAMES = ("alpha", "bravo", "charlie")


@pytest.fixture(autouse=True)
def _filtering(scim_supports):
    scim_supports("filter")


@pytest.fixture(scope="module")
def trio(scim, scim_names):
    """``(label, {name: user})``: alpha has a title, every User has a work email ``<local part>@mail...``."""
    label = scim_names.label("flt")
    users = {}
    for name in NAMES:
        extra = {"title": "Engineer"} if name == "alpha" else {}
        users[name] = check.created(scim.create_user(scim_names.user(label=f"{label}-{name}"), **extra))
    return label, users


def matches(scim, trio, requirement_id, expression):
    """The names (alpha, bravo, charlie) of the trio's Users the filter returns."""
    users = trio[1]
    ids = check.listed_ids(requirement_id, scim.get("/Users", filter=expression, count=100))
    return {name for name, user in users.items() if user["id"] in ids}


def assert_matches(requirement_id, expected, found, expression):
    """The filter matched exactly the ``expected`` names."""
    require(requirement_id, expected == found,
            f"filter {expression!r} matched {sorted(found)}, expected {sorted(expected)}")


def scoped(trio, expression):
    """``expression`` restricted to the trio's Users."""
    return f'userName sw "{trio[0]}" and ({expression})'


@pytest.mark.requirement("SCIM-008")
@pytest.mark.parametrize(("template", "expected"), [
    ('userName eq "{bravo}"', {"bravo"}),
    ('userName co "{hex}-bra"', {"bravo"}),
    ('userName sw "{label}-ch"', {"charlie"}),
    ('userName ew "{hex}-alpha@{domain}"', {"alpha"}),
], ids=["eq", "co", "sw", "ew"])
def test_string_operators(scim, trio, scim_names, template, expected):
    """eq, co, sw and ew match exactly the Users whose userName satisfies them."""
    label, users = trio
    expression = template.format(label=label, hex=label.rsplit("-", 1)[1], domain=scim_names.domain,
                                 bravo=users["bravo"]["userName"])
    assert_matches("SCIM-008", expected, matches(scim, trio, "SCIM-008", expression), expression)


@pytest.mark.requirement("SCIM-008")
@pytest.mark.parametrize(("operator", "expected"), [
    ("ne", {"alpha", "charlie"}),
    ("gt", {"charlie"}),
    ("ge", {"bravo", "charlie"}),
    ("lt", {"alpha"}),
    ("le", {"alpha", "bravo"}),
])
def test_ordering_and_inequality_operators(scim, trio, operator, expected):
    """ne, gt, ge, lt and le compare userName (lexicographically for strings) against bravo's."""
    expression = scoped(trio, f'userName {operator} "{trio[1]["bravo"]["userName"]}"')
    assert_matches("SCIM-008", expected, matches(scim, trio, "SCIM-008", expression), expression)


@pytest.mark.requirement("SCIM-009")
def test_present_operator(scim, trio):
    """``title pr`` matches only the User that has a title."""
    found = matches(scim, trio, "SCIM-009", scoped(trio, "title pr"))
    require("SCIM-009", {"alpha"} == found, f"title pr matched {sorted(found)}")


@pytest.mark.requirement("SCIM-010")
@pytest.mark.parametrize(("template", "expected"), [
    ('userName eq "{alpha}" or userName eq "{charlie}"', {"alpha", "charlie"}),
    ('userName sw "{label}" and not (userName eq "{bravo}")', {"alpha", "charlie"}),
    ('userName sw "{label}" and (title pr or userName eq "{charlie}")', {"alpha", "charlie"}),
    ('userName eq "{alpha}" or userName eq "{bravo}" and title pr', {"alpha"}),
], ids=["or", "not", "grouping", "and-binds-tighter-than-or"])
def test_logical_operators(scim, trio, template, expected):
    """or, not, parentheses, and the precedence of and over or, as RFC 7644 §3.4.2.2 orders them."""
    label, users = trio
    expression = template.format(label=label, **{name: user["userName"] for name, user in users.items()})
    assert_matches("SCIM-010", expected, matches(scim, trio, "SCIM-010", expression), expression)


@pytest.mark.requirement("SCIM-011")
def test_user_name_filter_ignores_case(scim, trio):
    """userName is caseExact false: ``userName eq "<UPPER CASE>"`` finds the User (Okta SPEC test step 9)."""
    shouted = trio[1]["alpha"]["userName"].upper()
    found = matches(scim, trio, "SCIM-011", f'userName eq "{shouted}"')
    require("SCIM-011", {"alpha"} == found, f"userName eq {shouted!r} matched {sorted(found)}")


@pytest.mark.requirement("SCIM-012")
def test_value_path_filter(scim, trio):
    """``emails[type eq "work" and value co "<alpha>"]`` selects the User by its work email."""
    expression = f'emails[type eq "work" and value co "{trio[0]}-alpha"]'
    found = matches(scim, trio, "SCIM-012", expression)
    require("SCIM-012", {"alpha"} == found, f"filter {expression!r} matched {sorted(found)}")


@pytest.mark.requirement("SCIM-013")
def test_no_match_is_an_empty_list(scim, trio, scim_names):
    """A filter matching nothing answers 200 with totalResults 0 (Okta SPEC test step 3)."""
    response = scim.get("/Users", filter=f'userName eq "{trio[0]}-nobody@{scim_names.domain}"')
    body = check.listed(response, "SCIM-013")
    require("SCIM-013", 0 == body["totalResults"], f"totalResults is {body['totalResults']!r}", response)


@pytest.mark.requirement("SCIM-026", "SCIM-025")
@pytest.mark.parametrize("expression", ['userName zz "x"', 'userName eq', '(userName eq "x"'])
def test_invalid_filter_is_400_invalid_filter(scim, expression):
    """A filter that does not parse answers 400 with scimType invalidFilter."""
    check.scim_error("SCIM-026", scim.get("/Users", filter=expression), 400, "invalidFilter")
