"""The plots layer: every figure of the reports, drawn with matplotlib (never pyplot).

Each plot function takes ``ax=None`` and returns the axes it drew on, as pyfixest's do: without
``ax`` it makes a figure of its own size (``ax.figure``), with ``ax`` it draws into that axes.
Figures are black-and-white safe (greys and hatching), carry a title, axis labels with units and
a source line, and take their labels from the text catalogue in the report's language.

* :mod:`~evaluation.plots.charts` - attainment, gender split, firms before/after, indicator progress,
  survey agreement, and :func:`~evaluation.plots.charts.add_source`;
* :mod:`~evaluation.plots.diagrams` - the goal tree and the effect chain;
* :mod:`~evaluation.plots.economics` - budget against outcome, financing, funnel;
* :mod:`~evaluation.plots.process` - activities per period and per activity;
* :mod:`~evaluation.plots.portfolio` - the portfolio report's figures;
* :mod:`~evaluation.plots.firms` - the event study.
"""
