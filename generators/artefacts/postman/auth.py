"""Postman auth from OpenAPI security: the root ``security`` for the collection, an operation's own for its request.

Of a requirement list (alternatives) the first one with a scheme Postman's auth carries is taken, else the first
that sends anything (an API key in a cookie is often a browser session): ``[{}, {bearer: []}]`` (optional auth)
gives the Bearer token, ``[]`` or ``[{}]`` no auth. Within one requirement (schemes that all apply) the first
scheme Postman can send becomes the request's auth; further API keys, and API keys in a cookie (Postman's API key
auth has no cookie), become headers and query parameters of each request that uses it. An OAuth 2.0 scheme asks
for every scope any request needs of it, so one token serves the collection and requests that differ from the
root only by their scopes inherit its auth.

| scheme | Postman auth | variables |
| --- | --- | --- |
| http bearer | bearer | token |
| http basic, digest | basic, digest | user name and password |
| http, another scheme | API key ``Authorization: <scheme> {{token}}`` | token |
| apiKey in header, query | apikey with the key's name | token |
| oauth2 | oauth2 (grant type, URLs and scopes of its first flow) | token, client id and secret |
| openIdConnect | oauth2 with the token | token |
| mutualTLS, undeclared | nothing (certificates are set in Postman's settings) | |

The first scheme the collection uses gets the plain names (``apiKey`` for a token, ``username``/``password``,
``clientId``/``clientSecret``); another scheme's variables are named after it (``adminKey``,
``partnerUsername``). The environment offers every variable some request uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generators.artefacts.operation_facts import resolve
from generators.artefacts.postman.common import API_KEY, BASE_URL, IDEMPOTENCY_KEY
from generators.core.operations import document_operations

_RESERVED = (BASE_URL, IDEMPOTENCY_KEY)
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")
# OpenAPI flow name -> Postman grant type
_GRANTS = {
    "authorizationCode": "authorization_code",
    "clientCredentials": "client_credentials",
    "password": "password_credentials",
    "implicit": "implicit",
}
_CLIENT_SECRET_FLOWS = ("authorizationCode", "clientCredentials", "password")


@dataclass(frozen=True)
class Variable:
    """An environment variable the auth uses; ``secret`` ones are masked in Postman."""

    name: str
    secret: bool


@dataclass
class RequestAuth:
    """What one security requirement adds to a request: Postman auth, plus the headers and query parameters
    Postman's auth cannot carry (``(name, value)``); ``covers``: the ``(in, lower-case name)`` of parameters the
    credential replaces (a spec that also lists its API key header as a parameter sends it once)."""

    auth: dict[str, Any] = field(default_factory=lambda: {"type": "noauth"})
    headers: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    covers: set[tuple[str, str]] = field(default_factory=set)


Chosen = list[tuple[str, dict[str, Any], Any]]  # (scheme name, scheme, scopes) of one requirement


class AuthPlan:
    """Every scheme's variables, named once for the whole collection, and the auth of each requirement."""

    def __init__(self, spec: dict[str, Any]) -> None:
        components = spec.get("components")
        declared = components.get("securitySchemes") if isinstance(components, dict) else None
        self._schemes: dict[str, dict[str, Any]] = {}  # declared, $ref followed
        for name, raw in declared.items() if isinstance(declared, dict) else ():
            scheme = resolve(spec, raw)
            if isinstance(scheme, dict):
                self._schemes[str(name)] = scheme
        root = self._choose(spec.get("security"))
        operations = [self._choose(op["security"]) for op in _secured(spec)]
        # one token per OAuth 2.0 scheme, asked with every scope any request needs of it: the requests that
        # differ from the root only by their scopes inherit the collection's auth
        self._scopes: dict[str, list[str]] = {}
        for chosen in (root, *operations):
            for name, _, scopes in chosen or ():
                known = self._scopes.setdefault(name, [])
                for scope in scopes if isinstance(scopes, list) else ():
                    if isinstance(scope, str) and scope not in known:
                        known.append(scope)
        self._names: dict[str, dict[str, str]] = {}  # scheme -> role -> variable name
        self.variables: list[Variable] = []
        self.root = self._requirement(root)
        for chosen in operations:  # names every variable, in the collection's order
            self._requirement(chosen)

    @property
    def collection(self) -> dict[str, Any]:
        """The collection's auth: the root requirement's, ``noauth`` when the root names none."""
        return self.root.auth

    def for_operation(self, op: dict[str, Any]) -> RequestAuth:
        """The operation's own ``security`` when it has one, else the root's."""
        security = op.get("security")
        return self._requirement(self._choose(security)) if isinstance(security, list) else self.root

    def _choose(self, security: Any) -> Chosen | None:
        """The alternative Postman sends: the first one with a scheme Postman's auth carries, else the first
        that sends anything (API keys in a cookie: often a browser session), else None (no auth). An
        alternative naming a scheme nobody declared cannot be satisfied and is skipped."""
        fallback = None
        for requirement in security if isinstance(security, list) else ():
            if not isinstance(requirement, dict) or not all(n in self._schemes for n in requirement):
                continue
            sendable = [(str(n), self._schemes[n], s) for n, s in requirement.items() if _kind(self._schemes[n])]
            if any(scheme.get("in") != "cookie" for _, scheme, _ in sendable):
                return sendable
            fallback = fallback or sendable or None
        return fallback

    def _requirement(self, schemes: Chosen | None) -> RequestAuth:
        result = RequestAuth()
        primary: dict[str, Any] | None = None
        cookies: list[str] = []
        for name, scheme, _ in schemes or ():
            kind = _kind(scheme)
            if kind != "apiKey" and primary is not None:
                continue  # Postman sends one auth per request; the first scheme written wins
            variables = self._variables(name, scheme)
            if kind == "apiKey":
                where, key, token = str(scheme.get("in")), str(scheme.get("name", "")), _ref(variables["token"])
                result.covers.add((where, key.lower()))
                if where == "cookie":
                    cookies.append(f"{key}={token}")
                elif primary is None:
                    primary = _attrs("apikey", key=key, value=token, **{"in": where})
                else:
                    (result.headers if where == "header" else result.query).append((key, token))
            else:
                primary = _auth(kind, scheme, variables, self._scopes.get(name, []))
        if primary is not None:
            result.auth = primary
        if cookies:
            result.headers.append(("Cookie", "; ".join(cookies)))
        return result

    def _variables(self, name: str, scheme: dict[str, Any]) -> dict[str, str]:
        """The scheme's variables by role, named on first use (the collection's first scheme gets plain names)."""
        if name in self._names:
            return self._names[name]
        first = not self._names
        base = _NOT_NAME.sub("_", name).strip("_") or "auth"
        base = base if base[0].isalpha() else "auth_" + base
        roles: dict[str, str] = {}
        for role, plain, secret in _roles(scheme):
            wanted = plain if first else (base if role == "token" else base + plain[0].upper() + plain[1:])
            roles[role] = self._take(wanted, secret)
        self._names[name] = roles
        return roles

    def _take(self, wanted: str, secret: bool) -> str:
        taken = {*_RESERVED, *(v.name for v in self.variables)}
        chosen, number = wanted, 2
        while chosen in taken:
            chosen, number = f"{wanted}{number}", number + 1
        self.variables.append(Variable(chosen, secret))
        return chosen


def _kind(scheme: dict[str, Any]) -> str | None:
    """``http``, ``apiKey``, ``oauth2`` or ``openIdConnect`` when Postman can send it, else None."""
    kind = scheme.get("type")
    if kind == "http":
        return kind if isinstance(scheme.get("scheme"), str) and scheme["scheme"].strip() else None
    if kind == "apiKey":
        sendable = scheme.get("in") in ("header", "query", "cookie") and isinstance(scheme.get("name"), str)
        return kind if sendable else None
    return kind if kind in ("oauth2", "openIdConnect") else None


def _roles(scheme: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """``(role, plain variable name, secret)`` of each variable the scheme needs."""
    if _http_scheme(scheme) in ("basic", "digest"):
        yield "username", "username", False
        yield "password", "password", True
        return
    yield "token", API_KEY, True
    flow = _flow(scheme)
    if flow is not None:
        yield "clientId", "clientId", False
        if flow[0] in _CLIENT_SECRET_FLOWS:
            yield "clientSecret", "clientSecret", True


def _auth(kind: str | None, scheme: dict[str, Any], variables: dict[str, str], scopes: list[str]) -> dict[str, Any]:
    http = _http_scheme(scheme)
    if http == "bearer":
        return _attrs("bearer", token=_ref(variables["token"]))
    if http in ("basic", "digest"):
        return _attrs(http, username=_ref(variables["username"]), password=_ref(variables["password"]))
    if kind == "http":  # another scheme (e.g. "Token"): the Authorization header as the spec names it
        value = f"{str(scheme['scheme']).strip()} {_ref(variables['token'])}"
        return _attrs("apikey", key="Authorization", value=value, **{"in": "header"})
    values: dict[str, str] = {"accessToken": _ref(variables["token"]), "addTokenTo": "header"}
    flow = _flow(scheme)
    if flow is not None:
        name, details = flow
        values["grant_type"] = _GRANTS[name]
        for field_name, attr in (("authorizationUrl", "authUrl"), ("tokenUrl", "accessTokenUrl")):
            if isinstance(details.get(field_name), str):
                values[attr] = details[field_name]
        values["clientId"] = _ref(variables["clientId"])
        if "clientSecret" in variables:
            values["clientSecret"] = _ref(variables["clientSecret"])
    if scopes:
        values["scope"] = " ".join(scopes)
    return _attrs("oauth2", **values)


def _http_scheme(scheme: dict[str, Any]) -> str | None:
    return str(scheme["scheme"]).strip().lower() if scheme.get("type") == "http" else None


def _flow(scheme: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """An oauth2 scheme's first flow Postman knows (in the order written), with its details."""
    flows = scheme.get("flows") if scheme.get("type") == "oauth2" else None
    for name, details in flows.items() if isinstance(flows, dict) else ():
        if name in _GRANTS and isinstance(details, dict):
            return str(name), details
    return None


def _secured(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The operations with a ``security`` of their own, in the collection's order."""
    for _, _, op, _ in document_operations(spec):
        if isinstance(op.get("security"), list):
            yield op


def _attrs(kind: str, **values: str) -> dict[str, Any]:
    return {"type": kind, kind: [{"key": k, "value": v, "type": "string"} for k, v in values.items()]}


def _ref(variable: str) -> str:
    return "{{" + variable + "}}"
