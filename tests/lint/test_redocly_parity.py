"""Rules that name a Redocly rule flag the nodes Redocly's flags, on minimal hand-written descriptions.

Each case is a disagreement once seen on the APIs-guru corpus (``redocly lint`` against ours), reduced to the
few lines that show it. Where we differ from Redocly on purpose, the case says so and pins our verdict.
"""

from __future__ import annotations

from typing import Any

import pytest

from generators.lint import LintConfig, lint_document


def flagged(document: dict[str, Any], rule: str) -> list[str]:
    """The JSON pointers ``rule`` flags in ``document`` (the default config, one core)."""
    found = lint_document(document, LintConfig(), lambda pointer: None, parallel=False)
    return sorted(d.json_path for d in found if d.code == rule)


def api(**members: Any) -> dict[str, Any]:
    """A small valid OpenAPI 3.0 description with ``members`` added or replaced at its root."""
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.tasks.test"}],
        "paths": {"/tasks": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    document.update(members)
    return document


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://example.com", True),
        ("https://api.example.com/v1", True),  # a subdomain of example.com
        ("http://localhost:3000", True),
        ("http://localhost", True),
        ("https://proxy.test/example.com?x=1", True),  # a whole path segment too, as Redocly's pattern has it
        ("https://notexample.com", False),
        ("https://example.com.tasks.test", False),
        ("https://example.community", False),
        ("https://mylocalhost.test", False),
    ],
)
def test_no_server_example_com_flags_example_com_subdomains_and_localhost(url: str, placeholder: bool) -> None:
    document = api(servers=[{"url": url}])
    assert flagged(document, "no-server-example.com") == (["/servers/0/url"] if placeholder else [])


def test_a_component_referenced_from_a_property_named_value_or_example_is_used() -> None:
    """azure.com/web-ResourceProvider.json: BillingMeter is the items of BillingMeterCollection's property
    ``value``; we called it unused (a ``value`` was taken for an Example Object's literal), Redocly did not."""
    schemas = {
        "Page": {
            "type": "object",
            "properties": {
                "value": {"type": "array", "items": {"$ref": "#/components/schemas/Meter"}},
                "example": {"$ref": "#/components/schemas/Sample"},
            },
        },
        "Meter": {"type": "string"},
        "Sample": {"type": "string"},
        "Spare": {"type": "string"},
    }
    examples = {"Full": {"value": {"$ref": "#/components/schemas/Spare"}}}  # a literal: not a use of Spare
    content = {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/Page"},
            "examples": {"example": {"$ref": "#/components/examples/Full"}},  # an example named "example"
        }
    }
    paths = {"/tasks": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}}
    document = api(paths=paths, components={"schemas": schemas, "examples": examples})
    assert flagged(document, "no-unused-components") == ["/components/schemas/Spare"]


def test_a_security_scheme_no_requirement_names_is_unused() -> None:
    """azure.com/sql-WorkloadClassifiers.json declares azure_auth and no security requirement names it: Redocly
    flagged it, we skipped security schemes (they are not used by $ref). A callback's requirement is a use."""
    callbacks = {"done": {"{$request.body#/url}": {"post": {"security": [{"hook": []}], "responses": {}}}}}
    paths = {"/tasks": {"get": {"responses": {"200": {"description": "ok"}}, "callbacks": callbacks}}}
    schemes = {name: {"type": "apiKey", "in": "header", "name": f"x-{name}"} for name in ("key", "hook", "spare")}
    document = api(paths=paths, security=[{"key": []}], components={"securitySchemes": schemes})
    assert flagged(document, "no-unused-components") == ["/components/securitySchemes/spare"]


def test_schemas_a_discriminator_selects_are_used() -> None:
    """A schema a discriminator can select is used: one its ``mapping`` names, and one that extends the
    discriminator's schema through ``allOf`` (selected by its name), as Redocly has it; we flagged both.

    Where we differ on purpose: a mapping value may be a bare schema name (OpenAPI: "schema names or
    references"), which names a schema too; Redocly counts only values written as refs."""
    pet = {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"}},
    }
    schemas = {
        "Pet": pet,
        "Cat": {"type": "object"},
        "Dog": {"type": "object"},
        "Fish": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object"}]},
        "Bird": {"allOf": [{"$ref": "#/components/schemas/Cat"}]},  # Cat has no discriminator
        "Ant": {"oneOf": [{"$ref": "#/components/schemas/Pet"}]},  # not an extension of Pet
    }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
    paths = {"/pets": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}}
    document = api(paths=paths, components={"schemas": schemas})
    assert flagged(document, "no-unused-components") == ["/components/schemas/Ant", "/components/schemas/Bird"]


@pytest.mark.parametrize(
    ("first", "second", "ambiguous"),
    [
        ("/{group}/{user}/keystore/store.p12", "/etc/packages/{group}/{name}-{version}.zip", False),
        ("/{group}/{user}/keystore", "/etc/replication/agents.{mode}", False),
        ("/{group}/{user}/keystore.p12", "/etc/replication/{name}.p12", True),  # Redocly: no (on purpose)
        ("/{kind}/mine", "/tasks/{id}", True),
        ("/{kind}/{file}.json", "/tasks/{id}", True),
        ("/tasks/{file}.json", "/tasks/{id}", False),  # the first is more specific everywhere
        ("/{kind}/{file}.json", "/tasks/{name}.xml", False),
        ("/accounts/workspaces{name}/projects", "/accounts/workspaces/{name}", False),  # a variable is not empty
    ],
)
def test_a_segment_with_text_around_its_variable_matches_only_that_text(
    first: str, second: str, ambiguous: bool
) -> None:
    """adobe.com/aem.json: we called /{intermediatePath}/{authorizableId}/keystore/store.p12 ambiguous with
    /etc/packages/{group}/{name}-{version}.zip (a template segment was read as a whole variable); no URL
    matches both (store.p12 does not end in .zip), and Redocly did not flag it.

    Where we differ on purpose: Redocly reads such a segment as plain text, so /etc/replication/{name}.p12 is not
    ambiguous with /{group}/{user}/keystore.p12 for it, although /etc/replication/keystore.p12 matches both."""
    paths = {path: {"get": {"responses": {"200": {"description": "ok"}}}} for path in (first, second)}
    assert flagged(api(paths=paths), "no-ambiguous-paths") == ([pointer(second)] if ambiguous else [])


def pointer(path: str) -> str:
    return "/paths/" + path.replace("~", "~0").replace("/", "~1")


def test_a_default_response_documents_success() -> None:
    """adobe.com/aem.json: POST /.cqactions.html has only a default response; we flagged it for documenting
    no success, Redocly did not: `default` covers every status the operation does not list, 2xx included."""
    paths = {
        "/a": {"get": {"responses": {"default": {"description": "any"}}}},
        "/b": {"get": {"responses": {"404": {"description": "gone"}}}},
    }
    assert flagged(api(paths=paths), "operation-2xx-response") == ["/paths/~1b/get/responses"]


def test_uri_formats_are_checked() -> None:
    """asana.com.json: WorkspaceResponse's email_domains example ["asana.com"] has items of format uri; Redocly
    flagged #/.../example/0 (no scheme: not a URI), we did not check uri at all."""
    domains = {
        "type": "array",
        "items": {"type": "string", "format": "uri"},
        "example": ["asana.com", "https://a.test"],
    }
    links = {"type": "array", "items": {"type": "string", "format": "uri-reference"}, "example": ["/v1/a", "/v1/a b"]}
    document = api(components={"schemas": {"Workspace": {"properties": {"domains": domains, "links": links}}}})
    assert flagged(document, "no-invalid-schema-examples") == [
        "/components/schemas/Workspace/properties/domains/example/0",
        "/components/schemas/Workspace/properties/links/example/1",
    ]


def test_an_ambiguous_path_is_one_finding_naming_the_first_earlier_path() -> None:
    """data2crm.com.json: '/application/entity/{entity_id}/aggregate' and its siblings were each told once for every
    earlier path they are ambiguous with (135 findings); Redocly tells each path once, with the first earlier path
    it is ambiguous with (5), and so do we."""
    order = ["/entity/account/{account_id}", "/entity/call/{call_id}", "/entity/{kind}/count", "/entity/{kind}/list"]
    paths = {path: {"get": {"responses": {"200": {"description": "ok"}}}} for path in order}
    document = api(paths=paths)
    assert flagged(document, "no-ambiguous-paths") == [pointer("/entity/{kind}/count"), pointer("/entity/{kind}/list")]
    found = lint_document(document, LintConfig(), lambda pointer: None, parallel=False)
    messages = [f.message for f in found if f.code == "no-ambiguous-paths"]
    assert messages == [
        "path '/entity/{kind}/count' is ambiguous with '/entity/account/{account_id}'",
        "path '/entity/{kind}/list' is ambiguous with '/entity/account/{account_id}'",
    ]
