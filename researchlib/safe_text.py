"""Text from data (outlet names, titles, terms, parameters) shown to people
without being executed: in Markdown, in matplotlib labels and in spreadsheets.

Method
------
* ``escape_markdown``: every ASCII punctuation character gets a backslash
  (CommonMark lets any of them be escaped), so ``[x](url)``, ``<script>``,
  ``**``, ``$math$``, ``&entities;`` and bare ``https://`` autolinks all show
  as the characters they are; line breaks become spaces (one inline line).
* ``plain_text_figures``: plots build their figures with ``text.parse_math``
  off, so a ``$`` in a label is a dollar sign, never mathtext. It is scoped
  (an ``rc_context``): the user's global rcParams are not touched.
* ``legend_label``: matplotlib (and pandas' ``.plot``) leave out of the legend
  every entry whose label starts with ``_``; a name from data that does gets
  a zero-width space in front, so "_Daily" is listed and looks the same.
* ``neutralise_formulas``: a text cell starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets a leading single quote (the OWASP rule
  against CSV / formula injection), so a spreadsheet shows it as text instead
  of evaluating it. Numbers stay numbers (``-3`` is a number, not a formula,
  whether stored as a number or as the text ``"-3"``). A cell that already
  starts with ``'`` gets one more, so ``restore_formulas`` (used when the
  package reads such a file back, e.g. coded sheets in ``rl.agreement``)
  gives back exactly the text that was written.

Known limits
------------
* The single quote is visible to programs that read the file back (pandas
  reads ``'=x`` as the text ``'=x``: use ``restore_formulas``); the
  DataFrames the functions return are unchanged.
* A tick label that matplotlib creates only after the plot function returned
  (the caller adds ticks to a returned figure) follows the caller's rcParams.
* Escaping targets CommonMark renderers (JupyterLab, nbconvert); a renderer
  that ignores backslash escapes would show the backslashes.
"""
from __future__ import annotations

import functools
import re

import pandas as pd

__all__ = ["escape_markdown", "neutralise_formulas", "restore_formulas", "plain_text_figures", "legend_label",
           "FORMULA_START"]

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")          # every ASCII punctuation character
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_markdown(text) -> str:
    """``text`` as literal Markdown inline text (no link, tag, emphasis, math
    or autolink can come out of it)."""
    text = re.sub(r"[\r\n]+", " ", str(text))
    return _MD_SPECIAL.sub(r"\\\1", text)


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def legend_label(text) -> str:
    """``text`` as a legend label that matplotlib will not hide (labels
    starting with ``_`` are skipped by ``legend()``)."""
    text = str(text)
    return "\u200b" + text if text.startswith("_") else text


def _neutral_cell(v):
    if isinstance(v, str) and (v.startswith(FORMULA_START) and not _NUMBER.fullmatch(v) or v.startswith("'")):
        return "'" + v
    return v


def _restored_cell(v):
    if isinstance(v, str) and v.startswith("'") and v[1:].startswith((*FORMULA_START, "'")):
        return v[1:]
    return v


def _map_text(frame, cell):
    out = frame.copy()
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if s.dtype.kind not in "biufcmM":           # text, mixed or categorical cells
            out.isetitem(i, s.astype(object).map(cell, na_action="ignore"))
    out.columns = [cell(c) for c in out.columns]
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot start a
    spreadsheet formula: those starting with ``= + - @``, tab or carriage
    return get a leading ``'`` (and so do those starting with ``'``, so that
    :func:`restore_formulas` undoes it exactly). Numeric, boolean and date
    columns, and text that is a plain number (``-3``), are kept as they are."""
    return _map_text(frame, _neutral_cell)


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas` on a table read back from a file the
    package wrote: ``restore_formulas(neutralise_formulas(df))`` equals ``df``."""
    return _map_text(frame, _restored_cell)


def plain_text_figures(draw):
    """Decorator for a plot function: build the figure with mathtext off, so
    every Text it holds (titles, labels, tick labels, legends, annotations)
    shows a ``$`` as a dollar sign. ``parse_math`` is fixed per Text when it
    is created, so the figure stays plain when drawn later; the user's own
    figures and rcParams are untouched."""
    import matplotlib as mpl

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with mpl.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)
    return wrapper
