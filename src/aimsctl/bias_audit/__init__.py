"""The NYC Local Law 144 bias-audit computation: rates and impact ratios per category.

One row of the CSV is one person assessed by the tool. ``--outcome`` names a column
saying whether the person was selected (``1``/``0``, ``true``/``false``); ``--score``
names a numeric column instead, and a person counts as selected when the score is
strictly above the median score of every row of the file. Each ``--category``
column is one dimension; with two or more, every combination of two or more
columns is an intersectional dimension too (``sex x race``, categories ``Female x
Asian``). Per category: the count, the number selected, the rate (selected /
count), the share of the dimension's classified rows, and the impact ratio (the
rate over the highest rate among the categories of the same dimension that are
not excluded). A category whose share is below ``min_share`` is excluded from
impact ratios but keeps its counts. An empty value (after trimming spaces) is
``unknown`` for that column: the row counts in the dimension's unknowns and in no
category, rate or ratio of any dimension that includes the column.

The file is read as a stream with the ``csv`` module, row by row, keeping only
counts per combination of category values: memory does not grow with the rows.
Scoring needs the median first; it is found exactly in bounded memory (see
:class:`~aimsctl.bias_audit.exact_median.Scores`), with at most one more pass over
the file for most data. The CSV is untrusted: every problem is a :class:`DataError`
naming the line, never a traceback. Nothing here prints.

One module per concern: ``errors`` (:class:`DataError`, and the file changing
between passes), ``result`` (:class:`Audit`, :class:`Dimension`, :class:`Group`),
``csv_input`` (the CSV as a stream of checked rows, its outcomes and scores),
``exact_median`` (the median in bounded memory), ``impact_ratios`` (:func:`audit`)
and ``record`` (:func:`evaluation_record`). This module names what the rest of
aimsctl uses.
"""

from __future__ import annotations

from aimsctl.bias_audit.errors import DataError
from aimsctl.bias_audit.impact_ratios import audit
from aimsctl.bias_audit.record import evaluation_record
from aimsctl.bias_audit.result import Audit, Dimension, Group

__all__ = ["Audit", "DataError", "Dimension", "Group", "audit", "evaluation_record"]
