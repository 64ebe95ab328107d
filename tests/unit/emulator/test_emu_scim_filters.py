"""SCIM filters: parser edge cases over HTTP, and the SQL translation checked against scim2-models' own match."""

from __future__ import annotations

import sqlite3

import pytest
import scim2_models as sm
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conformance.emulator.scim import render
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.filters import translate
from conformance.emulator.scim.models import USERS, fold, resource_payload, stored, validate
from tests.support.scim_tenant import ERROR_URN, SEARCH_URN, Tenant

PEOPLE = [
    {"userName": "Alice@Example.test", "displayName": "Alice A", "externalId": "ext-A", "title": "Boss"},
    {"userName": "bob@example.test", "displayName": "bob", "externalId": "ext-b"},
    {"userName": "carol@other.test", "externalId": "EXT-A"},
    {"userName": "dave@example.test", "displayName": "Ålborg Ünïcode"},
    {"userName": "eve@example.test", "displayName": ""},
    {"userName": "Zoë@Example.test", "displayName": "zoë", "externalId": "ext-z", "title": "Dev"},
]


@pytest.fixture(scope="module")
def people():
    """(tenant, scim client, {userName: id}) with the PEOPLE created through the API."""
    tenant = Tenant()
    scim = tenant.sync()
    created = {}
    for person in PEOPLE:
        local = person["userName"].split("@")[0]
        user = scim.user(f"{local}@{scim.domain}", **{k: v for k, v in person.items() if k != "userName"})
        created[local] = user["id"]
    return tenant, scim, created


def found(people, expression):
    """The local parts of the people a filter returns."""
    _, scim, created = people
    ids = {r["id"] for r in scim.list("/Users", filter=expression, count=100)["Resources"]}
    return {local for local, user_id in created.items() if user_id in ids}


@pytest.mark.parametrize(("expression", "expected"), [
    ('USERNAME eq "ALICE@{domain}"', {"Alice"}),
    ('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bo"', {"bob"}),
    ('externalId eq "ext-a"', set()),
    ('externalId eq "EXT-A"', {"carol"}),
    ('externalId ne "ext-b"', {"Alice", "carol", "dave", "eve", "Zoë"}),
    ('not (externalId eq "ext-b")', {"Alice", "carol", "dave", "eve", "Zoë"}),
    ('displayName pr', {"Alice", "bob", "dave", "Zoë"}),
    ('displayName eq "ZOË"', {"Zoë"}),
    ('displayName sw "ål"', {"dave"}),
    ('title pr and not (title eq "dev")', {"Alice"}),
    ('userName ew "@{domain}" and (title eq "boss" or externalId sw "ext-z")', {"Alice", "Zoë"}),
    ('emails pr', set()),
])
def test_filter_semantics(people, expression, expected):
    """Attribute names ignore case; userName/displayName values too, externalId (caseExact) does not; a missing
    value matches ne and not(eq) but no comparison."""
    assert expected == found(people, expression.format(domain=people[1].domain))


@pytest.mark.parametrize("expression", ['userName zz "x"', "userName eq", '(userName eq "x"', 'bogus eq "x"',
                                        'userName eq "x" and', 'emails[type eq "work"', 'userName eq "x"' * 200])
def test_invalid_filters_are_400_invalid_filter(people, expression):
    """RFC 7644 §3.12: a filter that does not parse, names no attribute or is over 2000 characters: invalidFilter."""
    response = people[1].call("GET", "/Users", params={"filter": expression})
    body = response.json()
    assert (400, "400", "invalidFilter", ERROR_URN) == (response.status_code, body["status"], body["scimType"],
                                                        body["schemas"][0])


def test_post_search_needs_its_schema(people):
    """POST /.search without the SearchRequest schema is 400; with it, it filters like GET."""
    scim = people[1]
    assert 400 == scim.call("POST", "/Users/.search", {"filter": 'userName sw "bob"'}).status_code
    body = scim.call("POST", "/Users/.search", {"schemas": [SEARCH_URN], "filter": 'userName sw "bob"'}).json()
    assert [people[2]["bob"]] == [r["id"] for r in body["Resources"]]


@pytest.fixture(scope="module")
def table():
    """An in-memory scim_users table holding PEOPLE, plus their scim2-models resources."""
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    db.executescript(rows.DDL)
    models = {}
    for n, person in enumerate(PEOPLE):
        model = validate(USERS, resource_payload(USERS, {"schemas": [USERS.core_urn], **person}),
                         sm.Context.RESOURCE_CREATION_REQUEST)
        rows.insert(db, USERS, {"id": f"id-{n}", "directory_id": "d", "created": rows.stamp(0),
                                "last_modified": rows.stamp(0), "version": 1,
                                **rows.columns(USERS, fold(person["userName"]), stored(model))})
    for row in db.execute("SELECT * FROM scim_users"):
        models[row["id"]] = render.model_of(USERS, render.full(USERS, row, [], "http://h"))
    return db, models


VALUES = st.sampled_from(["alice@example.test", "ALICE", "bob", "ext-a", "EXT-A", "e", "", "id-1", "zoë", "ål",
                          "Ålborg Ünïcode", "z", "\U0010ffff", "a\U0010ffff"])
ATTRIBUTES = st.sampled_from(["userName", "displayName", "externalId", "id", "title", "DISPLAYNAME"])
OPERATORS = st.sampled_from(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])
ATOMS = st.one_of(
    st.builds(lambda a, o, v: f"{a} {o} {sm.ScimFilter.quote(v)}", ATTRIBUTES, OPERATORS, VALUES),
    st.builds(lambda a, o: f"{a} {o} null", ATTRIBUTES, st.sampled_from(["eq", "ne"])),
    ATTRIBUTES.map(lambda a: f"{a} pr"))
FILTERS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
    st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
    inner.map(lambda a: f"not ({a})")), max_leaves=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FILTERS)
def test_sql_translation_agrees_with_scim2_models(table, expression):
    """An exact translation selects exactly what ScimFilter.match accepts; an inexact one a superset of it."""
    db, models = table
    try:
        scim_filter = sm.ScimFilter[USERS.model](expression)
    except sm.SCIMException:
        assume(False)
    expected = {user_id for user_id, model in models.items() if scim_filter.match(model)}
    sql = translate(USERS, scim_filter.ast, fold)
    selected = {row["id"] for row in db.execute(f"SELECT id FROM scim_users WHERE {sql.where}", sql.params)}
    assert expected == (selected if sql.exact else selected & expected)
    assert selected >= expected
