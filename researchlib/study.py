"""A study is a file: what one research question fixes, in one YAML mapping.

Method: :func:`load_study` reads the file (``data/study.yaml`` is the bundled
Xi–Putin study; ``researchlib init-study DIR`` writes a commented template),
checks every key before anything runs (unknown keys, types, that each file
exists and that the term groups, codebook, targets, speakers and events parse),
and resolves relative paths against the file's folder. Errors name the file and
the key. The report, ``teach``, ``analyse`` and every notebook (its ``study``
parameter) read the same object, so a setting means the same everywhere.

Without a file, a corpus gets neutral defaults: a title built from the corpus
("412 articles from 9 outlets, 2024-01-03 to 2024-03-30"), the ``generic``
codebook, the ``all`` voice, units by ``outlet``, and no term groups, targets,
events or focus word: sections that need them say so in one sentence
(:mod:`researchlib.limits`). Arguments given to :func:`load_study` (the CLI
options, the notebook parameters) override the file key by key.

Known limits: one corpus per study; the file is checked when loaded, so a
resource changed afterwards is read as changed.
"""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import yaml

from .errors import CorpusError, ResearchlibError, ResourceError

__all__ = ["Study", "load_study", "write_template", "default_title", "require_documents", "StudyError"]

RESOURCE_KEYS = ("codebook", "groups", "targets", "speakers", "events")
PATH_KEYS = ("corpus", "manifest")


class StudyError(ResearchlibError):
    """A study file or a study setting is wrong (the message names file and key)."""


@dataclass(frozen=True)
class Study:
    """The settings of one study; ``None`` means "not given" (see module doc)."""
    title: str | None = None
    question: str | None = None
    corpus: str | None = None
    manifest: str | None = None
    columns: dict = field(default_factory=dict)
    dayfirst: bool = False
    by: str = "outlet"
    voice: str = "all"
    codebook: object = "generic"
    groups: object = None
    compare: list = field(default_factory=list)
    focus: str | None = None
    targets: object = None
    speakers: object = None
    events: object = None
    source: str | None = None      # the study file, None for neutral defaults

    def load_corpus(self):
        """The study's corpus (:func:`researchlib.load_corpus`); raises when
        no document loads (naming the rejections) or ``by`` is not a column."""
        from .corpus import load_corpus
        c = load_corpus(self.corpus, self.manifest, dayfirst=self.dayfirst, **self.columns)
        require_documents(c)
        if self.by not in c.documents.columns:
            raise StudyError(f"{self._where('by')}{self.by!r} is not a document column; "
                             f"columns are {[k for k in c.documents.columns if k not in ('text', 'text_raw')]}")
        return c

    def title_for(self, documents) -> str:
        return self.title or default_title(documents)

    def naming_groups(self) -> list:
        """The term groups compared as naming alternatives: ``compare``, else
        every group of ``groups`` in file order; [] without term groups."""
        if self.compare:
            return list(self.compare)
        if self.groups is None:
            return []
        from .terms import term_groups
        return list(dict.fromkeys(term_groups(self.groups)["group"]))

    def to_dict(self) -> dict:
        return asdict(self)

    def header(self, corpus=None):
        """The title and question as notebook output (text escaped). Also fixes
        the corpus's units for the charts: one colour per unit in every chart
        (:func:`researchlib.plots.use_units`)."""
        from IPython.display import HTML
        if corpus is not None and isinstance(self.by, str) and self.by in corpus.documents:
            from .plots import use_units
            use_units(corpus.documents[self.by])
        e = html.escape
        title = self.title_for(corpus.documents) if corpus is not None else (self.title or "")
        parts = [f"<p><strong>{e(title)}</strong></p>"]
        if self.question:
            parts.append(f"<p><em>{e(self.question)}</em></p>")
        parts.append(f"<p>Study file: <code>{e(self.source or 'none (neutral defaults)')}</code>"
                     + (f" · corpus: {e(corpus.describe())}" if corpus is not None else "") + "</p>")
        return HTML("".join(parts))

    def _where(self, key):
        return f"{self.source}: {key}: " if self.source else f"{key}="


def _stamp(date):
    return f"{date:%Y-%m-%d}"


def default_title(documents) -> str:
    """A neutral title from the corpus: "412 articles from 9 outlets,
    2024-01-03 to 2024-03-30"."""
    from .findings import count_of
    n, k = len(documents), documents["outlet"].nunique() if len(documents) else 0
    title = f"{count_of(n, 'article')} from {count_of(k, 'outlet')}"
    dates = documents["published"].dropna() if "published" in documents else []
    if len(dates) == 0:
        return title + ", undated"
    lo, hi = dates.min(), dates.max()
    return f"{title}, {_stamp(lo)}" + ("" if _stamp(lo) == _stamp(hi) else f" to {_stamp(hi)}")


def require_documents(corpus, max_listed=10):
    """Raise one :class:`~researchlib.errors.CorpusError` naming the
    rejections when no document was loaded."""
    if len(corpus.documents):
        return
    r = corpus.rejected
    listed = "; ".join(f"{s}: {why}" for s, why in zip(r["source"][:max_listed], r["reason"][:max_listed]))
    more = f" (and {len(r) - max_listed} more)" if len(r) > max_listed else ""
    raise CorpusError(f"no document loaded from {corpus.source or 'the corpus'}: "
                      + (f"{len(r)} input{'s' if len(r) != 1 else ''} rejected — {listed}{more}" if len(r)
                         else "nothing to read"))


# --------------------------------------------------------------------------- #
# reading and checking                                                         #
# --------------------------------------------------------------------------- #

def load_study(path=None, *, corpus=None, manifest=None, columns=None, **overrides) -> Study:
    """Read and check a study file; ``None`` for neutral defaults.

    With neither ``path`` nor ``corpus``, the bundled study
    (``data/study.yaml``, the seeds) is used. ``corpus``, ``manifest``,
    ``columns`` and ``overrides`` (any other key of :class:`Study`, ``None``
    meaning "keep the study's") override the file's values.
    """
    from .paths import STUDY
    if path is None and corpus is None and STUDY.exists():
        path = STUDY
    values, where, source = {}, "", None
    if isinstance(path, Study):
        values, where = {k: v for k, v in path.to_dict().items() if k != "source"}, path.source or ""
        source = path.source
    elif path is not None:
        where, source = str(path), str(Path(path).resolve())
        values = _check(_read(Path(path)), Path(path).resolve().parent, where)
    given = {"corpus": corpus, "manifest": manifest, "columns": columns or None, **overrides}
    unknown = set(given) - {f.name for f in fields(Study)} | ({"source"} & set(given))
    if unknown:
        raise StudyError(f"unknown study setting(s) {sorted(unknown)}; known: {_known()}")
    given = {k: v for k, v in given.items() if v is not None}
    if "groups" in given and "compare" not in given:
        values.pop("compare", None)       # the file's comparison named the file's groups
    values.update(_check(given, Path.cwd(), ""))
    if values.get("compare"):
        if values.get("groups") is None:
            raise StudyError(f"{_at(where, 'compare')}needs term groups (groups:) to compare")
        _check_compare(values["compare"], values["groups"], where)
    return Study(**values, source=source)


def _known():
    return ", ".join(f.name for f in fields(Study) if f.name != "source")


def _at(where, key):
    return f"{where}: {key}: " if where else f"{key}="


def _read(path: Path) -> dict:
    if not path.exists():
        raise StudyError(f"study file {path} does not exist (researchlib init-study DIR writes a template)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise StudyError(f"{path}{line}: not valid YAML ({getattr(e, 'problem', e)})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise StudyError(f"{path}: cannot read the study file: {e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StudyError(f"{path}: a study file is a mapping of keys (title:, corpus:, ...), not a {type(data).__name__}")
    unknown = [k for k in data if k not in {f.name for f in fields(Study)} or k == "source"]
    if unknown:
        raise StudyError(f"{path}: unknown key {unknown[0]!r}; known keys: {_known()}")
    return {k: v for k, v in data.items() if v is not None}


def _is_path(spec) -> bool:
    return isinstance(spec, (str, Path)) and bool(Path(str(spec)).suffix)


def _check(values: dict, base: Path, where: str) -> dict:
    """Check and normalise settings; relative paths resolve against ``base``."""
    out = {}
    for key, v in values.items():
        at = _at(where, key)
        if key in ("title", "question", "focus", "by"):
            if not isinstance(v, str) or not v.strip():
                raise StudyError(f"{at}expected a non-empty text, got {v!r}")
            v = v.strip()
            if key == "focus":
                from .text import tokenize
                if len(tokenize(v)) != 1:
                    raise StudyError(f"{at}expected one word (its collocates are shown), got {v!r}")
        elif key == "dayfirst":
            if not isinstance(v, bool):
                raise StudyError(f"{at}expected true or false, got {v!r}")
        elif key == "voice":
            from .terms import VOICES
            if v not in VOICES:
                raise StudyError(f"{at}expected one of {', '.join(VOICES)}, got {v!r}")
        elif key == "columns":
            v = _check_columns(v, at)
        elif key == "compare":
            if isinstance(v, str) or not isinstance(v, (list, tuple)) or not all(isinstance(g, str) for g in v) or len(v) < 1:
                raise StudyError(f"{at}expected a list of term group names, e.g. [first, second], got {v!r}")
            v = list(v)
        elif key in PATH_KEYS:
            p = (base / str(v)).resolve()
            if not p.exists():
                raise StudyError(f"{at}{v} does not exist (looked for {p})")
            v = str(p)
        elif key in RESOURCE_KEYS:
            if _is_path(v):
                p = (base / str(v)).resolve()
                if not p.exists():
                    raise StudyError(f"{at}{v} does not exist (looked for {p})")
                v = str(p)
            _check_resource(key, v, at)
        out[key] = v
    return out


def _check_columns(v, at):
    from .corpus import CANONICAL
    if not isinstance(v, dict) or not all(isinstance(k, str) and isinstance(c, str) for k, c in v.items()):
        raise StudyError(f"{at}expected a mapping of our names to your columns, e.g. {{text: body}}, got {v!r}")
    bad = [k for k in v if k not in CANONICAL]
    if bad:
        raise StudyError(f"{at}unknown name {bad[0]!r}; known: {', '.join(CANONICAL)}")
    return dict(v)


def _check_resource(key, spec, at):
    """Parse a resource once so a broken one fails here, naming the key."""
    try:
        if key == "codebook":
            from .frames import codebook
            codebook(spec)
        elif key == "groups":
            from .terms import term_groups
            if term_groups(spec).empty:
                raise ResourceError("no terms in the term groups")
        elif key == "targets":
            from .sentiment import target_aliases
            if not target_aliases(spec):
                raise ResourceError("no target has an alias")
        elif key == "speakers":
            from .quotes import speaker_table
            speaker_table(spec)
        elif key == "events":
            from .timeline import load_events
            load_events(spec)
    except ResearchlibError as e:
        raise StudyError(f"{at}{e}") from None
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise StudyError(f"{at}not a valid {key} table ({type(e).__name__}: {e})") from None


def _check_compare(compare, groups, where):
    from .terms import term_groups
    names = list(dict.fromkeys(term_groups(groups)["group"]))
    missing = [g for g in compare if g not in names]
    if missing:
        raise StudyError(f"{_at(where, 'compare')}no term group {missing[0]!r}; groups: {', '.join(names)}")


def write_template(folder) -> Path:
    """Write a commented study template to ``folder/study.yaml`` (never over
    an existing file)."""
    from .paths import PACKAGE
    folder = Path(folder)
    target = folder / "study.yaml"
    if target.exists():
        raise StudyError(f"{target} exists; not overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text((PACKAGE / "templates" / "study.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return target
