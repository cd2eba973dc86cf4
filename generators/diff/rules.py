"""The rule catalogue: every check the diff can report, with a stable id, level, bump and message.

Ids never change once released (acknowledgement files name them). Schema checks exist twice, once per
direction: ``request-*`` judges data clients send us (narrowing breaks them), ``response-*`` judges data we
send (responses and webhook payloads; widening breaks clients). House conventions, where they differ from
oasdiff's defaults, are deliberate: oasdiff's WARN counts as breaking; a security requirement or scope added
to an operation is breaking; a server URL change is breaking, a server added is minor; an operationId rename
is minor; a parameter's changed default is breaking; ``x-extensible-enum`` values may grow in responses.
"""

from __future__ import annotations

from generators.diff.model import Bump, Level, Rule

B, W, I = Level.BREAKING, Level.WARNING, Level.INFO  # noqa: E741 - short names keep the tables readable
_BUMP = {B: Bump.MAJOR, W: Bump.MINOR, I: Bump.MINOR}

# (check, request level, response level, message); {value}, {old}, {new} are filled in by the comparison.
# A level of None: the check cannot apply in that direction (readOnly only matters to requests, writeOnly to
# responses), so no rule exists there.
SCHEMA_CHECKS: tuple[tuple[str, Level | None, Level | None, str], ...] = (
    ("type-changed", B, B, "type changed from {old} to {new}"),
    ("type-widened", I, B, "type widened from {old} to {new}"),
    ("type-narrowed", B, I, "type narrowed from {old} to {new}"),
    ("format-changed", B, B, "format changed from {old} to {new}"),
    ("format-added", B, I, "format {new} added"),
    ("format-removed", I, B, "format {old} removed"),
    ("enum-value-added", I, B, "enum value {value} added"),
    ("enum-value-removed", B, I, "enum value {value} removed"),
    ("extensible-enum-value-added", I, I, "extensible enum value {value} added"),
    ("enum-added", B, I, "enum {new} added"),
    ("enum-removed", I, B, "enum {old} removed"),
    ("nullable-added", I, B, "null is now allowed"),
    ("nullable-removed", B, I, "null is no longer allowed"),
    ("pattern-added", B, I, "pattern {new} added"),
    ("pattern-changed", B, W, "pattern changed from {old} to {new}"),
    ("pattern-removed", I, B, "pattern {old} removed"),
    ("multiple-of-changed", B, B, "multipleOf changed from {old} to {new}"),
    ("unique-items-added", B, I, "items must now be unique"),
    ("unique-items-removed", I, B, "items no longer need to be unique"),
    ("default-changed", B, I, "default changed from {old} to {new}"),
    ("required-property-added", B, I, "required property {name} added"),
    ("optional-property-added", I, I, "optional property {name} added"),
    ("property-removed", B, B, "property {name} removed"),
    ("deprecated-property-removed", I, I, "deprecated property {name} removed"),
    ("property-removed-before-sunset", B, B, "deprecated property {name} removed before its sunset date {sunset}"),
    ("property-became-required", B, I, "property {name} became required"),
    ("property-became-optional", I, B, "property {name} became optional"),
    ("property-deprecated", I, I, "property {name} deprecated"),
    ("property-became-read-only", B, None, "property {name} became read-only"),
    ("property-became-write-only", None, B, "property {name} became write-only"),
    ("additional-properties-narrowed", B, I, "additional properties narrowed"),
    ("additional-properties-widened", I, B, "additional properties widened"),
    ("one-of-added", I, B, "oneOf alternative {value} added"),
    ("one-of-removed", B, I, "oneOf alternative {value} removed"),
    ("any-of-added", I, B, "anyOf alternative {value} added"),
    ("any-of-removed", B, I, "anyOf alternative {value} removed"),
    ("all-of-added", B, I, "allOf part {value} added"),
    ("all-of-removed", I, B, "allOf part {value} removed"),
    ("discriminator-added", B, I, "discriminator on {new} added"),
    ("discriminator-removed", I, B, "discriminator on {old} removed"),
    ("discriminator-property-changed", B, B, "discriminator property changed from {old} to {new}"),
    ("discriminator-mapping-added", I, B, "discriminator mapping {value} added"),
    ("discriminator-mapping-removed", B, I, "discriminator mapping {value} removed"),
    ("discriminator-mapping-changed", B, B, "discriminator mapping {value} changed"),
    # A schema given where the media type had none (or the opposite): everything was allowed before.
    ("schema-added", B, I, "schema added where any value was allowed"),
    ("schema-removed", I, B, "schema removed: any value is now allowed"),
    ("wrapped-in-one-of", B, B, "restructured into a oneOf of {value}"),
    ("property-became-not-read-only", I, None, "property {name} is no longer read-only"),
    ("property-became-not-write-only", None, W, "property {name} is no longer write-only (now sent in responses)"),
    ("dependent-required-added", B, I, "when {name} is present, {value} now required"),
    ("dependent-required-removed", I, B, "when {name} is present, {value} no longer required"),
    ("content-media-type-added", B, I, "contentMediaType {new} added"),
    ("content-media-type-removed", I, B, "contentMediaType {old} removed"),
    ("content-media-type-changed", B, B, "contentMediaType changed from {old} to {new}"),
    ("content-encoding-added", B, I, "contentEncoding {new} added"),
    ("content-encoding-removed", I, B, "contentEncoding {old} removed"),
    ("content-encoding-changed", B, B, "contentEncoding changed from {old} to {new}"),
    # Positions of a tuple mean something to both sides: a position added or removed changes the shape.
    ("prefix-items-added", B, B, "prefixItems position {value} added"),
    ("prefix-items-removed", B, B, "prefixItems position {value} removed"),
)

# JSON Schema 2020-12 subschema keywords: adding one constrains (breaks requests), removing one relaxes
# (breaks responses). Changes inside a subschema present on both sides are compared like any schema.
# (check stem, keyword, whether the keyword holds a map of subschemas)
SUBSCHEMA_KEYWORDS: tuple[tuple[str, str, bool], ...] = (
    ("if", "if", False),
    ("then", "then", False),
    ("else", "else", False),
    ("contains", "contains", False),
    ("property-names", "propertyNames", False),
    ("unevaluated-items", "unevaluatedItems", False),
    ("unevaluated-properties", "unevaluatedProperties", False),
    ("content-schema", "contentSchema", False),
    ("pattern-property", "patternProperties", True),
    ("dependent-schema", "dependentSchemas", True),
)


def _subschema_checks() -> tuple[tuple[str, Level | None, Level | None, str], ...]:
    checks: list[tuple[str, Level | None, Level | None, str]] = []
    for stem, keyword, mapped in SUBSCHEMA_KEYWORDS:
        what = f"{keyword} {{value}}" if mapped else keyword
        checks += [(f"{stem}-added", B, I, f"{what} added"), (f"{stem}-removed", I, B, f"{what} removed")]
    return tuple(checks)


# Numeric bounds: one family of four checks each (tighter bound breaks requests, looser breaks responses).
_BOUNDS = (
    ("max", "maximum"),
    ("min", "minimum"),
    ("max-length", "maxLength"),
    ("min-length", "minLength"),
    ("max-items", "maxItems"),
    ("min-items", "minItems"),
    ("max-properties", "maxProperties"),
    ("min-properties", "minProperties"),
    ("max-contains", "maxContains"),
    ("min-contains", "minContains"),
)


def _bound_checks() -> tuple[tuple[str, Level | None, Level | None, str], ...]:
    checks = []
    for short, keyword in _BOUNDS:
        tighter, looser = ("decreased", "increased") if short.startswith("max") else ("increased", "decreased")
        checks += [
            (f"{short}-{tighter}", B, I, f"{keyword} {tighter} from {{old}} to {{new}}"),
            (f"{short}-{looser}", I, B, f"{keyword} {looser} from {{old}} to {{new}}"),
            (f"{short}-added", B, I, f"{keyword} {{new}} added"),
            (f"{short}-removed", I, B, f"{keyword} {{old}} removed"),
        ]
    return tuple(checks)


BOUND_KEYWORDS = dict(_BOUNDS)

# (id, level, bump, area, message) for everything that is not a per-direction schema check.
_OTHER: tuple[tuple[str, Level, Bump, str, str], ...] = (
    # paths and operations
    ("operation-removed", B, Bump.MAJOR, "operations", "operation removed"),
    (
        "operation-removed-before-sunset",
        B,
        Bump.MAJOR,
        "operations",
        "deprecated operation removed before its sunset date {sunset}",
    ),
    ("deprecated-operation-removed", I, Bump.MINOR, "operations", "deprecated operation removed"),
    ("operation-added", I, Bump.MINOR, "operations", "operation added"),
    ("operation-deprecated", I, Bump.MINOR, "operations", "operation deprecated"),
    ("operation-undeprecated", I, Bump.MINOR, "operations", "operation no longer deprecated"),
    ("operation-sunset-changed", I, Bump.MINOR, "operations", "sunset date changed from {old} to {new}"),
    ("operation-sunset-moved-earlier", W, Bump.MINOR, "operations", "sunset date moved earlier from {old} to {new}"),
    ("operation-id-changed", I, Bump.MINOR, "operations", "operationId changed from {old} to {new}"),
    ("path-parameter-renamed", I, Bump.MINOR, "operations", "path parameter {old} renamed to {new}"),
    ("operation-summary-changed", I, Bump.PATCH, "documentation", "summary changed"),
    ("operation-description-changed", I, Bump.PATCH, "documentation", "description changed"),
    ("operation-tags-changed", I, Bump.PATCH, "documentation", "tags changed from {old} to {new}"),
    ("operation-external-docs-changed", I, Bump.PATCH, "documentation", "externalDocs changed"),
    # parameters
    ("request-parameter-removed", B, Bump.MAJOR, "parameters", "{name} removed"),
    (
        "request-parameter-removed-before-sunset",
        B,
        Bump.MAJOR,
        "parameters",
        "deprecated {name} removed before its sunset date {sunset}",
    ),
    ("deprecated-request-parameter-removed", I, Bump.MINOR, "parameters", "deprecated {name} removed"),
    ("request-parameter-added-required", B, Bump.MAJOR, "parameters", "required {name} added"),
    ("request-parameter-added-optional", I, Bump.MINOR, "parameters", "optional {name} added"),
    ("request-parameter-became-required", B, Bump.MAJOR, "parameters", "{name} became required"),
    ("request-parameter-became-optional", I, Bump.MINOR, "parameters", "{name} became optional"),
    ("request-parameter-location-changed", B, Bump.MAJOR, "parameters", "{name} moved from {old} to {new}"),
    ("request-parameter-style-changed", B, Bump.MAJOR, "parameters", "{name} style changed from {old} to {new}"),
    ("request-parameter-explode-changed", B, Bump.MAJOR, "parameters", "{name} explode changed from {old} to {new}"),
    ("request-parameter-default-changed", B, Bump.MAJOR, "parameters", "{name} default changed from {old} to {new}"),
    ("request-parameter-default-added", I, Bump.MINOR, "parameters", "{name} default {new} added"),
    ("request-parameter-default-removed", W, Bump.MINOR, "parameters", "{name} default {old} removed"),
    ("request-parameter-deprecated", I, Bump.MINOR, "parameters", "{name} deprecated"),
    ("request-parameter-empty-value-disallowed", B, Bump.MAJOR, "parameters", "{name} no longer allows empty values"),
    ("request-parameter-empty-value-allowed", I, Bump.MINOR, "parameters", "{name} now allows empty values"),
    (
        "request-parameter-media-type-changed",
        B,
        Bump.MAJOR,
        "parameters",
        "{name} media type changed from {old} to {new}",
    ),
    ("request-parameter-description-changed", I, Bump.PATCH, "documentation", "{name} description changed"),
    # request bodies
    ("request-body-added-required", B, Bump.MAJOR, "request bodies", "required request body added"),
    ("request-body-added-optional", I, Bump.MINOR, "request bodies", "optional request body added"),
    ("request-body-removed", B, Bump.MAJOR, "request bodies", "request body removed"),
    ("request-body-became-required", B, Bump.MAJOR, "request bodies", "request body became required"),
    ("request-body-became-optional", I, Bump.MINOR, "request bodies", "request body became optional"),
    ("request-body-media-type-removed", B, Bump.MAJOR, "request bodies", "media type {value} removed"),
    ("request-body-media-type-added", I, Bump.MINOR, "request bodies", "media type {value} added"),
    ("request-body-description-changed", I, Bump.PATCH, "documentation", "request body description changed"),
    # responses
    ("response-success-status-removed", B, Bump.MAJOR, "responses", "success response {value} removed"),
    ("response-error-status-removed", W, Bump.MINOR, "responses", "error response {value} removed"),
    ("response-status-added", I, Bump.MINOR, "responses", "response {value} added"),
    ("response-media-type-removed", B, Bump.MAJOR, "responses", "media type {value} removed"),
    ("response-media-type-added", I, Bump.MINOR, "responses", "media type {value} added"),
    ("response-header-removed", B, Bump.MAJOR, "responses", "header {name} removed"),
    ("response-header-added", I, Bump.MINOR, "responses", "header {name} added"),
    ("response-header-became-optional", B, Bump.MAJOR, "responses", "header {name} became optional"),
    ("response-header-became-required", I, Bump.MINOR, "responses", "header {name} became required"),
    ("response-description-changed", I, Bump.PATCH, "documentation", "response description changed"),
    # schema documentation (no direction)
    ("schema-description-changed", I, Bump.PATCH, "documentation", "description changed"),
    ("schema-title-changed", I, Bump.PATCH, "documentation", "title changed"),
    ("example-changed", I, Bump.PATCH, "documentation", "example changed"),
    # security
    ("security-added", B, Bump.MAJOR, "security", "authentication now required ({new})"),
    ("security-removed", I, Bump.MINOR, "security", "authentication no longer required"),
    # A security list is an OR of alternatives, each an AND of schemes: another alternative lets more clients in.
    ("security-requirement-added", I, Bump.MINOR, "security", "security alternative {value} added"),
    ("security-requirement-removed", B, Bump.MAJOR, "security", "security alternative {value} removed"),
    (
        "security-requirement-scheme-added",
        B,
        Bump.MAJOR,
        "security",
        "security alternative {old} now also requires {value}",
    ),
    (
        "security-requirement-scheme-removed",
        I,
        Bump.MINOR,
        "security",
        "security alternative {old} no longer requires {value}",
    ),
    ("security-scope-added", B, Bump.MAJOR, "security", "scope {value} now required by {name}"),
    ("security-scope-removed", I, Bump.MINOR, "security", "scope {value} no longer required by {name}"),
    ("security-scheme-added", I, Bump.MINOR, "security", "security scheme {name} added"),
    ("security-scheme-removed", B, Bump.MAJOR, "security", "security scheme {name} removed"),
    ("security-scheme-type-changed", B, Bump.MAJOR, "security", "{name} type changed from {old} to {new}"),
    ("security-scheme-api-key-changed", B, Bump.MAJOR, "security", "{name} API key moved from {old} to {new}"),
    (
        "security-scheme-http-scheme-changed",
        B,
        Bump.MAJOR,
        "security",
        "{name} HTTP scheme changed from {old} to {new}",
    ),
    (
        "security-scheme-bearer-format-changed",
        W,
        Bump.MINOR,
        "security",
        "{name} bearer format changed from {old} to {new}",
    ),
    ("security-scheme-flow-added", I, Bump.MINOR, "security", "{name} OAuth flow {value} added"),
    ("security-scheme-flow-removed", B, Bump.MAJOR, "security", "{name} OAuth flow {value} removed"),
    ("security-scheme-url-changed", B, Bump.MAJOR, "security", "{name} {value} changed from {old} to {new}"),
    ("security-scheme-scope-added", I, Bump.MINOR, "security", "{name} scope {value} added"),
    ("security-scheme-scope-removed", B, Bump.MAJOR, "security", "{name} scope {value} removed"),
    # house extensions
    ("required-scope-added", B, Bump.MAJOR, "extensions", "x-required-scopes gained {value}"),
    ("required-scope-removed", I, Bump.MINOR, "extensions", "x-required-scopes lost {value}"),
    ("ratelimit-class-changed", W, Bump.MINOR, "extensions", "x-ratelimit-class changed from {old} to {new}"),
    # servers
    ("server-url-changed", B, Bump.MAJOR, "servers", "server URL changed from {old} to {new}"),
    ("server-added", I, Bump.MINOR, "servers", "server {new} added"),
    ("server-removed", B, Bump.MAJOR, "servers", "server {old} removed"),
    (
        "server-variable-default-changed",
        W,
        Bump.MINOR,
        "servers",
        "server variable {name} default changed from {old} to {new}",
    ),
    ("server-variable-enum-value-removed", B, Bump.MAJOR, "servers", "server variable {name} value {value} removed"),
    ("server-variable-enum-value-added", I, Bump.MINOR, "servers", "server variable {name} value {value} added"),
    # webhooks (payloads are judged like responses by the response-* schema checks)
    ("webhook-removed", B, Bump.MAJOR, "webhooks", "webhook removed"),
    (
        "webhook-removed-before-sunset",
        B,
        Bump.MAJOR,
        "webhooks",
        "deprecated webhook removed before its sunset date {sunset}",
    ),
    ("deprecated-webhook-removed", I, Bump.MINOR, "webhooks", "deprecated webhook removed"),
    ("webhook-added", I, Bump.MINOR, "webhooks", "webhook added"),
    ("webhook-deprecated", I, Bump.MINOR, "webhooks", "webhook deprecated"),
    ("webhook-payload-media-type-removed", B, Bump.MAJOR, "webhooks", "payload media type {value} removed"),
    ("webhook-payload-media-type-added", W, Bump.MINOR, "webhooks", "payload media type {value} added"),
    # documentation at the top
    ("info-title-changed", I, Bump.PATCH, "documentation", "info.title changed"),
    ("info-description-changed", I, Bump.PATCH, "documentation", "info.description changed"),
    ("info-contact-changed", I, Bump.PATCH, "documentation", "info.contact changed"),
    ("info-license-changed", I, Bump.PATCH, "documentation", "info.license changed"),
    ("info-terms-of-service-changed", I, Bump.PATCH, "documentation", "info.termsOfService changed"),
    ("tag-added", I, Bump.PATCH, "documentation", "tag {name} added"),
    ("tag-removed", I, Bump.PATCH, "documentation", "tag {name} removed"),
    ("tag-description-changed", I, Bump.PATCH, "documentation", "tag {name} description changed"),
    ("external-docs-changed", I, Bump.PATCH, "documentation", "externalDocs changed"),
    ("openapi-version-changed", I, Bump.PATCH, "documentation", "OpenAPI version changed from {old} to {new}"),
    # lifecycle policy (x-sunset, x-stability-level; deprecation-days in [tool.atlas-spec.diff])
    (
        "deprecated-without-sunset",
        B,
        Bump.MAJOR,
        "lifecycle",
        "{what} deprecated without an x-sunset date (the policy asks for {days} days' notice)",
    ),
    ("sunset-too-soon", B, Bump.MAJOR, "lifecycle", "{what} sunset date {new} is less than {days} days away"),
    ("sunset-moved-earlier", W, Bump.MINOR, "lifecycle", "{what} sunset date moved earlier from {old} to {new}"),
    ("sunset-removed", W, Bump.MINOR, "lifecycle", "{what} lost its x-sunset date but stays deprecated"),
    ("sunset-invalid", W, Bump.MINOR, "lifecycle", "{what} x-sunset {value} is not a date (YYYY-MM-DD)"),
    ("stability-decreased", B, Bump.MAJOR, "lifecycle", "{what} x-stability-level lowered from {old} to {new}"),
    (
        "stability-level-invalid",
        W,
        Bump.MINOR,
        "lifecycle",
        "{what} x-stability-level {value} is not draft, alpha, beta or stable",
    ),
    # callbacks and webhooks: we send the request, the subscriber answers (directions inverted)
    ("callback-added", I, Bump.MINOR, "callbacks", "callback {name} added"),
    ("callback-removed", B, Bump.MAJOR, "callbacks", "callback {name} removed"),
    ("callback-payload-media-type-removed", B, Bump.MAJOR, "callbacks", "payload media type {value} removed"),
    ("callback-payload-media-type-added", W, Bump.MINOR, "callbacks", "payload media type {value} added"),
    ("callback-parameter-removed", B, Bump.MAJOR, "callbacks", "{name} no longer sent"),
    ("callback-parameter-added", I, Bump.MINOR, "callbacks", "{name} now sent"),
    ("callback-response-status-removed", B, Bump.MAJOR, "callbacks", "answer {value} no longer accepted"),
    ("callback-response-status-added", I, Bump.MINOR, "callbacks", "answer {value} now accepted"),
    ("webhook-parameter-removed", B, Bump.MAJOR, "webhooks", "{name} no longer sent"),
    ("webhook-parameter-added", I, Bump.MINOR, "webhooks", "{name} now sent"),
    ("webhook-response-status-removed", B, Bump.MAJOR, "webhooks", "answer {value} no longer accepted"),
    ("webhook-response-status-added", I, Bump.MINOR, "webhooks", "answer {value} now accepted"),
    # links
    ("response-link-removed", W, Bump.MINOR, "links", "link {name} removed"),
    ("response-link-added", I, Bump.MINOR, "links", "link {name} added"),
    ("response-link-changed", W, Bump.MINOR, "links", "link {name} changed"),
    # everything no rule above claims (the catch-all)
    ("other-change", I, Bump.PATCH, "other", "{value}"),
)


def _catalogue() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for check, request_level, response_level, message in SCHEMA_CHECKS + _subschema_checks() + _bound_checks():
        for side, level in (("request", request_level), ("response", response_level)):
            if level is None:
                continue
            rid = f"{side}-{check}"
            rules[rid] = Rule(rid, level, _BUMP[level], message, f"{side} schemas")
    for rid, level, bump, area, message in _OTHER:
        rules[rid] = Rule(rid, level, bump, message, area)
    return rules


RULES: dict[str, Rule] = _catalogue()
