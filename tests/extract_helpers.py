"""Helpers for extraction tests: one small invented article, its facts as sets."""

from kg.articles import parse_article
from kg.extract import extract_article


def extract(body: str, nlp=None, title: str = "T"):
    """Extraction of an article whose body is ``body`` (paragraphs as <p>)."""
    html = "".join(f"<p>{p}</p>" for p in body.strip().split("\n"))
    article = parse_article(f"---\ntitle: '{title}'\ndate: 2024-01-02\n---\n{html}", "t.txt")
    return extract_article(article, nlp)


def relations(ex, predicate=None):
    return {
        (r.subject, r.predicate, r.object)
        if r.predicate != "partnersWith"
        else (*sorted((r.subject, r.object)), "partnersWith")
        for r in ex.relations
        if predicate in (None, r.predicate)
    }


def partners(ex):
    return {frozenset((r.subject, r.object)) for r in ex.relations if r.predicate == "partnersWith"}


def positions(ex):
    return {(p.person, p.org, p.title) for p in ex.positions}
