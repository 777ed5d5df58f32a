"""libyaml's C composer, resolving no tag on its own: plain scalars are left for the
core schema."""

from __future__ import annotations

from typing import Any

import yaml
from yaml._yaml import CParser, get_version_string

from aimsctl.yamlsafe.core_schema import MAP_TAG, PLAIN, SEQ_TAG, STR_TAG

# What reads the YAML: a cache of parses (aimsctl.cache.FileCache) is keyed by it.
PARSER = f"PyYAML {yaml.__version__}, libyaml {get_version_string()}"


class _Resolver(yaml.resolver.BaseResolver):
    """Tags only what is explicit; plain scalars are resolved later by the core schema."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return PLAIN if implicit[0] else STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG

    # The composer calls these for path-based resolvers, which we do not use, once
    # per node. Builtins accept the arguments, do nothing useful and cost far less
    # than a Python method call (about a tenth of the compose time).
    descend_resolver = slice  # type: ignore[assignment]
    ascend_resolver = tuple  # type: ignore[assignment]


class Composer(CParser, _Resolver):
    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        _Resolver.__init__(self)
