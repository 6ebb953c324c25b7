"""ihkg: turn Chinese news about internet healthcare into a knowledge graph.

Importing ``kg`` loads nothing heavy: the NLP pipeline, rule tables and
libraries load on first use. The library API::

    from kg.build import build
    result = build(["data/articles"])     # BuildResult: graph, kb, articles
    result.graph.serialize(format="longturtle")

See ``kg --help`` for the command line.
"""

__version__ = "0.1.0"
