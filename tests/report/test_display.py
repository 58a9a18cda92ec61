"""Tests for evaluation.report.display: escaped HTML helpers, invisible key figures, deterministic figures."""

from __future__ import annotations

import base64
import datetime as dt
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from evaluation.core.errors import ReportError  # noqa: E402
from evaluation.report.display import (  # noqa: E402
    KEY_FIGURES_MIME,
    KeyFigures,
    Section,
    bullet_list,
    figure,
    notice,
    paragraph,
    table,
)

NBSP = "\u00a0"


def test_key_figures_bundle() -> None:
    """KeyFigures puts a plain JSON dict under its own MIME type (numpy and NaN made plain)."""
    import numpy as np

    kf = KeyFigures({"budget": np.int64(16713030), "share": np.float64(0.5), "gap": float("nan"),
                     "as_of": dt.date(2022, 12, 31), "nested": {"n": [1, 2]}})
    bundle = kf._repr_mimebundle_()
    assert bundle[KEY_FIGURES_MIME] == {"budget": 16713030, "share": 0.5, "gap": None,
                                        "as_of": "2022-12-31", "nested": {"n": [1, 2]}}
    json.dumps(bundle[KEY_FIGURES_MIME], allow_nan=False)
    assert "text/html" not in bundle


def test_key_figures_refuse_objects() -> None:
    """A value that is not plain data is refused with the key named."""
    with pytest.raises(ReportError, match="'key_figures.bad'"):
        KeyFigures({"bad": object()})


def test_section_tags_dac_criteria_in_language() -> None:
    """A section heading shows its DAC criteria in the report language."""
    sv = Section(3, "Resultat & effekter", ("relevance", "effectiveness"), "sv")._repr_html_()
    en = Section(3, "Results", ("relevance", "effectiveness"), "en")._repr_html_()
    assert "Relevans, Effektivitet" in sv and "OECD DAC-kriterier" in sv
    assert "Relevance, Effectiveness" in en
    assert "<h2" in sv and "Resultat &amp; effekter" in sv and 'id="section-3"' in sv


def test_section_refuses_unknown_criterion() -> None:
    """An unknown DAC criterion is an error, not a silent tag."""
    with pytest.raises(ReportError, match="'dac_criteria'"):
        Section(1, "X", ("beauty",), "sv")


def test_paragraph_and_list_escape_user_text() -> None:
    """Names and statements are escaped: no markup gets through."""
    assert paragraph("<script>alert(1)</script> & co")._repr_html_() == \
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
    assert bullet_list(["<b>a</b>", "b"])._repr_html_() == "<ul><li>&lt;b&gt;a&lt;/b&gt;</li><li>b</li></ul>"


def test_table_formats_numbers_and_escapes_text() -> None:
    """Table cells: numbers via fmt, missing as text, user text escaped."""
    df = pd.DataFrame({"Företag": ["<script>x</script>", "AB"], "Belopp": [16713030, None],
                       "Andel": [0.497, 0.25]})
    out = table(df, "sv", formats={"Andel": "percent"})._repr_html_()
    assert "&lt;script&gt;x&lt;/script&gt;" in out and "<script>" not in out
    assert f">16{NBSP}713{NBSP}030<" in out
    assert f">49,7{NBSP}%<" in out
    assert ">uppgift saknas<" in out
    assert "nan" not in out.lower().replace("nanoseconds", "")


def test_table_money_dates_and_index() -> None:
    """Money and date columns use fmt; a named index is shown as row headers."""
    df = pd.DataFrame({"Kostnad": [1500.0], "Datum": [dt.date(2027, 4, 30)]},
                      index=pd.Index(["<Kommun>"], name="Part"))
    out = table(df, "en", formats={"Kostnad": "money"}, caption="Costs")._repr_html_()
    assert f">SEK{NBSP}1,500<" in out and ">30 April 2027<" in out
    assert '<th scope="row">&lt;Kommun&gt;</th>' in out and "<caption>Costs</caption>" in out


def test_notice_is_visible_boxed_banner() -> None:
    """notice shows an upper-case label in a bordered box and escapes the text."""
    out = notice("Siffrorna är <påhittade>", "illustrative", "sv")._repr_html_()
    assert "ILLUSTRATIVA VÄRDEN" in out and "border:" in out
    assert "&lt;påhittade&gt;" in out
    assert "DATA NOT REPORTED" in notice("x", "missing", "en")._repr_html_()


def _bar_figure() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2])
    ax.set_title("Omsättning")
    return fig


def test_figure_embeds_png_and_closes() -> None:
    """figure() returns an embedded PNG (data URI) and closes the matplotlib figure."""
    fig = _bar_figure()
    shown = figure(fig)
    assert not plt.fignum_exists(fig.number)
    html = shown._repr_html_()
    assert 'src="data:image/png;base64,' in html and 'alt="Omsättning"' in html
    assert base64.b64decode(shown.data_uri().split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_figure_png_is_deterministic() -> None:
    """The same figure gives the same PNG bytes (no Software stamp, fixed dpi)."""
    a = figure(_bar_figure()).png
    b = figure(_bar_figure()).png
    assert a == b
    assert b"Software" not in a


def test_figure_caption_escaped() -> None:
    """A caption is shown under the image, escaped."""
    out = figure(_bar_figure(), caption="Källa: <SCB>")._repr_html_()
    assert "<figcaption>Källa: &lt;SCB&gt;</figcaption>" in out


def test_figure_accepts_axes_as_the_plot_functions_return() -> None:
    """figure(ax) renders the axes' figure: the same PNG bytes as figure(fig), and closes it."""
    fig = _bar_figure()
    ax = fig.get_axes()[0]
    from_axes = figure(ax)
    assert from_axes.png == figure(_bar_figure()).png
    assert from_axes.alt == "Omsättning"
    assert not plt.fignum_exists(fig.number)
