"""Render the ontology (``kg/ontology.ttl``) as ``docs/vocabulary.md``.

Run ``python scripts/gen_vocab_doc.py`` after changing the ontology, and
commit both files. ``--check`` renders without writing and exits 1 when the
committed page differs (``tests/test_vocab_doc.py`` does the same), so the
page cannot drift from the ontology.

Everything on the page comes from the ontology: classes with their
superclass, properties with domain, range, characteristics, zh/en labels and
comments. Properties are grouped by what they connect: positions (domain or
range ``ihkg:Position``), provenance (an ``ihkg:Article``, ``ihkg:Sentence``
or ``ihkg:Assertion``), attributes (other datatype properties) and relations
(other object properties).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "kg" / "ontology.ttl"
OUT = ROOT / "docs" / "vocabulary.md"

IHKG = "https://w3id.org/ihkg/ontology#"
PREFIXES = {
    "ihkg": IHKG,
    "ihkgid": "https://w3id.org/ihkg/id/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}
PROVENANCE_CLASSES = {URIRef(IHKG + c) for c in ("Article", "Sentence", "Assertion")}
POSITION = URIRef(IHKG + "Position")

EXAMPLE = """\
## Example

A partnership and a position, each with the sentence and article that state
it (names invented; IRIs relative to the `BASE`, which is the `ihkgid:`
namespace):

```turtle
BASE <https://w3id.org/ihkg/id/>
PREFIX ihkg: <https://w3id.org/ihkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

<org/1a2b> a ihkg:Company ;
    rdfs:label "甲健康"@zh ;
    skos:altLabel "甲健康科技有限公司"@zh ;
    ihkg:partnersWith <org/3c4d> .

<org/3c4d> a ihkg:Hospital ;
    rdfs:label "乙市人民医院"@zh .

<person/5e6f> a ihkg:Person ;
    rdfs:label "丙某"@zh ;
    ihkg:holdsPosition <position/7a8b> .

<position/7a8b> a ihkg:Position ;
    ihkg:person <person/5e6f> ;
    ihkg:organization <org/1a2b> ;
    ihkg:title "CEO"@zh .

<assertion/9c0d> a ihkg:Assertion ;
    rdf:subject <org/1a2b> ;
    rdf:predicate ihkg:partnersWith ;
    rdf:object <org/3c4d> ;
    ihkg:rule "partner-cue" ;
    ihkg:confidence 0.85 ;
    prov:wasDerivedFrom <sentence/0123/4> .

<assertion/e1f2> a ihkg:Assertion ;
    rdf:subject <person/5e6f> ;
    rdf:predicate ihkg:holdsPosition ;
    rdf:object <position/7a8b> ;
    ihkg:rule "org-title-person" ;
    ihkg:confidence 0.90 ;
    prov:wasDerivedFrom <sentence/0123/4> .

<sentence/0123/4> a ihkg:Sentence ;
    prov:value "甲健康CEO丙某表示，甲健康与乙市人民医院达成战略合作。"@zh ;
    ihkg:startChar 120 ;
    ihkg:endChar 148 ;
    ihkg:sentenceIndex 4 ;
    dcterms:isPartOf <article/0123> .

<article/0123> a ihkg:Article ;
    dcterms:title "甲健康牵手乙市人民医院"@zh ;
    dcterms:date "2021-06-11T06:52:00+00:00"^^xsd:dateTime ;
    ihkg:fileName "000_0123.txt" .
```

Every partnership with the sentence and article that state it:

```sparql
SELECT ?a ?b ?sentence ?title ?date WHERE {
  ?x ihkg:partnersWith ?y .
  ?x rdfs:label ?a . ?y rdfs:label ?b .
  ?as rdf:subject ?x ; rdf:predicate ihkg:partnersWith ; rdf:object ?y ;
      prov:wasDerivedFrom ?s .
  ?s prov:value ?sentence ; dcterms:isPartOf ?art .
  ?art dcterms:title ?title ; dcterms:date ?date .
}
```

In the TriG and N-Quads exports (`kg export --format trig`), the sentences and
assertions of each article are in a named graph named by the article's IRI:
`GRAPH ?art { ?as rdf:subject ?x ; … }`.

The JSON-LD context (`kg/context.jsonld`) names every class and property
above by its local name (`partnersWith`, `label`, …); the SHACL shapes
(`kg/shapes.ttl`, `kg validate`) check a graph against this page, and the
example above passes them.
"""


def short(term) -> str:
    """A term as a prefixed name (``ihkg:Company``) or ``<iri>``."""
    iri = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def text(graph: Graph, node, prop, lang: str) -> str:
    values = sorted(
        str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) == lang
    )
    return " ".join(values).replace("|", "\\|").replace("\n", " ")


def classes_of(graph: Graph, node) -> list[str]:
    """A class expression as names: an IRI, or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        if union is not None:
            return [short(m) for m in Collection(graph, union)]
        return ["(anonymous class)"]
    return [short(node)]


def class_text(graph: Graph, prop, relation) -> str:
    names = [
        n
        for node in sorted(graph.objects(prop, relation), key=str)
        for n in classes_of(graph, node)
    ]
    return " or ".join(f"`{n}`" for n in names) or "—"


def group_of(graph: Graph, prop) -> str:
    ends = set(graph.objects(prop, RDFS.domain)) | set(graph.objects(prop, RDFS.range))
    if POSITION in ends:
        return "Positions"
    if ends & PROVENANCE_CLASSES:
        return "Provenance"
    if (prop, RDF.type, OWL.DatatypeProperty) in graph:
        return "Attributes"
    return "Relations between entities"


def characteristics(graph: Graph, prop) -> str:
    out = []
    kinds = {
        OWL.SymmetricProperty: "symmetric",
        OWL.FunctionalProperty: "functional",
        OWL.TransitiveProperty: "transitive",
    }
    out += [name for kind, name in kinds.items() if (prop, RDF.type, kind) in graph]
    out += [f"inverse of `{short(inv)}`" for inv in sorted(graph.objects(prop, OWL.inverseOf))]
    return ", ".join(out) or ""


def render(ontology: Path = ONTOLOGY) -> str:
    """The Markdown page for the ontology file, the same text for the same file."""
    graph = Graph()
    graph.parse(ontology, format="turtle")
    onto = next(graph.subjects(RDF.type, OWL.Ontology))
    lines = [
        "# ihkg vocabulary",
        "",
        "<!-- Generated from kg/ontology.ttl by scripts/gen_vocab_doc.py:"
        " edit the ontology, not this page. -->",
        "",
        f"**{text(graph, onto, RDFS.label, 'en')}** ({text(graph, onto, RDFS.label, 'zh')})",
        "",
        text(graph, onto, RDFS.comment, "en"),
        "",
        f"Ontology IRI: `{onto}`",
        "",
        "## Namespaces",
        "",
        "| prefix | IRI |",
        "|---|---|",
        *[f"| `{p}:` | `{PREFIXES[p]}` |" for p in ("ihkg", "ihkgid")],
        "",
        "Entities have one stable IRI each under `ihkgid:` (`ihkgid:org/…`, `ihkgid:person/…`),",
        "the same in every build from the same input.",
        "",
        "## Classes",
        "",
        "| class | 中文 | English | subclass of | description |",
        "|---|---|---|---|---|",
    ]
    for cls in sorted(graph.subjects(RDF.type, OWL.Class), key=str):
        if not isinstance(cls, URIRef) or not str(cls).startswith(IHKG):
            continue
        supers = ", ".join(f"`{short(s)}`" for s in sorted(graph.objects(cls, RDFS.subClassOf)))
        lines.append(
            f"| `{short(cls)}` | {text(graph, cls, RDFS.label, 'zh')} | "
            f"{text(graph, cls, RDFS.label, 'en')} | {supers} | "
            f"{text(graph, cls, RDFS.comment, 'en')} |"
        )
    props = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in graph.subjects(RDF.type, kind)
        if isinstance(p, URIRef) and str(p).startswith(IHKG)
    }
    groups = ("Relations between entities", "Positions", "Attributes", "Provenance")
    for group in groups:
        members = sorted((p for p in props if group_of(graph, p) == group), key=str)
        if not members:
            continue
        lines += [
            "",
            f"## {group}",
            "",
            "| property | 中文 | English | domain → range | characteristics | description |",
            "|---|---|---|---|---|---|",
        ]
        for p in members:
            kind = "object" if (p, RDF.type, OWL.ObjectProperty) in graph else "datatype"
            traits = ", ".join(t for t in (kind, characteristics(graph, p)) if t)
            lines.append(
                f"| `{short(p)}` | {text(graph, p, RDFS.label, 'zh')} | "
                f"{text(graph, p, RDFS.label, 'en')} | "
                f"{class_text(graph, p, RDFS.domain)} → {class_text(graph, p, RDFS.range)} | "
                f"{traits} | {text(graph, p, RDFS.comment, 'en')} |"
            )
    lines += ["", EXAMPLE]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ontology", type=Path, default=ONTOLOGY, help="the ontology (Turtle)")
    parser.add_argument("--out", type=Path, default=OUT, help="the page to write")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the page differs from a fresh rendering",
    )
    args = parser.parse_args(argv)
    page = render(args.ontology)
    current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    if args.check:
        if current != page:
            print(
                f"{args.out} is out of date: run python scripts/gen_vocab_doc.py", file=sys.stderr
            )
            return 1
        print(f"{args.out} is up to date")
        return 0
    if current != page:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(page, encoding="utf-8")
        print(f"Wrote {args.out}")
    else:
        print(f"{args.out} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
