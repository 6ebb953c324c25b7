"""Articles: YAML front matter and an HTML body, read into clean text.

An article file looks like the samples in ``data/articles/``: a front-matter
block (title, date, author, categories, image links) and an HTML body. Each
step has its module: ``kg.files`` finds the files and decodes their bytes,
``kg.frontmatter`` reads the front matter and its dates, ``kg.html`` turns the
body into text blocks and ``kg.text`` splits them into sentences; this module
holds the ``Article`` record and puts the steps together.

``parse_article`` is pure (text in, ``Article`` out); ``read_article`` adds the
file: encoding detection and the file name that every error carries.

Bad input never raises anything but ``ArticleError`` (file name and reason),
and what can still be read is read, with a warning:

- an empty, binary or over-long file, a file with no front matter, with
  front matter that is not YAML or not a mapping, or a body with no text is
  an error;
- a GB18030 (GBK) or UTF-16 file, a UTF-8 file with a few broken bytes, a
  missing title or date, a date in an unknown format, and a plain-text body
  are warnings. A UTF-8 BOM and CRLF line ends are read silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.defaults import DEFAULTS
from kg.errors import ArticleError
from kg.files import decode, shown_name
from kg.frontmatter import load_front_matter, read_fields, split_front_matter
from kg.html import MAX_DEPTH, body_paragraphs
from kg.records import fast_pickle
from kg.text import Sentence, bounded_spans, split_sentences, xml_safe

__all__ = [
    "HEADLINE",
    "MAX_CHARS",
    "MAX_TITLE_CHARS",
    "Article",
    "Paragraph",
    "parse_article",
    "read_article",
    "read_article_bytes",
]

MAX_CHARS = DEFAULTS.max_chars
# A headline is a line; a longer title is cut here (with a warning), since the
# title is extracted from like a sentence and shown with every fact it states.
MAX_TITLE_CHARS = 1_000


@fast_pickle
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of the body: ``kind`` is ``"p"``, ``"heading"`` or ``"caption"``."""

    kind: str
    start: int
    end: int


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One news article, read and cleaned.

    Attributes:
        path (str): the file name it was read from.
        key (str): a hash of the body text; the same article under two file
            names has one key.
        title (str): from the front matter (the file name when missing).
        date (str | None): ISO 8601 date or date-time.
        text (str): clean body text, one paragraph a line.
        paragraphs (tuple[Paragraph, ...]): blocks of ``text``.
        sentences (tuple[Sentence, ...]): sentences of ``text``.
        url (str | None): the article's address, when the front matter has one.
        warnings (tuple[str, ...]): problems that did not stop reading.
    """

    path: str
    key: str
    title: str
    date: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    author: str | None = None
    categories: tuple[str, ...] = ()
    url: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def sentence(self, index: int) -> Sentence:
        """The sentence a fact was read from: ``HEADLINE`` (-1) is the title,
        whose offsets are in the title, not in ``text``.

        >>> a = Article("a.txt", "k", "甲与乙签约", None, "", (), ())
        >>> a.sentence(HEADLINE)
        Sentence(index=-1, start=0, end=5, text='甲与乙签约')
        """
        if index == HEADLINE:
            return Sentence(HEADLINE, 0, len(self.title), self.title)
        return self.sentences[index]


HEADLINE = -1  # the sentence index of an article's title


def read_article(path: str | Path, max_chars: int | None = MAX_CHARS) -> Article:
    """Read one article file.

    Args:
        path (str | Path): the file.
        max_chars (int | None): the longest body text accepted (``None``: any).

    Raises:
        ArticleError: when the file is empty, binary, too long, or has no
            usable front matter or body. The message starts with the file name.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(name, f"cannot read file ({e.strerror or e})") from None
    return read_article_bytes(data, name, max_chars)


def read_article_bytes(data: bytes, name: str, max_chars: int | None = MAX_CHARS) -> Article:
    """Read an article from the bytes of its file (see ``read_article``).

    A file name that is not valid UTF-8 (``os.fsdecode`` keeps its bad bytes
    as surrogates) is read as ``shown_name`` gives it, with a warning.
    """
    shown = shown_name(name)
    text, note = decode(data, shown)
    article = parse_article(text, shown, max_chars)
    notes = [note] if note else []
    if shown != name:
        notes.append("file name is not valid UTF-8; its bad bytes are shown as U+FFFD")
    if notes:
        article = replace(article, warnings=(*notes, *article.warnings))
    return article


def parse_article(
    text: str,
    name: str = "<string>",
    max_chars: int | None = MAX_CHARS,
    *,
    max_depth: int | None = MAX_DEPTH,
    max_title_chars: int = MAX_TITLE_CHARS,
) -> Article:
    """Parse the text of an article file into an ``Article``.

    Args:
        text (str): the file's content.
        name (str): the file name, used in messages and provenance.
        max_chars (int | None): the longest body text accepted (``None``: any).
        max_depth (int | None): the deepest nesting of HTML elements accepted,
            checked before the body is parsed (``None``: any).
        max_title_chars (int): a longer title is cut to this, with a warning.

    Raises:
        ArticleError: no front matter, broken YAML, a body without text or
            longer than ``max_chars``, markup nested deeper than ``max_depth``.

    >>> a = parse_article("---\\ntitle: 'T'\\ndate: 2021-05-28\\n---\\n<p>甲&amp;乙。</p>", "a.txt")
    >>> (a.title, a.date, a.text)
    ('T', '2021-05-28', '甲&乙。')
    """
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ArticleError(name, "text is not valid Unicode (unpaired surrogates)") from None
    if "\x00" in text:
        raise ArticleError(name, "binary file (contains NUL characters), not an article")
    text = xml_safe(text)  # a stray control character would make XML exports malformed
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    block, first_line, body = split_front_matter(text, name)
    meta = load_front_matter(block, name, first_line)
    if not meta:
        raise ArticleError(name, "front matter is empty (it needs at least 'title' and 'date')")
    fields = read_fields(meta, name, max_title_chars)
    paragraphs_text, note = body_paragraphs(body, name, max_depth)
    if not paragraphs_text:
        raise ArticleError(name, "body has no text")
    clean, paragraphs = _join(paragraphs_text)
    if max_chars is not None and len(clean) > max_chars:
        raise ArticleError(
            name,
            f"body text is {len(clean):,} characters, more than the {max_chars:,} an article "
            "may have (split the file, or raise the limit with --max-chars)",
        )
    spans = [span for p in paragraphs for span in bounded_spans(clean, p.start, p.end)]
    return Article(
        path=name,
        key=hashlib.sha256(clean.encode()).hexdigest()[:16],
        title=fields.title,
        date=fields.date,
        text=clean,
        paragraphs=tuple(paragraphs),
        sentences=tuple(split_sentences(clean, spans)),
        author=fields.author,
        categories=fields.categories,
        url=fields.url,
        warnings=(*fields.warnings, *([note] if note else [])),
    )


def _join(blocks: list[tuple[str, str]]) -> tuple[str, list[Paragraph]]:
    parts, paragraphs, pos = [], [], 0
    for kind, text in blocks:
        paragraphs.append(Paragraph(kind, pos, pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), paragraphs
