"""Corrections without code: an analyst's YAML file applied on every build.

``data/corrections.yaml`` holds a list of corrections, each with a ``why``::

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
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import CorrectionsError
from kg.resolve import Evidence, Fact, KnowledgeBase
from kg.vocab import ORG_CLASSES, RELATIONS

__all__ = ["CORRECTIONS", "Corrections", "apply_corrections", "load_corrections"]

CORRECTIONS = "corrections"  # the article key of evidence that comes from the file
_ACTIONS = ("merge", "split", "rename", "retype", "add", "remove")
_TYPES = (*ORG_CLASSES, "Person")


@dataclass(slots=True)
class Corrections:
    """Parsed corrections, by action, in file order."""

    path: str = ""
    merge: list[tuple[str, str]] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    rename: list[tuple[str, str]] = field(default_factory=list)
    retype: list[tuple[str, str]] = field(default_factory=list)
    add: list[tuple[str, str, str]] = field(default_factory=list)
    remove: list[tuple[str, str, str]] = field(default_factory=list)
    why: dict[tuple, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(getattr(self, a)) for a in _ACTIONS)


def load_corrections(path: str | Path) -> Corrections:
    """Read and check a corrections file.

    Raises:
        CorrectionsError: not YAML, an unknown action, a missing ``why``, or a
            value of the wrong shape; the message names the file and entry.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise CorrectionsError(f"{path}: cannot read corrections ({e})") from None
    entries = data.get("corrections", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorrectionsError(f"{path}: expected a mapping with a 'corrections' list")
    out = Corrections(str(path))
    for i, entry in enumerate(entries, 1):
        where = f"{path} entry {i}"
        if not isinstance(entry, dict):
            raise CorrectionsError(f"{where}: expected a mapping")
        actions = [a for a in _ACTIONS if a in entry]
        if len(actions) != 1:
            raise CorrectionsError(
                f"{where}: needs exactly one of {', '.join(_ACTIONS)}; got {sorted(entry)}"
            )
        if not str(entry.get("why") or "").strip():
            raise CorrectionsError(f"{where}: every correction needs a 'why'")
        action, value = actions[0], entry[actions[0]]
        try:
            _parse(out, action, value)
            if action == "add":
                out.why[out.add[-1]] = str(entry["why"]).strip()
        except (TypeError, KeyError, ValueError) as e:
            raise CorrectionsError(f"{where}: malformed {action!r} ({e})") from None
    return out


def _parse(out: Corrections, action: str, value) -> None:
    if action == "merge":
        if not isinstance(value, list) or len(value) < 2:
            raise ValueError("give a list of two or more names")
        out.merge += [(str(value[0]), str(v)) for v in value[1:]]
    elif action == "split":
        out.split += [str(v) for v in (value if isinstance(value, list) else [value])]
    elif action == "rename":
        out.rename.append((str(value["name"]), str(value["label"])))
    elif action == "retype":
        if value["type"] not in _TYPES:
            raise ValueError(f"type must be one of {', '.join(_TYPES)}")
        out.retype.append((str(value["name"]), value["type"]))
    else:
        if value["p"] not in RELATIONS:
            raise ValueError(f"p must be one of {', '.join(RELATIONS)}")
        getattr(out, action).append((str(value["s"]), value["p"], str(value["o"])))


def apply_corrections(
    kb: KnowledgeBase, corrections: Corrections
) -> tuple[KnowledgeBase, list[str]]:
    """Apply rename, retype, add and remove to a resolved knowledge base.

    Returns:
        (KnowledgeBase, problems): the corrected copy, and one message per
        correction that names an entity the graph does not have.
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

    entities = {k: replace(v, alt_labels=list(v.alt_labels)) for k, v in kb.entities.items()}
    for name, label in corrections.rename:
        eid = find(name, "rename")
        if eid:
            e = entities[eid]
            names = [n for n in e.names if n != label]
            e.label, e.alt_labels = label, sorted(names)
    for name, type_ in corrections.retype:
        eid = find(name, "retype")
        if eid:
            entities[eid].type = type_
    relations = list(kb.relations)
    for s, p, o in corrections.remove:
        sid, oid = find(s, "remove"), find(o, "remove")
        if sid and oid:
            before = len(relations)
            relations = [f for f in relations if not _same(f, sid, p, oid)]
            if len(relations) == before:
                problems.append(f"{corrections.path}: remove: the graph has no {s} {p} {o}")
    for s, p, o in corrections.add:
        sid, oid = find(s, "add"), find(o, "add")
        if sid and oid:
            if p == "partnersWith" and oid < sid:
                sid, oid = oid, sid
            if not any(_same(f, sid, p, oid) for f in relations):
                why = corrections.why.get((s, p, o), "")
                relations.append(
                    Fact(sid, p, oid, [Evidence(CORRECTIONS, -1, f"correction: {why}", 1.0)])
                )
    relations.sort(key=lambda f: (f.subject, f.predicate, f.object))
    return replace(kb, entities=entities, relations=relations), problems


def _same(f: Fact, s: str, p: str, o: str) -> bool:
    if f.predicate != p:
        return False
    if p == "partnersWith":
        return {f.subject, f.object} == {s, o}
    return (f.subject, f.object) == (s, o)
