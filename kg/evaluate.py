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
from pathlib import Path

from rdflib import RDF, RDFS, Graph
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.errors import GoldError
from kg.vocab import IHKG, ORG_CLASSES, RELATIONS

__all__ = ["CORE", "Report", "Score", "evaluate", "load_gold"]

CORE = ("partnersWith", "ceoOf", "operatesHospital")
_ENTITY_CLASSES = {IHKG[c]: c for c in (*ORG_CLASSES, "Person")}


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
    return unicodedata.normalize("NFKC", s).strip()


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


@dataclass(slots=True)
class _Predicted:
    entities: dict = field(default_factory=dict)  # iri -> (names, type)
    relations: set = field(default_factory=set)  # (s, p, o)
    positions: set = field(default_factory=set)  # (person, org, title)
    attributes: set = field(default_factory=set)  # (s, key, value)


def _predictions(graph: Graph) -> dict[str, _Predicted]:
    """Predictions per article file name."""
    files: dict = defaultdict(list)
    for art, name in graph.subject_objects(IHKG.fileName):
        files[art].append(str(name))
    preds: dict[str, _Predicted] = defaultdict(_Predicted)
    names: dict = {}
    types: dict = {}
    for cls, tname in _ENTITY_CLASSES.items():
        for e in graph.subjects(RDF.type, cls):
            types[e] = tname
            names[e] = {
                _norm(str(x)) for p in (RDFS.label, SKOS.altLabel) for x in graph.objects(e, p)
            }
    for e, art in graph.subject_objects(IHKG.mentionedIn):
        if e in types:
            for f in files.get(art, []):
                preds[f].entities[e] = (names[e], types[e])
    attribute_preds = {IHKG.stockCode: "stockCode", IHKG.foundingYear: "foundingYear"}
    relation_preds = {IHKG[r]: r for r in RELATIONS}
    for node in graph.subjects(RDF.type, IHKG.Assertion):
        sent = graph.value(node, PROV.wasDerivedFrom)
        art = graph.value(sent, DCTERMS.isPartOf)
        s, p, o = (graph.value(node, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        for f in files.get(art, []):
            pred = preds[f]
            if p in relation_preds:
                pred.relations.add((s, relation_preds[p], o))
            elif p == IHKG.holdsPosition:
                org = graph.value(o, IHKG.organization)
                pred.positions.add((s, org, str(graph.value(o, IHKG.title) or "")))
            elif p in attribute_preds:
                pred.attributes.add((s, attribute_preds[p], _norm(str(o))))
    for pred in preds.values():  # an end of a fact is an entity of the article
        for s, _, o in pred.relations:
            for x in (s, o):
                pred.entities.setdefault(x, (names.get(x, set()), types.get(x, "")))
        for s, o, _ in pred.positions:
            for x in (s, o):
                pred.entities.setdefault(x, (names.get(x, set()), types.get(x, "")))
    return preds


def evaluate(graph: Graph, gold_dir: str | Path) -> Report:
    """Score ``graph`` against the gold files in ``gold_dir``.

    Returns:
        Report: precision, recall and F1 per category (``entities``, each
        relation, ``core``, ``relations``, ``positions``, ``attributes``) and
        the lists of misses and wrong predictions.
    """
    golds = load_gold(gold_dir)
    preds = _predictions(graph)
    report = Report()
    for category in ("entities", *RELATIONS, "positions", "attributes"):
        report.scores[category] = Score()
    for gold in golds:
        _score_article(gold, preds.get(gold["article"], _Predicted()), report)
        report.articles += 1
    return report


def _score_article(gold: dict, pred: _Predicted, report: Report) -> None:
    art = gold["article"]
    ents = {e["id"]: e for e in gold["entities"]}
    gnames = {
        i: {_norm(e["name"]), *(_norm(a) for a in e.get("aliases", []))} for i, e in ents.items()
    }
    required = {i for i, e in ents.items() if not e.get("optional")}

    def gold_ids(iri) -> set[str]:
        names = pred.entities.get(iri, (set(), ""))[0]
        return {i for i, ns in gnames.items() if ns & names}

    def label(iri) -> str:
        names = pred.entities.get(iri, (set(), ""))[0]
        return min(names, key=len) if names else str(iri)

    # entities
    sc = report.scores["entities"]
    credited: set[str] = set()
    for iri, (_, etype) in sorted(pred.entities.items()):
        ids = gold_ids(iri)
        req = ids & required
        if not ids:
            sc.fp += 1
            report.wrong["entities"].append(f"{art}: {label(iri)} ({etype})")
        elif not req:
            continue  # optional entity
        else:
            hit = next(
                (i for i in sorted(req) if ents[i]["type"] == etype and i not in credited), None
            )
            if hit is not None:
                credited.add(hit)
                sc.tp += 1
            else:
                sc.fp += 1
                report.wrong["entities"].append(
                    f"{art}: {label(iri)} ({etype}; gold {ents[sorted(req)[0]]['type']})"
                )
    for i in sorted(required - credited):
        sc.fn += 1
        report.missed["entities"].append(f"{art}: {ents[i]['name']} ({ents[i]['type']})")

    # relations
    def key(s, p, o):
        return (p, *sorted((s, o))) if p == "partnersWith" else (p, s, o)

    gold_rel = {key(r["s"], r["p"], r["o"]): r for r in gold.get("relations", [])}
    opt_rel = {key(r["s"], r["p"], r["o"]) for r in gold.get("optional", []) if "p" in r}
    rel_hits: set = set()
    for s, p, o in sorted(pred.relations):
        sid, oid = gold_ids(s), gold_ids(o)
        cands = {key(a, p, b) for a in sid for b in oid}
        score = report.scores[p]
        hit = next((c for c in sorted(cands) if c in gold_rel and c not in rel_hits), None)
        if hit is not None:
            rel_hits.add(hit)
            score.tp += 1
        elif (
            cands & (opt_rel | rel_hits)
            or (sid and not sid & required)
            or (oid and not oid & required)
        ):
            continue
        else:
            score.fp += 1
            report.wrong[p].append(f"{art}: {label(s)} {p} {label(o)}")
    for k, r in sorted(gold_rel.items()):
        if k not in rel_hits:
            report.scores[r["p"]].fn += 1
            report.missed[r["p"]].append(
                f"{art}: {ents[r['s']]['name']} {r['p']} {ents[r['o']]['name']}"
                f" «{r.get('evidence', '')}»"
            )
    # positions
    sc = report.scores["positions"]
    gold_pos = {(p["person"], p["org"]): p for p in gold.get("positions", [])}
    opt_pos = {(p["person"], p["org"]) for p in gold.get("optional", []) if "person" in p}
    pos_hits: set = set()
    for person, org, title in sorted(pred.positions):
        cands = {(a, b) for a in gold_ids(person) for b in gold_ids(org)}
        hit = next((c for c in sorted(cands) if c in gold_pos and c not in pos_hits), None)
        if hit is not None:
            pos_hits.add(hit)
            sc.tp += 1
        elif (
            cands & (opt_pos | pos_hits)
            or not cands
            and (gold_ids(person) - required or gold_ids(org) - required)
        ):
            continue
        else:
            sc.fp += 1
            report.wrong["positions"].append(f"{art}: {label(person)} · {label(org)} · {title}")
    for k, p in sorted(gold_pos.items()):
        if k not in pos_hits:
            sc.fn += 1
            report.missed["positions"].append(
                f"{art}: {ents[p['person']]['name']} · {ents[p['org']]['name']} · {p['title']}"
            )
    # attributes
    sc = report.scores["attributes"]
    gold_att = {(a["entity"], a["key"], _norm(str(a["value"]))) for a in gold.get("attributes", [])}
    att_hits: set = set()
    for s, k, v in sorted(pred.attributes):
        cands = {(i, k, v) for i in gold_ids(s)}
        hit = next((c for c in sorted(cands) if c in gold_att and c not in att_hits), None)
        if hit is not None:
            att_hits.add(hit)
            sc.tp += 1
        elif cands & att_hits:
            continue
        else:
            sc.fp += 1
            report.wrong["attributes"].append(f"{art}: {label(s)} {k} {v}")
    for i, k, v in sorted(gold_att - att_hits):
        sc.fn += 1
        report.missed["attributes"].append(f"{art}: {ents[i]['name']} {k} {v}")
    _totals(report)


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
