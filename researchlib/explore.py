"""``rl.explore``: an ipywidgets panel for JupyterLab (term box, outlet and
voice selectors -> counts and KWIC lines). Where widgets cannot run (a static
HTML report, where ``RESEARCHLIB_STATIC=1`` is set by ``researchlib report``, or
no ipywidgets) it shows the same result as a plain table, never an error."""
from __future__ import annotations

import html
import os

__all__ = ["explore"]


def _tables(corpus, term, outlet, voice):
    from .terms import kwic
    k = kwic(corpus, term, voice=voice)
    if outlet and outlet != "(all)":
        k = k[k["outlet"] == outlet]
    # counts follow the counting rule: lines inside an exclusion phrase are shown, not counted
    counts = k.assign(count=~k["excluded"].astype(bool)).groupby(["outlet", "voice"]).agg(
        count=("count", "sum"), excluded=("excluded", "sum")).reset_index()
    return counts, k


class _Static:
    def __init__(self, counts, lines, term):
        self.counts, self.lines, self.term = counts, lines, term

    def _repr_html_(self):
        return (f"<p><strong>{html.escape(self.term)}</strong>: counts and KWIC lines</p>"
                + self.counts.to_html(index=False) + self.lines.head(50).to_html(index=False))


def explore(corpus, term="crisis", static=None):
    """Interactive term explorer; a static table when widgets are unavailable."""
    if static is None:
        static = os.environ.get("RESEARCHLIB_STATIC") == "1"
    try:
        import ipywidgets as w
    except ImportError:
        static = True
    if static:
        return _Static(*_tables(corpus, term, None, "all"), term)
    from IPython.display import HTML, display
    box = w.Text(value=term, description="term")
    outlets = w.Dropdown(options=["(all)", *sorted(corpus.documents["outlet"].unique())], description="outlet")
    voice = w.ToggleButtons(options=["all", "narrative", "quoted"], description="voice")
    out = w.Output()

    def update(*_):
        out.clear_output()
        with out:
            counts, lines = _tables(corpus, box.value, outlets.value, voice.value)
            display(HTML(counts.to_html(index=False) + lines.head(50).to_html(index=False)))

    for ctl in (box, outlets, voice):
        ctl.observe(update, names="value")
    update()
    return w.VBox([w.HBox([box, outlets, voice]), out])
