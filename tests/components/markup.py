"""Normalise HTML into a small tree and list the differences between two trees.

Two renderings of a component are the same when they have the same elements, in the same
order, with the same attributes and text. Whitespace between and around text, the order of
attributes and the order of class names do not count; comments are dropped; a valueless
attribute (``disabled``) equals an empty one (``disabled=""``).

`differences(ours, official)` returns one line per difference, each naming where it is
(``div.nhsuk-form-group > input.nhsuk-input: attribute rows: ours '10', official absent``),
so a difference can be declared intentional by its exact wording in `intentional.py`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def label(self) -> str:
        """``tag.first-class`` (or ``tag#id``): how a path names this element."""
        if self.classes:
            return f"{self.tag}.{self.classes[0]}"
        if self.attrs.get("id"):
            return f"{self.tag}#{self.attrs['id']}"
        return self.tag

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def start_tag(self) -> str:
        attrs = "".join(f' {name}="{value}"' for name, value in sorted(self.attrs.items()))
        return f"<{self.tag}{attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, _normal_attrs(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, _normal_attrs(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        raise ValueError(f"</{tag}> closes nothing")

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text:
            return
        siblings = self.stack[-1].children
        if siblings and isinstance(siblings[-1], str):
            siblings[-1] = f"{siblings[-1]} {text}"
        else:
            siblings.append(text)


def _normal_attrs(attrs) -> dict[str, str]:
    normal = {}
    for name, value in attrs:
        value = "" if value is None else value
        if name == "class":
            value = " ".join(dict.fromkeys(value.split()))
        else:
            value = " ".join(value.split())
        normal[name] = value
    return normal


def parse(html: str) -> Element:
    """Return the root of `html`'s tree (a ``#root`` element holding the top-level nodes)."""
    builder = _TreeBuilder()
    builder.feed(str(html))
    builder.close()
    if len(builder.stack) != 1:
        raise ValueError(f"unclosed <{builder.stack[-1].tag}>")
    return builder.root


def fragment(*elements: Element) -> Element:
    """Wrap elements in a ``#root`` so they compare like a parsed fragment."""
    return Element("#root", {}, list(elements))


def _describe(node: Element | str) -> str:
    if isinstance(node, str):
        return f"text {node!r}"
    return node.start_tag()


def _compare_attrs(path: str, ours: Element, official: Element, out: list[str]) -> None:
    our_classes, official_classes = set(ours.classes), set(official.classes)
    for name in sorted(our_classes - official_classes):
        out.append(f"{path}: class {name!r} only in ours")
    for name in sorted(official_classes - our_classes):
        out.append(f"{path}: class {name!r} only in official")
    for name in sorted((set(ours.attrs) | set(official.attrs)) - {"class"}):
        a, b = ours.attrs.get(name), official.attrs.get(name)
        if a != b:
            a_text = "absent" if a is None else repr(a)
            b_text = "absent" if b is None else repr(b)
            out.append(f"{path}: attribute {name}: ours {a_text}, official {b_text}")


def _key(node: Element | str) -> str:
    return "#text" if isinstance(node, str) else node.tag


def _child_path(path: str, node: Element) -> str:
    return f"{path} > {node.label}" if path else node.label


def _compare(path: str, ours: Element, official: Element, out: list[str]) -> None:
    _compare_attrs(path, ours, official, out)
    _compare_children(path, ours.children, official.children, out)


def _compare_pair(path: str, x: Element | str, y: Element | str, out: list[str]) -> None:
    if isinstance(x, str) and isinstance(y, str):
        if x != y:
            out.append(f"{path or '(top)'}: text: ours {x!r}, official {y!r}")
    elif isinstance(x, Element) and isinstance(y, Element) and x.tag == y.tag:
        _compare(_child_path(path, x), x, y, out)
    else:
        out.append(f"{path or '(top)'}: only in ours: {_describe(x)}")
        out.append(f"{path or '(top)'}: only in official: {_describe(y)}")


def _keys(nodes) -> list[str]:
    return [_key(n) for n in nodes]


def _compare_children(path: str, a: list, b: list, out: list[str]) -> None:
    matcher = difflib.SequenceMatcher(a=_keys(a), b=_keys(b), autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        left, right = a[a1:a2], b[b1:b2]
        if op == "equal":
            for x, y in zip(left, right, strict=True):
                _compare_pair(path, x, y, out)
        elif _wraps(left, right):
            # One side puts an extra element around what the other has: name the wrapper,
            # then compare what is inside it with the other side.
            wrapper = left[0]
            out.append(f"{path or '(top)'}: wrapper only in ours: {_describe(wrapper)}")
            _compare_children(_child_path(path, wrapper), wrapper.children, right, out)
        elif _wraps(right, left):
            wrapper = right[0]
            out.append(f"{path or '(top)'}: wrapper only in official: {_describe(wrapper)}")
            _compare_children(_child_path(path, wrapper), left, wrapper.children, out)
        elif len(left) == len(right):
            for x, y in zip(left, right, strict=True):
                _compare_pair(path, x, y, out)
        else:
            for node in left:
                out.append(f"{path or '(top)'}: only in ours: {_describe(node)}")
            for node in right:
                out.append(f"{path or '(top)'}: only in official: {_describe(node)}")


def _wraps(side: list, other: list) -> bool:
    """Whether `side` is a single element whose children line up with `other`."""
    return (
        len(side) == 1
        and isinstance(side[0], Element)
        and bool(other)
        and _keys(side[0].children) == _keys(other)
    )


def differences(ours: str | Element, official: str | Element) -> list[str]:
    """Every difference between two renderings, one line each; empty when they match."""
    ours_tree = ours if isinstance(ours, Element) else parse(ours)
    official_tree = official if isinstance(official, Element) else parse(official)
    out: list[str] = []
    _compare("", ours_tree, official_tree, out)
    return out


def to_html(nodes) -> str:
    """Serialise nodes back to HTML (to hand our content to a macro's ``html`` parameter)."""
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(escape(node, quote=False))
            continue
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
        parts.append(f"<{node.tag}{attrs}>")
        if node.tag not in VOID_ELEMENTS:
            parts.append(f"{to_html(node.children)}</{node.tag}>")
    return "".join(parts)
