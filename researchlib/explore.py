"""``rl.explore``: an ipywidgets panel for JupyterLab (term box, unit and
voice selectors -> counts and KWIC lines). Where widgets cannot run (a static
HTML report, where ``RESEARCHLIB_STATIC=1`` is set by ``researchlib report``, or
no ipywidgets) it shows the same result as a plain table, never an error."""
from __future__ import annotations

import html
import os

from .signatures import keyword_options

__all__ = ["explore"]


def _tables(corpus, term, unit, voice, by="outlet"):
    import pandas as pd
    from .terms import kwic
    if not str(term or "").strip():
        return pd.DataFrame(columns=[by, "voice", "count", "excluded"]), pd.DataFrame()
    k = kwic(corpus, term, voice=voice, by=by)
    if unit and unit != "(all)":
        k = k[k[by].astype(str) == unit]
    # counts follow the counting rule: lines inside an exclusion phrase are shown, not counted
    counts = k.assign(count=~k["excluded"].astype(bool)).groupby([by, "voice"]).agg(
        count=("count", "sum"), excluded=("excluded", "sum")).reset_index()
    return counts, k


class _Static:
    def __init__(self, counts, lines, term):
        self.counts, self.lines, self.term = counts, lines, term

    def _repr_html_(self):
        if not str(self.term or "").strip():
            return "<p><em>No term to explore: give one (focus: in the study file, or term= here).</em></p>"
        if self.lines.empty:
            return f"<p><strong>{html.escape(self.term)}</strong>: no match in the corpus.</p>"
        from .plots import table_html
        more = len(self.lines) - 50
        return (f"<p><strong>{html.escape(self.term)}</strong>: counts and KWIC lines</p>"
                + table_html(self.counts, max_rows=60) + table_html(self.lines, max_rows=50)
                + (f"<p><em>The first 50 of {len(self.lines):,} lines.</em></p>" if more > 0 else ""))


@keyword_options
def explore(corpus, term="", *, static=None, by="outlet"):
    """Interactive term explorer (a term box, a ``by`` unit and a voice
    selector); a static table when widgets are unavailable."""
    if static is None:
        static = os.environ.get("RESEARCHLIB_STATIC") == "1"
    try:
        import ipywidgets as w
    except ImportError:
        static = True
    if static:
        return _Static(*_tables(corpus, term, None, "all", by), term)
    from IPython.display import HTML, display

    from .plots import table_html
    box = w.Text(value=term, description="term")
    units = w.Dropdown(options=["(all)", *sorted(map(str, corpus.documents[by].dropna().unique()))], description=by)
    voice = w.ToggleButtons(options=["all", "narrative", "quoted"], description="voice")
    out = w.Output()

    def update(*_):
        out.clear_output()
        with out:
            counts, lines = _tables(corpus, box.value, units.value, voice.value, by)
            display(HTML(table_html(counts, max_rows=60) + table_html(lines, max_rows=50)))

    for ctl in (box, units, voice):
        ctl.observe(update, names="value")
    update()
    return w.VBox([w.HBox([box, units, voice]), out])
