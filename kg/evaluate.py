"""Scoring a built graph against gold annotations (see ``data/gold/GUIDELINES``).

For each gold file the graph's predictions for that article are read back from
the graph itself (entities ``ihkg:mentionedIn`` the article; relations,
positions and attributes whose assertions come from its sentences), so what is
scored is exactly what a user gets. Names match by exact string after Unicode
NFKC and trimming, against a gold entity's name or any alias; ``partnersWith``
matches in either direction; optional items are neither rewarded nor penalised.
Scores are micro-averaged over all articles.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SKOS

from kg.errors import GoldError
from kg.text import to_simplified as _t2s
from kg.vocab import ENTITY_TYPES, IHKG, RELATIONS, preferred_label

__all__ = ["CORE", "Report", "Score", "evaluate", "evaluate_corpora", "format_corpora", "load_gold"]

CORE = ("partnersWith", "ceoOf", "operatesHospital")
_QUOTES = "“”\"'《》"


@dataclass(slots=True)
class Score:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(slots=True)
class Report:
    """Scores by category, and what was missed or wrong, per category."""

    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    missed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    wrong: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    articles: int = 0

    def categories(self) -> list[str]:
        order = ["entities", *RELATIONS, "core", "relations", "positions", "attributes"]
        return [c for c in order if c in self.scores]

    COLUMNS = ("category", "P", "R", "F1", "tp", "fp", "fn")
    """The columns of ``rows``."""

    def rows(self) -> list[list]:
        """One row per category (``COLUMNS``), P, R and F1 to three places."""

        def score(x: float) -> Decimal:
            return Decimal(f"{x:.3f}")

        return [
            [c, score(s.precision), score(s.recall), score(s.f1), s.tp, s.fp, s.fn]
            for c, s in ((c, self.scores[c]) for c in self.categories())
        ]

    def misses(self) -> list[str]:
        """What was missed, then what was wrong, one line each, category by category."""
        lines = []
        for c in self.categories():
            lines += [f"missed  {c:<18} {line}" for line in self.missed.get(c, [])]
            lines += [f"wrong   {c:<18} {line}" for line in self.wrong.get(c, [])]
        return lines

    def as_dict(self) -> dict:
        return {
            c: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
            }
            for c, s in ((c, self.scores[c]) for c in self.categories())
        }


def _norm(s: str) -> str:
    """A name as the scorer compares it: NFKC, trimmed, no quotes, simplified script."""
    return _t2s(unicodedata.normalize("NFKC", str(s)).strip().strip(_QUOTES))


def load_gold(folder: str | Path) -> list[dict]:
    """Every ``*.json`` gold file of a folder, checked for the fields scoring needs.

    Raises:
        GoldError: a file is not JSON or lacks ``article`` or ``entities``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GoldError(f"{folder}: no such gold folder")
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise GoldError(f"{path.name}: not a gold file ({e})") from None
        if not isinstance(gold, dict) or "article" not in gold or "entities" not in gold:
            raise GoldError(f"{path.name}: gold file needs 'article' and 'entities'")
        out.append(gold)
    if not out:
        raise GoldError(f"{folder}: no gold files (*.json)")
    return out


class _Clusters:
    """Gold entities of all articles, one cluster per real thing: entities of
    different files that share a name or an alias are the same entity."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.names: list[set[str]] = []
        self.types: list[str] = []
        self.optional: list[bool] = []
        self.by_name: dict[str, int] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def add(self, names: set[str], etype: str, optional: bool) -> int:
        i = len(self.parent)
        self.parent.append(i)
        self.names.append(set(names))
        self.types.append(etype)
        self.optional.append(optional)
        for n in names:
            if n not in self.by_name:
                self.by_name[n] = i
                continue
            a, b = self.find(self.by_name[n]), self.find(i)
            if a != b:
                self.parent[b] = a
                self.names[a] |= self.names[b]
                self.optional[a] = self.optional[a] and self.optional[b]
        return i

    def of_name(self, name: str) -> int | None:
        i = self.by_name.get(name)
        return None if i is None else self.find(i)

    def label(self, c: int | None) -> str:
        return "?" if c is None else sorted(self.names[c])[0]


def evaluate(graph: Graph, gold_dir: str | Path) -> Report:
    """Score ``graph`` against the gold files in ``gold_dir``, as the reference scorer does.

    Gold entities of all files are clustered by shared names; a graph node
    counts as the cluster one of its labels names. A node that names no
    cluster, or a second node for a cluster already found (a resolution
    miss), is a false positive. Relations, positions and attributes are
    compared as sets of clusters; optional ones are neither rewarded nor
    penalised.

    Returns:
        Report: precision, recall and F1 per category (``entities``, each
        relation, ``core``, ``relations``, ``positions``, ``attributes``) and
        the lists of misses and wrong predictions.

    Example:
        >>> from kg.build import build
        >>> report = evaluate(build(["data/articles"]).graph, "data/gold")  # doctest: +SKIP
        >>> round(report.scores["core"].f1, 2)  # doctest: +SKIP
        1.0
    """
    golds = load_gold(gold_dir)
    cl = _Clusters()
    local = []
    for gold in golds:
        ids = {}
        for e in gold["entities"]:
            names = {_norm(e["name"])} | {_norm(a) for a in e.get("aliases", [])}
            ids[e["id"]] = cl.add(names, e["type"], bool(e.get("optional")))
        local.append((gold, ids))
    gold_rel, opt_rel, gold_pos, opt_pos, gold_att = set(), set(), set(), set(), set()
    for gold, ids in local:

        def c(k, ids=ids):
            return cl.find(ids[k])

        def key(s, p, o, c=c):
            a, b = c(s), c(o)
            return (p, *sorted((a, b))) if p == "partnersWith" else (p, a, b)

        gold_rel |= {key(r["s"], r["p"], r["o"]) for r in gold.get("relations", [])}
        gold_pos |= {(c(p["person"]), c(p["org"])) for p in gold.get("positions", [])}
        gold_att |= {
            (c(a["entity"]), a["key"], _norm(a["value"])) for a in gold.get("attributes", [])
        }
        for o in gold.get("optional", []):
            if "p" in o:
                opt_rel.add(key(o["s"], o["p"], o["o"]))
            else:
                opt_pos.add((c(o["person"]), c(o["org"])))

    clusters: dict = {}

    def cluster_of(node):
        if node not in clusters:
            names = {
                _norm(o)
                for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
                for o in graph.objects(node, p)
            }
            hits = {cl.of_name(n) for n in names} - {None}
            clusters[node] = min(hits) if hits else None
        return clusters[node]

    report = Report(articles=len(golds))
    # entities
    types: dict = defaultdict(set)
    for cls, tname in ENTITY_TYPES.items():
        for node in graph.subjects(RDF.type, cls):
            types[node].add(tname)
    sc, found = report.scores["entities"], set()
    for node in sorted(types, key=str):  # sorted: the same duplicate counts every run
        c = cluster_of(node)
        if c is None:
            sc.fp += 1
            label = preferred_label(graph, node)
            report.wrong["entities"].append(f"{label or node} ({', '.join(sorted(types[node]))})")
        elif cl.optional[c]:
            continue
        elif c in found:
            sc.fp += 1
            report.wrong["entities"].append(f"{cl.label(c)} (a second node)")
        else:
            found.add(c)
    required = {cl.find(i) for i in range(len(cl.parent)) if not cl.optional[cl.find(i)]}
    sc.tp = len(found)
    sc.fn = len(required - found)
    report.missed["entities"] += [
        f"{cl.label(c)} ({cl.types[c]})" for c in sorted(required - found)
    ]
    # relations
    predicted, unmapped = set(), []
    for rel in RELATIONS:
        for s, o in graph.subject_objects(IHKG[rel]):
            cs, co = cluster_of(s), cluster_of(o)
            if cs is None or co is None:
                unmapped.append((rel, s, o))
            else:
                predicted.add((rel, *sorted((cs, co))) if rel == "partnersWith" else (rel, cs, co))
    predicted -= opt_rel
    for rel in RELATIONS:
        sc = report.scores[rel]
        mine = {k for k in predicted if k[0] == rel}
        gold = {k for k in gold_rel if k[0] == rel}
        sc.tp, sc.fn = len(mine & gold), len(gold - mine)
        sc.fp = len(mine - gold) + sum(1 for u in unmapped if u[0] == rel)
        report.missed[rel] += [
            f"{cl.label(a)} {rel} {cl.label(b)}" for _, a, b in sorted(gold - mine)
        ]
        report.wrong[rel] += [
            f"{cl.label(a)} {rel} {cl.label(b)}" for _, a, b in sorted(mine - gold)
        ]
        report.wrong[rel] += [
            f"{graph.value(s, RDFS.label)} {rel} {graph.value(o, RDFS.label)} (not in the gold)"
            for r, s, o in sorted(unmapped)
            if r == rel
        ]
    # positions
    mine = set()
    for node in graph.subjects(RDF.type, IHKG.Position):
        for person in graph.objects(node, IHKG.person):
            for org in graph.objects(node, IHKG.organization):
                mine.add((cluster_of(person), cluster_of(org)))
    mine -= opt_pos
    sc = report.scores["positions"]
    sc.tp, sc.fp, sc.fn = len(mine & gold_pos), len(mine - gold_pos), len(gold_pos - mine)
    report.missed["positions"] += [
        f"{cl.label(a)} · {cl.label(b)}" for a, b in sorted(gold_pos - mine, key=str)
    ]
    report.wrong["positions"] += [
        f"{cl.label(a)} · {cl.label(b)}" for a, b in sorted(mine - gold_pos, key=str)
    ]
    # attributes
    mine = {
        (cluster_of(s), key, _norm(o))
        for key in ("stockCode", "foundingYear")
        for s, o in graph.subject_objects(IHKG[key])
    }
    sc = report.scores["attributes"]
    sc.tp, sc.fp, sc.fn = len(mine & gold_att), len(mine - gold_att), len(gold_att - mine)
    report.missed["attributes"] += [
        f"{cl.label(c)} {k} {v}" for c, k, v in sorted(gold_att - mine, key=str)
    ]
    report.wrong["attributes"] += [
        f"{cl.label(c)} {k} {v}" for c, k, v in sorted(mine - gold_att, key=str)
    ]
    _totals(report)
    return report


def _totals(report: Report) -> None:
    core, total = Score(), Score()
    for r in RELATIONS:
        s = report.scores.get(r)
        if s is None:
            continue
        total.add(s)
        if r in CORE:
            core.add(s)
    report.scores["core"] = core
    report.scores["relations"] = total


def evaluate_corpora(corpora: dict[str, tuple[str | Path, str | Path]]) -> dict[str, Report]:
    """Build each corpus on its own and score it against its gold files.

    Args:
        corpora: name to (articles folder, gold folder), as
            ``kg.defaults.EVAL_CORPORA``.

    Returns:
        dict[str, Report]: each corpus's report, by name, in the order given.

    Raises:
        ArticleError: a folder of articles does not exist or holds none.
        GoldError: a gold file is malformed.
    """
    from kg.build import build

    return {
        name: evaluate(build([articles]).graph, gold) for name, (articles, gold) in corpora.items()
    }


def format_corpora(reports: dict[str, Report], misses: int = 3) -> str:
    """The reports side by side as one Markdown table (F1, and P / R), then
    the first ``misses`` misses and wrong answers of each relation type per corpus."""
    names = list(reports)
    head = "| category | " + " | ".join(f"{n} F1 (P / R)" for n in names) + " |"
    lines = [
        " · ".join(f"{n}: {r.articles} articles" for n, r in reports.items()),
        "",
        head,
        "|---|" + "---|" * len(names),
    ]
    for cat in reports[names[0]].categories():
        cells = []
        for n in names:
            s = reports[n].scores[cat]
            cells.append(f"{s.f1:.3f} ({s.precision:.2f} / {s.recall:.2f})")
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    lines += ["", "Misses by relation type (missed, then wrong), first few per corpus:"]
    for rel in RELATIONS:
        items = [(n, "missed", m) for n in names for m in reports[n].missed.get(rel, [])[:misses]]
        items += [(n, "wrong", m) for n in names for m in reports[n].wrong.get(rel, [])[:misses]]
        if items:
            lines.append(f"- **{rel}**")
            lines += [f"  - {n} {kind}: {text}" for n, kind, text in items]
    return "\n".join(lines)
