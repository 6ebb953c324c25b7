"""Corrections without code: an analyst's YAML file applied on every build.

``data/articles/corrections.yaml`` holds a list of corrections, each with a ``why``::

    corrections:
      - merge: [康桥健康, 康桥健康科技有限公司]
        why: the same company; the article never says so
      - split: 安和
        why: "安和" names the group in one article and the bank in another
      - rename: {name: 仁信, label: 仁信医疗}
        why: the short name is the one readers know
      - retype: {name: 仁信医疗, type: Company}
        why: a consultancy, not a hospital
      - add: {s: 康桥健康, p: partnersWith, o: 华东肿瘤防治联盟}
        why: reported in a photo caption the reader cannot parse
      - remove: {s: 康桥健康, p: partnersWith, o: 仁信医疗}
        why: the article reports a plan, not an agreement

Names are any label or alias an entity has. ``merge`` and ``split`` act on
resolution (``split`` keeps a name apart from every other name); the others
act on the resolved entities and facts. A name that matches nothing is
reported, never silently ignored.

The file cannot hurt the build. ``load_corrections`` reads plain YAML only:
no anchors or aliases (a few hundred bytes of them expand to gigabytes), no
duplicate keys, every value text (``360`` and ``yes`` stay names), at most
``MAX_BYTES``; every name non-empty and free of control characters; no merge
of a name that a split keeps apart. ``apply_corrections`` checks every
correction against the graph before it changes anything: a rename may not
take another entity's label, a retype may not cross Person/Organization, and
every relation added, or whose end is retyped, must go from and to the types
ONTOLOGY.md gives it (``ENDS``); ``kg.resolve.resolve`` refuses a merge of a
person with an organization. Each refusal is a ``CorrectionsError`` naming
the file and line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import CorrectionsError
from kg.resolve import Evidence, Fact, KnowledgeBase
from kg.vocab import ENTITY_CLASSES, ORG_CLASSES, RELATIONS

__all__ = [
    "CORRECTIONS",
    "ENDS",
    "MAX_BYTES",
    "Corrections",
    "Item",
    "apply_corrections",
    "load_corrections",
]

CORRECTIONS = "corrections"  # the article key of evidence that comes from the file
MAX_BYTES = 1_000_000
"""The largest corrections file read: about ten thousand corrections."""
_ACTIONS = ("merge", "split", "rename", "retype", "add", "remove")
_KEYS = {"rename": ("name", "label"), "retype": ("name", "type"), "add": ("s", "p", "o")}
_KEYS["remove"] = _KEYS["add"]

_ORGS = frozenset(ORG_CLASSES)
_PERSON = frozenset({"Person"})
ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "partnersWith": (_ORGS, _ORGS),
    "ceoOf": (_PERSON, _ORGS),
    "chairOf": (_PERSON, _ORGS),
    "presidentOf": (_PERSON, _ORGS),
    "operatesHospital": (_ORGS, frozenset({"Hospital", "InternetHospital"})),
    "subOrganizationOf": (_ORGS, _ORGS),
}
"""The types each relation goes from and to (domain and range, ONTOLOGY.md)."""


class Item(tuple):
    """The operands of one correction, a tuple, with ``where`` it is written.

    >>> pair = Item(("甲", "乙"), "corrections.yaml line 3")
    >>> pair == ("甲", "乙"), pair.where
    (True, 'corrections.yaml line 3')
    """

    where: str

    def __new__(cls, values, where: str = ""):
        item = super().__new__(cls, values)
        item.where = where
        return item


@dataclass(slots=True)
class Corrections:
    """Parsed corrections, by action, in file order.

    Each merge pair, rename, retype, add and remove is an ``Item``; ``where``
    gives the place of each split name.
    """

    path: str = ""
    merge: list[tuple[str, str]] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    rename: list[tuple[str, str]] = field(default_factory=list)
    retype: list[tuple[str, str]] = field(default_factory=list)
    add: list[tuple[str, str, str]] = field(default_factory=list)
    remove: list[tuple[str, str, str]] = field(default_factory=list)
    why: dict[tuple, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(getattr(self, a)) for a in _ACTIONS)


@functools.cache
def _loader():
    """A YAML loader that refuses anchors, aliases and duplicate keys, and
    whose only implicit type is null: every other scalar is text."""
    import yaml
    from yaml.composer import ComposerError
    from yaml.constructor import ConstructorError

    null = "tag:yaml.org,2002:null"
    resolvers = {}
    for first, pairs in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in pairs if tag == null]
        if kept:
            resolvers[first] = kept

    class CorrectionsLoader(yaml.SafeLoader):
        yaml_implicit_resolvers = resolvers

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ComposerError(
                    None,
                    None,
                    "anchors and aliases (&name, *name) are not allowed; write each value out",
                    event.start_mark,
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            seen: dict[str, int] = {}
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                    raise ConstructorError(None, None, "a key must be text", key.start_mark)
                if key.value in seen:
                    raise ConstructorError(
                        None,
                        None,
                        f"duplicate key {key.value!r} (first on line {seen[key.value]})",
                        key.start_mark,
                    )
                seen[key.value] = key.start_mark.line + 1
            return super().construct_mapping(node, deep)

    return CorrectionsLoader


def _read_yaml(path: Path):
    """The document of a corrections file and the line of each of its entries."""
    import yaml

    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorrectionsError(f"{path}: cannot read corrections ({e.strerror or e})") from None
    if len(data) > MAX_BYTES:
        raise CorrectionsError(
            f"{path}: {len(data):,} bytes, more than the {MAX_BYTES:,} a corrections file may have"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorrectionsError(
            f"{path}: cannot read corrections (not UTF-8 text: byte {data[e.start]:#04x} "
            f"at offset {e.start})"
        ) from None
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)  # what YAML refuses, with its line
    if bad is not None:
        raise CorrectionsError(
            f"{path} line {text.count(chr(10), 0, bad.start()) + 1}: cannot read corrections "
            f"(U+{ord(bad.group()):04X} is a control character; is it a text file?)"
        )
    loader = _loader()(text)
    try:
        root = loader.get_single_node()
        doc = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path} line {mark.line + 1}" if mark else str(path)
        what = e.problem or e.context or type(e).__name__
        raise CorrectionsError(f"{where}: cannot read corrections ({what})") from None
    except (yaml.YAMLError, RecursionError, ValueError) as e:
        what = str(e).splitlines()[0] if str(e) else type(e).__name__
        if isinstance(e, RecursionError):
            what = "nested too deeply"
        raise CorrectionsError(f"{path}: cannot read corrections ({what})") from None
    finally:
        loader.dispose()
    lines: list[int] = []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "corrections" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return doc, lines


def load_corrections(path: str | Path) -> Corrections:
    """Read and check a corrections file.

    Raises:
        CorrectionsError: a file that cannot be read, is not UTF-8, is too
            big, is not YAML or uses anchors, aliases or duplicate keys; an
            unknown action or key, a missing ``why``, a name that is empty,
            not text or holds a control character, a value of the wrong
            shape, or a merge of a name a split keeps apart. The message
            names the file and the line.
    """
    path = Path(path)
    data, lines = _read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CorrectionsError(
            f"{path}: expected a mapping with a 'corrections' list, not a {_kind(data)}"
        )
    if set(data) - {"corrections"}:
        raise CorrectionsError(
            f"{path}: unknown key {sorted(set(data) - {'corrections'})[0]!r}; "
            "the file holds one key, 'corrections'"
        )
    entries = data.get("corrections") or []
    if not isinstance(entries, list):
        raise CorrectionsError(f"{path}: expected a mapping with a 'corrections' list")
    out = Corrections(str(path))
    for i, entry in enumerate(entries):
        where = f"{path} line {lines[i]}" if i < len(lines) else f"{path} entry {i + 1}"
        if not isinstance(entry, dict):
            raise CorrectionsError(
                f"{where}: expected a mapping such as {{merge: [A, B], why: …}}, "
                f"not a {_kind(entry)}"
            )
        actions = [a for a in _ACTIONS if a in entry]
        if len(actions) != 1:
            raise CorrectionsError(
                f"{where}: needs exactly one of {', '.join(_ACTIONS)}; got {sorted(entry)}"
            )
        action = actions[0]
        unknown = sorted(set(entry) - {action, "why"})
        if unknown:
            raise CorrectionsError(
                f"{where}: unknown key {unknown[0]!r}; an entry has an action and a 'why'"
            )
        if entry.get("why") is None or not str(entry["why"]).strip():
            raise CorrectionsError(f"{where}: every correction needs a 'why'")
        why = _text(entry["why"], "'why'", where)
        _parse(out, action, entry[action], where)
        if action == "add":
            out.why[out.add[-1]] = why
    _check_merges_and_splits(out)
    return out


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "missing value" if value is None else "single value"


def _text(value: object, what: str, where: str) -> str:
    """``value`` as a name: text, not empty, with no character XML cannot hold."""
    from kg.text import NOT_XML

    if value is None or isinstance(value, str) and not value.strip():
        raise CorrectionsError(f"{where}: {what} is empty")
    if not isinstance(value, str):
        raise CorrectionsError(f"{where}: {what} must be text, not a {_kind(value)}")
    bad = NOT_XML.search(value)
    if bad is not None:
        raise CorrectionsError(
            f"{where}: {what} holds U+{ord(bad.group()):04X}, a control character or a lone "
            "surrogate, which no output can hold"
        )
    return value.strip()


def _parse(out: Corrections, action: str, value, where: str) -> None:
    if action == "merge":
        if not isinstance(value, list) or len(value) < 2:
            raise CorrectionsError(f"{where}: malformed 'merge' (give a list of two or more names)")
        names = [_text(v, "a name to merge", where) for v in value]
        out.merge += [Item((names[0], n), where) for n in names[1:]]
    elif action == "split":
        for v in value if isinstance(value, list) else [value]:
            name = _text(v, "the name to split", where)
            out.split.append(name)
            out.where.setdefault(name, where)
    else:
        keys = _KEYS[action]
        shape = "{" + ", ".join(f"{k}: …" for k in keys) + "}"
        if not isinstance(value, dict) or set(value) != set(keys):
            got = sorted(value) if isinstance(value, dict) else f"a {_kind(value)}"
            raise CorrectionsError(f"{where}: malformed {action!r} (give {shape}; got {got})")
        texts = [_text(value[k], f"{action} {k!r}", where) for k in keys]
        if action == "retype" and texts[1] not in ENTITY_CLASSES:
            raise CorrectionsError(
                f"{where}: malformed 'retype' (type must be one of {', '.join(ENTITY_CLASSES)})"
            )
        if action in ("add", "remove") and texts[1] not in RELATIONS:
            raise CorrectionsError(
                f"{where}: malformed {action!r} (p must be one of {', '.join(RELATIONS)})"
            )
        getattr(out, action).append(Item(texts, where))


def _key(name: str) -> str:
    from kg.resolve import match_key
    from kg.text import normalize

    return match_key(normalize(name))


def _check_merges_and_splits(out: Corrections) -> None:
    """A merge of a name that a split keeps apart: the merge would win, silently."""
    if not out.split or not out.merge:
        return
    apart = {_key(name): name for name in out.split}
    for pair in out.merge:
        for name in pair:
            if _key(name) in apart:
                kept = apart[_key(name)]
                raise CorrectionsError(
                    f"{pair.where}: merge: {name!r} is kept apart by the split of {kept!r} "
                    f"on {out.where[kept].removeprefix(out.path + ' ')}; "
                    "remove the merge or the split"
                )


def apply_corrections(
    kb: KnowledgeBase, corrections: Corrections
) -> tuple[KnowledgeBase, list[str]]:
    """Apply rename, retype, add and remove to a resolved knowledge base.

    Every correction is checked first (``_check``); nothing is changed when
    one is refused.

    Returns:
        (KnowledgeBase, problems): the corrected copy, and one message per
        correction that names an entity the graph does not have.

    Raises:
        CorrectionsError: a rename onto another entity's label, two renames
            or retypes of one entity, a retype across Person/Organization, or
            a relation whose ends would not have the types of ``ENDS``.
    """
    from kg.resolve import match_key

    index: dict[str, list[str]] = {}
    for e in kb.entities.values():
        for name in e.names:
            index.setdefault(match_key(name), []).append(e.id)
    problems: list[str] = []

    def find(name: str, action: str) -> str | None:
        ids = sorted(set(index.get(match_key(name), [])))
        if not ids:
            problems.append(f"{corrections.path}: {action}: no entity is named {name!r}")
            return None
        if len(ids) > 1:
            labels = ", ".join(kb.entities[i].label for i in ids)
            problems.append(f"{corrections.path}: {action}: {name!r} is ambiguous ({labels})")
            return None
        return ids[0]

    def found(action: str, items) -> list[tuple]:
        """Each item with the ids of the entities it names, when it names them all."""
        out = []
        for item in items:
            ids = [find(item[0], action)]
            if action in ("add", "remove"):
                ids.append(find(item[2], action))
            if all(ids):
                out.append((item, *ids))
        return out

    renames, retypes = found("rename", corrections.rename), found("retype", corrections.retype)
    removes, adds = found("remove", corrections.remove), found("add", corrections.add)
    _check(kb, renames, retypes, removes, adds)

    entities = {k: replace(v, alt_labels=list(v.alt_labels)) for k, v in kb.entities.items()}
    for (_, label), eid in renames:
        e = entities[eid]
        names = [n for n in e.names if n != label]
        e.label, e.alt_labels = label, sorted(names)
    for (_, type_), eid in retypes:
        entities[eid].type = type_
    relations = list(kb.relations)
    for (s, p, o), sid, oid in removes:
        before = len(relations)
        relations = [f for f in relations if not _same(f, sid, p, oid)]
        if len(relations) == before:
            problems.append(f"{corrections.path}: remove: the graph has no {s} {p} {o}")
    for (s, p, o), sid, oid in adds:
        if p == "partnersWith" and oid < sid:
            sid, oid = oid, sid
        if not any(_same(f, sid, p, oid) for f in relations):
            why = corrections.why.get((s, p, o), "")
            relations.append(
                Fact(sid, p, oid, evidence=[Evidence(CORRECTIONS, -1, f"correction: {why}", 1.0)])
            )
    relations.sort(key=lambda f: (f.subject, f.predicate, f.object))
    return replace(kb, entities=entities, relations=relations), problems


def _check(kb: KnowledgeBase, renames, retypes, removes, adds) -> None:
    """Refuse, before anything changes, a correction that would leave two
    entities with one label or a graph that breaks the ontology."""
    ents = kb.entities
    renamed, retyped = _once(renames, "rename", ents), _once(retypes, "retype", ents)
    labels = {eid: renamed[eid][1] if eid in renamed else e.label for eid, e in ents.items()}
    # the labels after every rename, each held by one entity: those not
    # renamed keep theirs, the renamed take theirs in file order
    held = {_key(e.label): eid for eid, e in ents.items() if eid not in renamed} if renamed else {}
    for eid, item in renamed.items():
        other = held.setdefault(_key(item[1]), eid)
        if other == eid:
            continue
        if other in renamed:
            raise CorrectionsError(
                f"{item.where}: rename: {item[1]!r} is already the new label of "
                f"{ents[other].label!r} (line {renamed[other].where.rsplit(' ', 1)[-1]})"
            )
        raise CorrectionsError(
            f"{item.where}: rename: {item[1]!r} is already the label of another entity "
            f"({labels[other]!r}, {other}); merge the two, or choose another label"
        )
    for eid, item in retyped.items():
        if (ents[eid].type == "Person") != (item[1] == "Person"):
            raise CorrectionsError(
                f"{item.where}: retype: {item[0]!r} is a {ents[eid].type}; a retype cannot "
                "make a person an organization, or an organization a person"
            )
    types = {eid: retyped[eid][1] if eid in retyped else e.type for eid, e in ents.items()}

    def wrong(s: str, p: str, o: str) -> str | None:
        for end, allowed, side in ((s, ENDS[p][0], "from"), (o, ENDS[p][1], "to")):
            if types[end] not in allowed:
                kind = "an Organization" if allowed == _ORGS else " or ".join(sorted(allowed))
                return f"{p} goes {side} {kind}, and {labels[end]!r} is a {types[end]}"
        return None

    for item, sid, oid in adds:
        if sid == oid:
            raise CorrectionsError(f"{item.where}: add: both ends name {labels[sid]!r}")
        problem = wrong(sid, item[1], oid)
        if problem:
            raise CorrectionsError(f"{item.where}: add: {problem}")
    removed = [(sid, item[1], oid) for item, sid, oid in removes]
    for f in kb.relations:
        ends = [e for e in (f.subject, f.object) if e in retyped]
        if not ends or any(_same(f, *r) for r in removed):
            continue
        problem = wrong(f.subject, f.predicate, f.object)
        if problem:
            raise CorrectionsError(
                f"{retyped[ends[0]].where}: retype: {problem} "
                f"({labels[f.subject]!r} {f.predicate} {labels[f.object]!r}); "
                "remove that relation too, or choose another type"
            )


def _once(items, action: str, ents) -> dict[str, Item]:
    """Each entity's one rename (or retype); two different ones are refused."""
    chosen: dict[str, Item] = {}
    for item, eid in items:
        first = chosen.setdefault(eid, item)
        if first[1] != item[1]:
            raise CorrectionsError(
                f"{item.where}: {action}: {ents[eid].label!r} already gets {first[1]!r} "
                f"on line {first.where.rsplit(' ', 1)[-1]}"
            )
    return chosen


def _same(f: Fact, s: str, p: str, o: str) -> bool:
    if f.predicate != p:
        return False
    if p == "partnersWith":
        return {f.subject, f.object} == {s, o}
    return (f.subject, f.object) == (s, o)
