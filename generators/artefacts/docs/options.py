"""The ``[tool.atlas-spec.docs]`` table: Redoc options checked by name and type, plus where Redoc comes from.

Redoc silently ignores an option it does not know, so a typo would go unnoticed; we refuse unknown keys
with a did-you-mean hint instead. Option names are Redoc's own (camelCase), so its documentation applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError, Location
from generators.core.paths import resolved
from generators.core.settings import Settings, config_place, did_you_mean

REDOC_JS_KEY = "redoc-js"

_BOOL = (bool,)
_NUMBER = (int, float)
_TEXT = (str,)

# Redoc 2.5 options that make sense in a static page (callbacks and DOM nodes cannot come from TOML).
REDOC_OPTIONS: dict[str, tuple[type, ...]] = {
    "disableSearch": _BOOL,
    "downloadDefinitionUrl": _TEXT,
    "downloadFileName": _TEXT,
    "expandDefaultServerVariables": _BOOL,
    "expandResponses": _TEXT,
    "expandSingleSchemaField": _BOOL,
    "generatedPayloadSamplesMaxDepth": _NUMBER,
    "hideDownloadButton": _BOOL,
    "hideFab": _BOOL,
    "hideHostname": _BOOL,
    "hideLoading": _BOOL,
    "hidePropertiesPrefix": _BOOL,
    "hideRequestPayloadSample": _BOOL,
    "hideSchemaPattern": _BOOL,
    "hideSchemaTitles": _BOOL,
    "hideSecuritySection": _BOOL,
    "hideSingleRequestSampleTab": _BOOL,
    "jsonSampleExpandLevel": (int, str),
    "maxDisplayedEnumValues": _NUMBER,
    "menuToggle": _BOOL,
    "minCharacterLengthToInitSearch": _NUMBER,
    "nativeScrollbars": _BOOL,
    "onlyRequiredInSamples": _BOOL,
    "pathInMiddlePanel": _BOOL,
    "payloadSampleIdx": _NUMBER,
    "requiredPropsFirst": _BOOL,
    "sanitize": _BOOL,
    "schemaDefinitionsTagName": _TEXT,
    "schemasExpansionLevel": (int, str),
    "scrollYOffset": (int, float, str),
    "showExtensions": (bool, str, list),
    "showObjectSchemaExamples": _BOOL,
    "showSecuritySchemeType": _BOOL,
    "showWebhookVerb": _BOOL,
    "sideNavStyle": _TEXT,
    "simpleOneOfTypeLabel": _BOOL,
    "sortEnumValuesAlphabetically": _BOOL,
    "sortOperationsAlphabetically": _BOOL,
    "sortPropsAlphabetically": _BOOL,
    "sortTagsAlphabetically": _BOOL,
    "theme": (dict,),
}

# Our defaults: raw HTML in spec Markdown is never executed; the link bar already offers the exact download.
DEFAULT_OPTIONS: dict[str, Any] = {"sanitize": True, "hideDownloadButton": True}


@dataclass(frozen=True)
class DocsConfig:
    """What the docs page needs from the settings."""

    redoc_options: dict[str, Any]
    redoc_js: Path | None


def docs_config(settings: Settings) -> DocsConfig:
    """Check ``[tool.atlas-spec.docs]`` and resolve it; raise AtlasError naming the config file on a bad key."""
    table: Mapping[str, Any] = settings.docs
    options = dict(DEFAULT_OPTIONS)
    redoc_js: Path | None = None
    for key, value in table.items():
        if key == REDOC_JS_KEY:
            if not isinstance(value, (str, Path)):
                raise _type_error(key, "a path", value, config_place(settings, "docs", key))
            redoc_js = resolved(settings.project_dir / Path(value))
            continue
        expected = REDOC_OPTIONS.get(key)
        if expected is None:
            hint = did_you_mean(key, [*REDOC_OPTIONS, REDOC_JS_KEY], "see the Redoc options list in README.md")
            where = config_place(settings, "docs", key)
            raise AtlasError.at("docs-config-key", f"unknown key '{key}' in [tool.atlas-spec.docs]", where, hint)
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
            kinds = " or ".join(t.__name__ for t in expected)
            raise _type_error(key, kinds, value, config_place(settings, "docs", key))
        options[key] = value
    return DocsConfig(redoc_options=options, redoc_js=redoc_js)


def _type_error(key: str, expected: str, value: object, where: Location | None) -> AtlasError:
    return AtlasError.at(
        "docs-config-type",
        f"[tool.atlas-spec.docs] '{key}' must be {expected}, not {type(value).__name__}",
        where,
    )
