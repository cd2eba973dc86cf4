"""Postman auth follows the spec's security, for any API: the root requirement for the collection, an operation's
own ``security`` for its request, every scheme type, and the variables the environment must offer.

``fixtures/auth/openapi.yaml`` uses one scheme of each kind; Newman sends its collection to a loopback server
that records what arrives, so the credentials are checked on the wire, not only as JSON.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.postman import environment as postman_environment
from generators.artefacts.postman.common import base_url
from generators.core.settings import Settings
from tests.conftest import shared_path
from tests.postman.postman_harness import FIXTURES, SHOP, bundled, items, newman

AUTH = FIXTURES / "auth" / "openapi.yaml"


def _config(tmp: Path) -> Settings:
    return Settings(spec=tmp / "openapi.yaml", out_dir=tmp, project_dir=tmp)


def _generate(spec: dict[str, Any], tmp: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    collection = json.loads(postman_collection.generate(spec, _config(tmp)).content)
    environment = json.loads(postman_environment.generate(spec, _config(tmp)).content)
    return collection, environment


def _requests(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i["request"] for i in items(collection)}


def _attrs(auth: dict[str, Any]) -> dict[str, str]:
    return {a["key"]: a["value"] for a in auth[auth["type"]]}


def _env(environment: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {v["key"]: (v["value"], v["type"]) for v in environment["values"]}


@pytest.fixture(scope="module")
def auth_spec() -> dict[str, Any]:
    return bundled(AUTH)


def test_every_scheme_kind_becomes_its_postman_auth(auth_spec: dict[str, Any], tmp_path: Path) -> None:
    collection, _ = _generate(auth_spec, tmp_path)
    # root [{}, {bearer}]: optional auth; the collection offers the credential
    assert collection["auth"]["type"] == "bearer" and _attrs(collection["auth"]) == {"token": "{{apiKey}}"}
    requests = _requests(collection)
    assert "auth" not in requests["viaRootBearer"], "inherits the collection's auth"
    assert requests["public"]["auth"] == {"type": "noauth"}, "security: [] is a public route"
    assert _attrs(requests["viaBasic"]["auth"]) == {"username": "{{basicUsername}}", "password": "{{basicPassword}}"}
    keys = requests["viaKeys"]
    assert _attrs(keys["auth"]) == {"key": "X-API-Key", "value": "{{headerKey}}", "in": "header"}
    assert keys["url"]["raw"] == "{{baseUrl}}/keys?api_key={{queryKey}}", "a second API key: a query parameter"
    assert keys["header"] == [{"key": "Cookie", "value": "session={{cookieKey}}"}], "no cookie API key in Postman"
    # the undeclared alternative cannot be satisfied: the next one (oauth2) is taken, with its flow and scopes
    assert _attrs(requests["viaOAuth"]["auth"]) == {
        "accessToken": "{{oauth}}",
        "addTokenTo": "header",
        "grant_type": "authorization_code",
        "authUrl": "https://auth.example.com/authorize",
        "accessTokenUrl": "https://auth.example.com/token",
        "clientId": "{{oauthClientId}}",
        "clientSecret": "{{oauthClientSecret}}",
        "scope": "pets:read pets:write",
    }
    assert _attrs(requests["viaOpenIdConnect"]["auth"]) == {
        "accessToken": "{{oidc}}",
        "addTokenTo": "header",
        "scope": "openid",
    }
    # mutualTLS sends nothing Postman can set; the other scheme of that requirement is sent
    assert _attrs(requests["viaCustomScheme"]["auth"]) == {
        "key": "Authorization",
        "value": "Token {{custom}}",
        "in": "header",
    }


def test_the_environment_offers_every_credential_used(auth_spec: dict[str, Any], tmp_path: Path) -> None:
    _, environment = _generate(auth_spec, tmp_path)
    secrets = {key for key, (_, kind) in _env(environment).items() if kind == "secret"}
    assert [v["key"] for v in environment["values"]] == [
        "baseUrl",
        "apiKey",
        "basicUsername",
        "basicPassword",
        "headerKey",
        "queryKey",
        "cookieKey",
        "oauth",
        "oauthClientId",
        "oauthClientSecret",
        "oidc",
        "custom",
        "host",
        "port",
    ]
    assert secrets == {"apiKey", "basicPassword", "headerKey", "queryKey", "cookieKey", "oauth"} | {
        "oauthClientSecret",
        "oidc",
        "custom",
    }


def test_every_variable_the_collection_uses_is_in_the_environment(auth_spec: dict[str, Any], tmp_path: Path) -> None:
    collection, environment = _generate(auth_spec, tmp_path)
    text = json.dumps(collection)
    used = {part.split("}}")[0] for part in text.split("{{")[1:]}
    assert used <= set(_env(environment)), used - set(_env(environment))


def test_the_collection_follows_the_official_schema(auth_spec: dict[str, Any], tmp_path: Path) -> None:
    schema = json.loads(shared_path("schemas", "postman-collection-v2.1.0.schema.json").read_text(encoding="utf-8"))
    collection, _ = _generate(auth_spec, tmp_path)
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(collection)] == []


def _shop_with(security: Any = None, schemes: dict[str, Any] | None = None) -> dict[str, Any]:
    spec = bundled(SHOP)
    spec.pop("security")
    if security is not None:
        spec["security"] = security
    if schemes is not None:
        spec["components"]["securitySchemes"] = schemes
    return spec


def test_no_security_anywhere_is_no_auth_and_no_credential(tmp_path: Path) -> None:
    spec = _shop_with()
    spec["components"].pop("securitySchemes")
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    collection, environment = _generate(spec, tmp_path)
    assert collection["auth"] == {"type": "noauth"}
    assert all("auth" not in r for r in _requests(collection).values())
    assert "apiKey" not in _env(environment)


def test_security_only_on_operations_names_the_first_scheme_plainly(tmp_path: Path) -> None:
    """Many specs list security per operation only: the collection is noauth, each request has its own, and
    the first scheme used still gets the plain ``apiKey`` name."""
    spec = _shop_with(schemes={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}})
    spec["paths"]["/pets"]["get"]["security"] = [{"key": []}]
    collection, environment = _generate(spec, tmp_path)
    assert collection["auth"] == {"type": "noauth"}
    listing = _requests(collection)["List pets"]
    assert _attrs(listing["auth"]) == {"key": "X-Key", "value": "{{apiKey}}", "in": "header"}
    assert "auth" not in _requests(collection)["Get a pet"]
    assert _env(environment)["apiKey"] == ("", "secret")


def test_root_basic_auth_names_username_and_password(tmp_path: Path) -> None:
    spec = _shop_with([{"basic": []}], {"basic": {"type": "http", "scheme": "Basic"}})
    collection, environment = _generate(spec, tmp_path)
    assert collection["auth"]["type"] == "basic"
    assert _attrs(collection["auth"]) == {"username": "{{username}}", "password": "{{password}}"}
    assert [v["key"] for v in environment["values"]][:3] == ["baseUrl", "username", "password"]
    assert "apiKey" not in _env(environment)


def test_a_server_variable_never_shadows_a_credential(tmp_path: Path) -> None:
    """A server variable named like a credential (or baseUrl itself) is filled in, not referenced."""
    spec = _shop_with([{"key": []}], {"key": {"type": "apiKey", "in": "query", "name": "key"}})
    spec["servers"] = [
        {
            "url": "https://{apiKey}.example/{baseUrl}/{region}",
            "variables": {"apiKey": {"default": "tenant"}, "baseUrl": {"default": "v1"}, "region": {"default": "eu"}},
        }
    ]
    _, environment = _generate(spec, tmp_path)
    assert _env(environment) == {
        "baseUrl": ("https://tenant.example/v1/{{region}}", "default"),
        "apiKey": ("", "secret"),
        "idempotencyKey": ("", "default"),
        "region": ("eu", "default"),
    }


# ---------------------------------------------------------------------- on the wire, with Newman


class _Recorder(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: dict[str, dict[str, Any]] = {}


class _Handler(BaseHTTPRequestHandler):
    server: _Recorder

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        self.server.seen[path] = {
            "authorization": self.headers.get_all("Authorization") or [],
            "key": self.headers.get_all("X-API-Key") or [],
            "cookie": self.headers.get("Cookie"),
            "query": query,
        }
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.external
def test_newman_sends_each_credential(auth_spec: dict[str, Any], recorder: _Recorder, tmp_path: Path) -> None:
    collection = tmp_path / "auth.postman_collection.json"
    environment = tmp_path / "auth.postman_environment.json"
    collection.write_bytes(postman_collection.generate(auth_spec, _config(tmp_path)).content)
    environment.write_bytes(postman_environment.generate(auth_spec, _config(tmp_path)).content)
    values = {
        "port": str(recorder.server_address[1]),  # baseUrl is http://{{host}}:{{port}}/v1: only the port changes
        "apiKey": "t-root",
        "basicUsername": "ann",
        "basicPassword": "s3cret",
        "headerKey": "hk",
        "queryKey": "qk",
        "cookieKey": "ck",
        "oauth": "t-oauth",
        "oidc": "t-oidc",
        "custom": "t-custom",
    }
    newman(collection, environment, tmp_path, values)
    seen = recorder.seen
    assert sorted(seen) == [f"/v1/{p}" for p in ("basic", "bearer", "keys", "oauth", "oidc", "public", "token")]
    assert seen["/v1/bearer"]["authorization"] == ["Bearer t-root"]
    assert seen["/v1/public"]["authorization"] == []
    assert seen["/v1/basic"]["authorization"] == ["Basic " + base64.b64encode(b"ann:s3cret").decode()]
    assert seen["/v1/keys"]["key"] == ["hk"], "sent once, by the auth (the spec also lists it as a parameter)"
    assert seen["/v1/keys"]["query"] == "api_key=qk" and seen["/v1/keys"]["cookie"] == "session=ck"
    assert seen["/v1/oauth"]["authorization"] == ["Bearer t-oauth"]
    assert seen["/v1/oidc"]["authorization"] == ["Bearer t-oidc"]
    assert seen["/v1/token"]["authorization"] == ["Token t-custom"]


def test_one_oauth_token_asks_for_every_scope_the_requests_need(tmp_path: Path) -> None:
    """Operations that only ask other scopes of the root's OAuth 2.0 scheme inherit the collection's auth, whose
    token is asked with every scope (Runscope's description: 24 request-level copies before)."""
    flows = {"clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {}}}
    spec = _shop_with([{"oauth": ["pets:read"]}], {"oauth": {"type": "oauth2", "flows": flows}})
    spec["paths"]["/pets"]["post"]["security"] = [{"oauth": ["pets:read", "pets:write"]}]
    spec["paths"]["/orders"]["post"]["security"] = [{"oauth": ["orders:write"]}, {}]
    collection, environment = _generate(spec, tmp_path)
    assert _attrs(collection["auth"])["scope"] == "pets:read pets:write orders:write"
    assert _attrs(collection["auth"])["grant_type"] == "client_credentials"
    assert [name for name, r in _requests(collection).items() if "auth" in r] == ["Health check"]  # security: []
    assert [v["key"] for v in environment["values"]][:4] == ["baseUrl", "apiKey", "clientId", "clientSecret"]


def test_a_session_cookie_is_the_last_resort(tmp_path: Path) -> None:
    """Of ``[{cookie}, {header key}, {query key}]`` (Intellifi's Brain API) Postman sends the header key; an
    operation that takes the cookie alone sends it as a Cookie header, under its own variable."""
    schemes = {
        "CookieSid": {"type": "apiKey", "in": "cookie", "name": "brain.sid"},
        "HeaderApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "QueryApiKey": {"type": "apiKey", "in": "query", "name": "api_key"},
    }
    spec = _shop_with([{"CookieSid": []}, {"HeaderApiKey": []}, {"QueryApiKey": []}], schemes)
    spec["paths"]["/pets"]["get"]["security"] = [{"CookieSid": []}]
    collection, environment = _generate(spec, tmp_path)
    assert _attrs(collection["auth"]) == {"key": "X-Api-Key", "value": "{{apiKey}}", "in": "header"}
    listing = _requests(collection)["List pets"]
    assert listing["auth"] == {"type": "noauth"}
    assert {"key": "Cookie", "value": "brain.sid={{CookieSid}}"} in listing["header"]
    assert [v["key"] for v in environment["values"]][:3] == ["baseUrl", "apiKey", "CookieSid"]


def test_a_scheme_relative_server_gets_https(tmp_path: Path) -> None:
    spec = _shop_with()
    spec["servers"] = [{"url": "//www.refugerestrooms.org/api"}]  # as Refuge Restrooms' description has it
    _, environment = _generate(spec, tmp_path)
    assert _env(environment)["baseUrl"] == ("https://www.refugerestrooms.org/api", "default")
    assert base_url(spec) == "https://www.refugerestrooms.org/api"  # the docs page's code samples use it too


def test_a_relative_server_gives_a_relative_base_url(tmp_path: Path) -> None:
    """OpenAPI reads ``/api/v2`` against wherever the description is served, which a build cannot know: baseUrl
    keeps the path (as openapi2postmanv2's does) for the user to prefix with their host in the environment."""
    spec = _shop_with()
    spec["servers"] = [{"url": "/api/v2/"}]
    collection, environment = _generate(spec, tmp_path)
    assert _env(environment)["baseUrl"] == ("/api/v2", "default")
    assert _requests(collection)["List pets"]["url"]["raw"].startswith("{{baseUrl}}/pets")
