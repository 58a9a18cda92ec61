"""Tests for evaluation.plots.diagrams: goal tree and effect-chain drawings on the four example projects."""

from __future__ import annotations

import io

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text

from evaluation.core.errors import InputError
from evaluation.core.model import EffectChain, EffectLink, EffectNode, GoalNode, GoalTree, Project
from evaluation.io.loader import load_project
from evaluation.plots.diagrams import link_legend, numbered_links, plot_effect_chain, plot_goal_tree

PROJECTS = ("nis60", "hso", "nba", "sam")
# (goal nodes, goal links, effect nodes, effect links) as in data/<id>/project.yaml
COUNTS = {"nis60": (21, 20, 13, 11), "hso": (12, 11, 8, 7), "nba": (13, 12, 7, 6), "sam": (11, 10, 7, 6)}


@pytest.fixture(scope="module")
def projects() -> dict[str, Project]:
    """The four example projects, loaded once."""
    return {p: load_project(p) for p in PROJECTS}


def _gids(artists: object, prefix: str) -> list[str]:
    return [a.get_gid()[len(prefix):] for a in artists if (a.get_gid() or "").startswith(prefix)]  # type: ignore[attr-defined]


def _boxes(fig: Figure, prefix: str) -> dict[str, Patch]:
    return {p.get_gid()[len(prefix):]: p for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith(prefix)}


def _texts(fig: Figure, prefix: str) -> dict[str, Text]:
    return {t.get_gid()[len(prefix):]: t for ax in fig.axes for t in ax.texts if (t.get_gid() or "").startswith(prefix)}


def _centre(p: Patch) -> tuple[float, float]:
    return p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2  # type: ignore[attr-defined]


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
    return buf.getvalue()


def _orphan_tree() -> GoalTree:
    return GoalTree((
        GoalNode("og", "overall", "Overall goal"),
        GoalNode("pg1", "project", "Project goal one", parent="og"),
        GoalNode("a1", "activity", "Activity under pg1", parent="pg1"),
        GoalNode("pgx", "project", "Orphan project goal", parent="nope"),
        GoalNode("sgn", "sub", "Sub-goal without parent"),
        GoalNode("c1", "sub", "Cycle one", parent="c2"),
        GoalNode("c2", "activity", "Cycle two", parent="c1"),
        GoalNode("self", "activity", "Own parent", parent="self"),
        GoalNode("a2", "activity", "Child of the orphan", parent="pgx"),
    ))


def _small_chain() -> EffectChain:
    return EffectChain(
        nodes=(
            EffectNode("A", "activity", "Activity A"),
            EffectNode("B", "activity", "Activity B"),
            EffectNode("X", "output", "Output X"),
            EffectNode("Y", "output", "Output Y"),
            EffectNode("S", "short_term", "Short-term S"),
            EffectNode("L", "long_term", "Long-term L"),
        ),
        links=(
            EffectLink("A", "Y", "A leads to Y"),
            EffectLink("B", "X", None),
            EffectLink("X", "S", "  "),
            EffectLink("Y", "S", "Y leads to S"),
            EffectLink("S", "L", "S lasts"),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Goal tree
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pid", PROJECTS)
def test_goal_tree_boxes_ids_and_lines(projects: dict[str, Project], pid: str) -> None:
    """Each example goal tree: a Figure titled Målträd, one box and one bold id per node, one line per parent link."""
    tree = projects[pid].goal_tree
    fig = plot_goal_tree(tree).figure
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Målträd"
    n_nodes, n_links, _, _ = COUNTS[pid]
    boxes = _gids(ax.patches, "goal:")
    assert len(boxes) == n_nodes and sorted(boxes) == sorted(tree.ids())
    ids = _texts(fig, "goal-id:")
    assert sorted(ids) == sorted(tree.ids())
    assert all(t.get_text() == k and t.get_fontweight() == "bold" for k, t in ids.items())
    assert len(ax.lines) == n_links
    expected = sorted(f"{n.id}->{n.parent}" for n in tree.nodes if n.parent is not None)
    assert sorted(_gids(ax.lines, "goal-link:")) == expected
    assert all(p.get_linestyle() == "-" for p in _boxes(fig, "goal:").values())  # loader data: no orphans


def test_goal_tree_nis60_layout(projects: dict[str, Project]) -> None:
    """NIS 6.0: rows top-down by level, parents centred over first and last child, 12 activities left to right."""
    fig = plot_goal_tree(projects["nis60"].goal_tree).figure
    b = {k: _centre(p) for k, p in _boxes(fig, "goal:").items()}
    assert b["og"][1] > b["pg1"][1] > b["sg1"][1] > b["a01"][1]
    assert len({round(b[k][1], 6) for k in ("pg1", "pg2", "pg3", "pg4")}) == 1
    assert b["og"][0] == pytest.approx((b["pg1"][0] + b["pg4"][0]) / 2)
    assert b["sg1"][0] == pytest.approx((b["a01"][0] + b["a07"][0]) / 2)  # a01, a02, a07 under sg1
    assert b["pg3"][0] == pytest.approx((b["sg3"][0] + b["a09"][0]) / 2)  # a09 hangs directly under pg3
    order = sorted((k for k in b if k.startswith("a")), key=lambda k: b[k][0])
    assert order == ["a01", "a02", "a07", "a04", "a05", "a12", "a06", "a10", "a11", "a09", "a03", "a08"]
    assert fig.get_size_inches()[0] <= 16.0 + 1e-9


@pytest.mark.parametrize("pid", PROJECTS)
def test_goal_tree_no_overlap_and_text_inside(projects: dict[str, Project], pid: str) -> None:
    """Rendered goal tree: boxes in a row do not overlap and every id and statement stays inside its box."""
    fig = plot_goal_tree(projects[pid].goal_tree, source="Slutrapport").figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = _boxes(fig, "goal:")
    extents = {k: p.get_window_extent(renderer) for k, p in boxes.items()}
    rows: dict[float, list[str]] = {}
    for k, p in boxes.items():
        rows.setdefault(round(_centre(p)[1], 6), []).append(k)
    for members in rows.values():
        members.sort(key=lambda k: extents[k].x0)
        for left, right in zip(members, members[1:]):
            assert extents[left].x1 < extents[right].x0, (left, right)
    for prefix in ("goal-id:", "goal-text:"):
        for k, t in _texts(fig, prefix).items():
            te, be = t.get_window_extent(renderer), extents[k]
            assert be.x0 <= te.x0 and te.x1 <= be.x1 and be.y0 <= te.y0 and te.y1 <= be.y1, (prefix, k)


def test_goal_tree_greyscale_fills_per_level(projects: dict[str, Project]) -> None:
    """Each level has its own grey fill (equal RGB channels) so the tree reads in greyscale."""
    boxes = _boxes(plot_goal_tree(projects["nis60"].goal_tree).figure, "goal:")
    fills = [boxes[k].get_facecolor()[:3] for k in ("og", "pg1", "sg1", "a01")]
    assert all(r == g == b for r, g, b in fills)
    assert len({f[0] for f in fills}) == 4
    assert boxes["pg1"].get_facecolor() == boxes["pg4"].get_facecolor()


def test_goal_tree_row_labels_and_english(projects: dict[str, Project]) -> None:
    """Row labels in Swedish and English; a level without nodes (NBA has no sub-goals) gets no row."""
    sv = {k: t.get_text().replace("\n", " ") for k, t in _texts(plot_goal_tree(projects["nis60"].goal_tree).figure, "row-label:").items()}
    assert sv == {"overall": "Övergripande mål", "project": "Projektmål", "sub": "Delmål", "activity": "Aktiviteter"}
    fig = plot_goal_tree(projects["nis60"].goal_tree, lang="en").figure
    assert fig.axes[0].get_title(loc="left") == "Goal tree"
    en = {k: t.get_text().replace("\n", " ") for k, t in _texts(fig, "row-label:").items()}
    assert en == {"overall": "Overall goal", "project": "Project goals", "sub": "Sub-goals", "activity": "Activities"}
    nba = _texts(plot_goal_tree(projects["nba"].goal_tree).figure, "row-label:")
    assert sorted(nba) == ["activity", "overall", "project"]


def test_goal_tree_title_and_source(projects: dict[str, Project]) -> None:
    """A given title replaces the default; the source goes on a 'Källa:' line at the bottom of the figure."""
    fig = plot_goal_tree(projects["hso"].goal_tree, title="HSO: målträd", source="Region Västernorrland 2024").figure
    assert fig.axes[0].get_title(loc="left") == "HSO: målträd"
    sources = [t for t in fig.texts if t.get_gid() == "source"]
    assert [t.get_text() for t in sources] == ["Källa: Region Västernorrland 2024"]
    assert sources[0].get_position()[1] < 0.05
    assert not [t for t in plot_goal_tree(projects["hso"].goal_tree).figure.texts if t.get_gid() == "source"]


def test_goal_tree_orphans_and_cycles() -> None:
    """Missing/absent parents, cycles and self-parents do not crash, are dashed and sit at the end of their row."""
    fig = plot_goal_tree(_orphan_tree(), lang="en").figure
    boxes = _boxes(fig, "goal:")
    assert sorted(boxes) == sorted(_orphan_tree().ids())
    dashed = sorted(k for k, p in boxes.items() if p.get_linestyle() == "--")
    assert dashed == ["c1", "c2", "pgx", "self", "sgn"]
    assert all(boxes[k].get_linestyle() == "-" for k in ("og", "pg1", "a1", "a2"))
    x = {k: _centre(p)[0] for k, p in boxes.items()}
    assert x["pg1"] < x["pgx"] and x["sgn"] < x["c1"]
    assert x["a1"] < x["a2"] < x["c2"] < x["self"]
    assert x["c2"] == pytest.approx(x["c1"])  # c2 hangs under c1 (its parent sits on a higher level)
    assert sorted(_gids(fig.axes[0].lines, "goal-link:")) == ["a1->pg1", "a2->pgx", "c1->c2", "c2->c1", "pg1->og"]
    assert any(t.get_gid() == "note" and "Dashed border" in t.get_text() for t in fig.axes[0].texts)


def test_goal_tree_same_level_cycle_and_empty() -> None:
    """A two-node cycle on one level and an empty tree draw without error."""
    cyc = GoalTree((GoalNode("p", "project", "P", parent="q"), GoalNode("q", "project", "Q", parent="p")))
    boxes = _boxes(plot_goal_tree(cyc).figure, "goal:")
    assert sorted(boxes) == ["p", "q"] and all(b.get_linestyle() == "--" for b in boxes.values())
    empty = plot_goal_tree(GoalTree(())).figure
    assert empty.axes[0].get_title(loc="left") == "Målträd" and not _boxes(empty, "goal:")


def test_goal_tree_long_statement_is_shortened() -> None:
    """A very long statement is wrapped to at most five lines ending in an ellipsis."""
    long = " ".join(["utveckling"] * 80)
    fig = plot_goal_tree(GoalTree((GoalNode("og", "overall", "Kort mål"), GoalNode("a", "activity", long, parent="og")))).figure
    text = _texts(fig, "goal-text:")["a"].get_text()
    assert text.endswith("…") and len(text.split("\n")) == 5
    assert _texts(fig, "goal-text:")["og"].get_text() == "Kort mål"


def test_goal_tree_many_leaves_caps_width_and_shrinks_font(projects: dict[str, Project]) -> None:
    """30 activities: the figure stays about 16 in wide and the activity font is smaller than for NIS 6.0's 12."""
    nodes = [GoalNode("og", "overall", "Mål"), GoalNode("pg", "project", "Projektmål", parent="og")]
    nodes += [GoalNode(f"a{i:02d}", "activity", f"Aktivitet nummer {i}", parent="pg") for i in range(30)]
    fig = plot_goal_tree(GoalTree(tuple(nodes))).figure
    assert fig.get_size_inches()[0] <= 16.0 + 1e-9
    many = _texts(fig, "goal-text:")["a00"].get_fontsize()
    nis = _texts(plot_goal_tree(projects["nis60"].goal_tree).figure, "goal-text:")["a01"].get_fontsize()
    assert many < nis
    xs = sorted(_centre(p)[0] for k, p in _boxes(fig, "goal:").items() if k.startswith("a"))
    width = _boxes(fig, "goal:")["a00"].get_width()
    assert all(b - a > width for a, b in zip(xs, xs[1:]))


# ---------------------------------------------------------------------------------------------
# Effect chain
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pid", PROJECTS)
def test_effect_chain_boxes_and_arrows(projects: dict[str, Project], pid: str) -> None:
    """Each example chain: a Figure titled Effektlogik, one box per node, one solid arrow and one number per link."""
    chain = projects[pid].effect_chain
    fig = plot_effect_chain(chain).figure
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Effektlogik"
    _, _, n_nodes, n_links = COUNTS[pid]
    boxes = _gids(ax.patches, "effect:")
    assert len(boxes) == n_nodes and sorted(boxes) == sorted(chain.ids())
    assert sorted(_texts(fig, "effect-id:")) == sorted(chain.ids())
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    assert len(arrows) == n_links
    assert sorted(a.get_gid() for a in arrows) == sorted(f"link:{lk.source}->{lk.target}" for lk in chain.links)
    assert all(a.arrow_patch is not None and a.arrow_patch.get_linestyle() == "-" for a in arrows)
    assert sorted(int(k) for k in _texts(fig, "assumption:")) == list(range(1, n_links + 1))


def test_effect_chain_columns(projects: dict[str, Project]) -> None:
    """Four columns left to right by level, with Swedish and English headers."""
    fig = plot_effect_chain(projects["nis60"].effect_chain).figure
    b = {k: _centre(p) for k, p in _boxes(fig, "effect:").items()}
    assert b["e_act1"][0] < b["e_out1"][0] < b["e_st1"][0] < b["e_lt1"][0]
    assert len({round(b[k][0], 6) for k in ("e_act1", "e_act2", "e_act3", "e_act4")}) == 1
    sv = [t.get_text() for t in _texts(fig, "column-label:").values()]
    assert sv == ["Aktiviteter", "Prestationer (output)", "Kortsiktiga effekter", "Långsiktiga effekter"]
    fig_en = plot_effect_chain(projects["nis60"].effect_chain, lang="en").figure
    assert fig_en.axes[0].get_title(loc="left") == "Effect logic"
    en = [t.get_text() for t in _texts(fig_en, "column-label:").values()]
    assert en == ["Activities", "Outputs", "Short-term effects", "Long-term effects"]


def test_effect_chain_nis60_order_has_no_crossings(projects: dict[str, Project]) -> None:
    """NIS 6.0: e_st3 (fed by e_out3 and e_out4) is at the bottom and e_lt2 under e_lt1, so no arrows cross."""
    chain = projects["nis60"].effect_chain
    y = {k: _centre(p)[1] for k, p in _boxes(plot_effect_chain(chain).figure, "effect:").items()}
    assert y["e_act1"] > y["e_act2"] > y["e_act3"] > y["e_act4"]
    assert y["e_st1"] > y["e_st2"] > y["e_st3"] and y["e_lt1"] > y["e_lt2"]
    for a in chain.links:
        for b in chain.links:
            if a.source[:4] == b.source[:4] and a.target[:4] == b.target[:4]:
                assert (y[a.source] - y[b.source]) * (y[a.target] - y[b.target]) >= 0, (a, b)


def test_effect_chain_barycentre_uncrosses() -> None:
    """Crossed input (A->Y, B->X with X listed before Y) is reordered so Y sits level with A above X."""
    y = {k: _centre(p)[1] for k, p in _boxes(plot_effect_chain(_small_chain()).figure, "effect:").items()}
    assert y["A"] > y["B"] and y["Y"] > y["X"]


def test_effect_chain_dashed_without_assumption() -> None:
    """Links without an assumption (None or blank) are dashed and unnumbered; the others are solid and numbered."""
    fig = plot_effect_chain(_small_chain()).figure
    arrows = {a.get_gid(): a for a in fig.axes[0].texts if isinstance(a, Annotation)}
    style = {k: a.arrow_patch.get_linestyle() for k, a in arrows.items()}  # type: ignore[union-attr]
    assert style == {"link:A->Y": "-", "link:B->X": "--", "link:X->S": "--", "link:Y->S": "-", "link:S->L": "-"}
    assert sorted(_texts(fig, "assumption:")) == ["1", "2", "3"]
    notes = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "note"]
    assert any("Streckad pil" in n for n in notes)


def test_link_legend_numbering_matches_markers() -> None:
    """link_legend numbers the assumptions 1.. in link order, and each number sits at the midpoint of its arrow."""
    chain = _small_chain()
    legend = link_legend(chain)
    assert list(legend.columns) == ["nr", "från", "till", "antagande"]
    assert legend["nr"].tolist() == [1, 2, 3]
    assert legend["från"].tolist() == ["A", "Y", "S"] and legend["till"].tolist() == ["Y", "S", "L"]
    assert legend["antagande"].tolist() == ["A leads to Y", "Y leads to S", "S lasts"]
    assert [(nr, lk.source) for nr, lk in numbered_links(chain)] == [(1, "A"), (2, "Y"), (3, "S")]
    fig = plot_effect_chain(chain).figure
    markers = _texts(fig, "assumption:")
    arrows = {a.get_gid(): a for a in fig.axes[0].texts if isinstance(a, Annotation)}
    for row in legend.itertuples(index=False):
        arrow = arrows[f"link:{row[1]}->{row[2]}"]
        mid = ((arrow.xy[0] + arrow.xyann[0]) / 2, (arrow.xy[1] + arrow.xyann[1]) / 2)
        assert markers[str(row[0])].get_position() == pytest.approx(mid)
    assert list(link_legend(chain, "en").columns) == ["nr", "from", "to", "assumption"]


def test_link_legend_nis60(projects: dict[str, Project]) -> None:
    """NIS 6.0: eleven numbered assumptions, the first and last as in project.yaml."""
    legend = link_legend(projects["nis60"].effect_chain, lang="en")
    assert legend["nr"].tolist() == list(range(1, 12))
    assert legend.iloc[0].tolist() == [1, "e_act1", "e_out1", "Personlig kontakt är den viktigaste kanalen för att nå företagare"]
    assert legend.iloc[-1].tolist() == [11, "e_st3", "e_lt2", "Kommunerna fortsätter samverka efter projektslut"]


@pytest.mark.parametrize("pid", PROJECTS)
def test_effect_chain_text_inside_and_markers_clear(projects: dict[str, Project], pid: str) -> None:
    """Rendered chain: ids and statements stay inside their boxes, numbers do not touch any box."""
    fig = plot_effect_chain(projects[pid].effect_chain, source="Slutrapport").figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = {k: p.get_window_extent(renderer) for k, p in _boxes(fig, "effect:").items()}
    for prefix in ("effect-id:", "effect-text:"):
        for k, t in _texts(fig, prefix).items():
            te, be = t.get_window_extent(renderer), boxes[k]
            assert be.x0 <= te.x0 and te.x1 <= be.x1 and be.y0 <= te.y0 and te.y1 <= be.y1, (prefix, k)
    for nr, t in _texts(fig, "assumption:").items():
        me = t.get_bbox_patch().get_window_extent(renderer)  # type: ignore[union-attr]
        assert not any(me.overlaps(be) for be in boxes.values()), nr


def test_effect_chain_external_factors(projects: dict[str, Project]) -> None:
    """External factors are listed in a box below the columns; without factors there is no box."""
    fig = plot_effect_chain(projects["nis60"].effect_chain).figure
    ext = _boxes(fig, "external")
    assert list(ext) == [""]
    lowest = min(p.get_y() for p in _boxes(fig, "effect:").values())  # type: ignore[attr-defined]
    assert ext[""].get_y() + ext[""].get_height() < lowest  # type: ignore[attr-defined]
    body = _texts(fig, "external-text")[""].get_text()
    assert "Kriget i Ukraina" in body and body.count("• ") == 5
    assert _texts(fig, "external-title")[""].get_text() == "Externa faktorer"
    assert not _boxes(plot_effect_chain(_small_chain()).figure, "external")


def test_effect_chain_odd_links_do_not_crash() -> None:
    """Backward, same-column, column-skipping, self and dangling links draw without error (dangling ones are skipped)."""
    chain = EffectChain(
        nodes=(EffectNode("A", "activity", "a"), EffectNode("X", "output", "x"), EffectNode("Y", "output", "y"),
               EffectNode("S", "short_term", "s"), EffectNode("L", "long_term", "l")),
        links=(EffectLink("A", "S", "skip"), EffectLink("L", "S", "back"), EffectLink("X", "Y", "same"),
               EffectLink("S", "S", "self"), EffectLink("S", "nowhere", "dangling"), EffectLink("X", "Y", None)),
    )
    fig = plot_effect_chain(chain, lang="en").figure
    arrows = sorted(a.get_gid() for a in fig.axes[0].texts if isinstance(a, Annotation))
    assert arrows == ["link:A->S", "link:L->S", "link:X->Y", "link:X->Y"]
    assert sorted(_texts(fig, "assumption:")) == ["1", "2", "3"]
    assert link_legend(chain)["nr"].tolist() == [1, 2, 3, 4, 5]
    empty = plot_effect_chain(EffectChain((), ())).figure
    assert empty.axes[0].get_title(loc="left") == "Effektlogik" and not _boxes(empty, "effect:")


# ---------------------------------------------------------------------------------------------
# Both
# ---------------------------------------------------------------------------------------------


def test_png_is_deterministic(projects: dict[str, Project]) -> None:
    """Drawing and saving the same diagram twice gives identical PNG bytes."""
    p = projects["nis60"]
    assert _png(plot_goal_tree(p.goal_tree, source="x").figure) == _png(plot_goal_tree(p.goal_tree, source="x").figure)
    assert _png(plot_effect_chain(p.effect_chain, source="x").figure) == _png(plot_effect_chain(p.effect_chain, source="x").figure)


def test_given_ax_is_used_and_pyplot_untouched(projects: dict[str, Project]) -> None:
    """With ax the diagram goes into that axes and that axes is returned; no pyplot figure is ever created."""
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = Figure(figsize=(12, 10))
    ax1, ax2 = fig.subplots(2, 1)
    tree_ax = plot_goal_tree(projects["sam"].goal_tree, ax=ax1, source="S1")
    chain_ax = plot_effect_chain(projects["sam"].effect_chain, ax=ax2)
    assert tree_ax is ax1 and chain_ax is ax2
    assert tree_ax.figure is fig
    assert chain_ax.figure is fig
    assert len(fig.axes) == 2
    assert len(_gids(ax1.patches, "goal:")) == 11 and len(_gids(ax2.patches, "effect:")) == 7
    assert [t.get_text() for t in ax1.texts if t.get_gid() == "source"] == ["Källa: S1"]
    plot_goal_tree(projects["sam"].goal_tree)
    plot_effect_chain(projects["sam"].effect_chain)
    assert plt.get_fignums() == before


def test_unknown_language_is_an_input_error(projects: dict[str, Project]) -> None:
    """lang other than 'sv'/'en' raises InputError naming the field."""
    with pytest.raises(InputError, match="'lang'"):
        plot_goal_tree(projects["nis60"].goal_tree, lang="de")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'lang'"):
        plot_effect_chain(projects["nis60"].effect_chain, lang="fi")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'lang'"):
        link_legend(projects["nis60"].effect_chain, lang="no")  # type: ignore[arg-type]
