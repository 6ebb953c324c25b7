"""Apache Jena from Debian (``libapache-jena-java``), run as a second engine.

``jena_classpath`` gives the classpath of Jena's command-line tools
(``tdb2.tdbloader``, ``tdb2.tdbquery``, ``arq.sparql``), or ``None`` when Java
or the jars are missing. Debian's ``jena-core.jar`` ships a second copy of
Xerces (package ``xerces``) without its message files, which makes every
command fail at start-up with ``RuntimeException: internal error``; the
files are copied from Jena's own copy (``org.apache.jena.ext.xerces``) into a
folder put first on the classpath.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

JARS = Path("/usr/share/java")
# Jena and what Debian's package depends on; logging goes to slf4j-nop.
_NEEDED = (
    "jena-*.jar", "commons-cli.jar", "commons-codec.jar", "commons-compress.jar",
    "commons-csv.jar", "commons-io.jar", "commons-lang3.jar", "dexx.collection.jar",
    "guava.jar", "gson.jar", "jackson-annotations.jar", "jackson-core.jar",
    "jackson-databind.jar", "jsonld-java.jar", "titanium-json-ld.jar",
    "jakarta.json-api.jar", "httpclient.jar", "httpcore.jar", "commons-logging.jar",
    "slf4j-api.jar", "slf4j-nop.jar", "thrift.jar", "protobuf.jar",
)  # fmt: skip
_MESSAGES = "org/apache/jena/ext/xerces/"


def jena_classpath(workdir: Path) -> str | None:
    """The classpath of Jena's tools, or ``None`` when Java or Jena is missing."""
    core = JARS / "jena-core.jar"
    if shutil.which("java") is None or not core.is_file():
        return None
    fix = workdir / "jena-xerces-messages"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(_MESSAGES) and name.endswith(".properties"):
                target = fix / "xerces" / name.removeprefix(_MESSAGES)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [str(p) for pattern in _NEEDED for p in sorted(JARS.glob(pattern))]
    return ":".join([str(fix), *jars])


def run(classpath: str, tool: str, *args: str) -> str:
    """Run one Jena tool (``tdb2.tdbloader``, ``tdb2.tdbquery`` …) and return its output."""
    done = subprocess.run(
        ["java", "-cp", classpath, tool, *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{tool} failed:\n{done.stderr[-2000:]}"
    return done.stdout


def rows(results_json: str) -> list[list[str]]:
    """The rows of SPARQL JSON results, each cell its lexical value ('' when unbound)."""
    data = json.loads(results_json)
    names = data["head"]["vars"]
    return [[b.get(v, {}).get("value", "") for v in names] for b in data["results"]["bindings"]]
