"""Parse map text (YAML or JSON) into plain data, bounded, with every number exact.

- Decimal numbers become ``Decimal`` straight from their text, never binary floats
  (``99999999999.999999`` stays exactly that); ``.inf``/``.nan``/``NaN`` are kept as Decimal
  infinities and NaN for validation to refuse, or refused by the JSON parser.
- A YAML mapping key must be a plain value: a mapping or sequence used as a key is refused.
- Nesting deeper than ``max_depth`` and documents of more than ``max_nodes`` values (aliases
  counted as often as they are used, so an alias bomb is refused) are refused before Python
  recursion or memory give out.
- An impossible YAML date such as ``2027-02-30`` stays text, so validation reports it at its path.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from rackclear.io.limits import DEFAULT_LIMITS, ReadLimits, Refused, over_limit
from rackclear.rulebook.strict_yaml import StrictLoader

ComposeError = yaml.composer.ComposerError
ConstructError = yaml.constructor.ConstructorError


class MapLoader(StrictLoader):
    """The strict loader (duplicate keys refused), bounded and exact (see the module docstring)."""

    limits: ReadLimits = DEFAULT_LIMITS

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            return self._alias(parent, index)
        self._depth += 1
        if self._depth > self.limits.max_depth:
            limit = over_limit("nesting", self.limits.max_depth, "max_depth", " levels")
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ComposeError(None, None, limit, mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None:
            self._count(node)
        return node

    def _alias(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """The node an alias names; an alias to a value that contains it is refused."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        target = self.anchors.get(event.anchor)
        if target is not None and id(target) not in self._sizes:
            raise ComposeError(None, None, "no alias to a value that contains it", event.start_mark)
        node: yaml.Node | None = super().compose_node(parent, index)
        return node

    def _count(self, node: yaml.Node) -> None:
        """Record how many values ``node`` stands for, aliases expanded; refuse past the limit."""
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        size = 1 + sum(self._sizes.get(id(child), 1) for child in children)
        if size > self.limits.max_nodes:
            limit = over_limit("a document", self.limits.max_nodes, "max_nodes", " values")
            raise ComposeError(None, None, limit, node.start_mark)
        self._sizes[id(node)] = size


def _timestamp_or_text(loader: MapLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


def _sexagesimal(text: str) -> Decimal:
    sign = -1 if text.startswith("-") else 1
    value = Decimal(0)
    for part in text.lstrip("+-").split(":"):
        value = value * 60 + Decimal(part)
    return sign * value


def _decimal(loader: MapLoader, node: yaml.ScalarNode) -> Decimal:
    """A YAML float as the exact Decimal of its text."""
    text = str(loader.construct_scalar(node)).replace("_", "").strip()
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    if text.lower() in special:
        return Decimal(special[text.lower()])
    try:
        return _sexagesimal(text) if ":" in text else Decimal(text)
    except InvalidOperation:
        raise ConstructError(None, None, f"a number (found {text!r})", node.start_mark) from None


def _int(loader: MapLoader, node: yaml.ScalarNode) -> int:
    """A YAML integer; one too long for Python to read is refused as a parse error."""
    try:
        return int(loader.construct_yaml_int(node))
    except ValueError:
        raise ConstructError(
            None, None, "an integer of at most 4300 digits", node.start_mark
        ) from None


def _mapping(loader: MapLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "mapping" if isinstance(key_node, yaml.MappingNode) else "sequence"
            raise ConstructError(
                None, None, f"a plain key, not a {kind} used as a key", key_node.start_mark
            )
    return _strict_mapping(loader, node, deep)


def _strict_mapping(loader: MapLoader, node: yaml.MappingNode, deep: bool) -> Any:
    constructor = StrictLoader.yaml_constructors[yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG]
    return constructor(loader, node, deep)


MapLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
MapLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
MapLoader.add_constructor("tag:yaml.org,2002:int", _int)
MapLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _loader(text: str, limits: ReadLimits) -> MapLoader:
    loader = MapLoader(text)
    loader.limits = limits
    return loader


def parse_yaml(text: str, limits: ReadLimits = DEFAULT_LIMITS) -> Any:
    """The YAML document in ``text``; raises ``yaml.YAMLError`` or ``Refused``."""
    loader = _loader(text, limits)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise Refused(over_limit("nesting", limits.max_depth, "max_depth", " levels")) from None
    except (ArithmeticError, LookupError, ValueError, TypeError, AttributeError) as exc:
        # PyYAML's own constructors fail this way on a value its tag cannot hold (`!!int ''`,
        # `!!bool maybe`, `!!timestamp x`): a parse error, like any other.
        detail = f"a value that its tag can hold ({exc.__class__.__name__}: {exc})"
        raise Refused(f"valid YAML: {detail}") from None
    finally:
        loader.dispose()


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise ValueError(f"a number, not {name}")


_OPENERS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def json_depth(text: str) -> int:
    """The deepest nesting of brackets in JSON ``text`` (strings skipped).

    >>> json_depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    depth = deepest = 0
    for match in _OPENERS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def parse_json(text: str, limits: ReadLimits = DEFAULT_LIMITS) -> Any:
    """The JSON value in ``text``; raises ``ValueError`` (bad JSON) or ``Refused`` (a limit)."""
    if json_depth(text) > limits.max_depth:
        raise Refused(over_limit("nesting", limits.max_depth, "max_depth", " levels"))
    try:
        return json.loads(
            text, object_pairs_hook=_json_object, parse_float=Decimal, parse_constant=_no_constant
        )
    except RecursionError:
        raise Refused(over_limit("nesting", limits.max_depth, "max_depth", " levels")) from None
