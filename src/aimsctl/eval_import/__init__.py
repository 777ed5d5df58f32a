"""`aimsctl eval import`: an Evaluation record made from a machine-readable results file.

The results file is what an ML team's pipeline already writes, in one of two shapes
(docs/monitoring.md):

* CSV, UTF-8, a header row starting ``metric,value`` and then, in any order, any of
  ``group``, ``dimension``, ``threshold_min``, ``threshold_max``, ``note`` and
  ``tracked_by`` (record ids separated by spaces); one row per measurement.
* JSON: ``{"model_version", "data", "metrics": [{"name", "value", "dimension",
  "group", "threshold": {"min", "max"}, "note", "tracked_by"}]}``, everything but
  ``metrics`` and each metric's ``name`` and ``value`` optional.

What the file leaves out of a measurement (the same ``name`` and ``group``) is taken
from the most recent earlier evaluation of the system that measured it: the
dimension, the threshold, and, for a value that fails, the records that track the
failure (``tracked_by``). The record is placed where the repository keeps its
Evaluations, checked like every write (:mod:`aimsctl.writing`), and refused when the
repository would gain an error. The file is untrusted: every problem is reported at
once, each at ``file:line`` (a CSV row at its line, a JSON value at the line it
starts on), never a traceback. Nothing here prints.

One module per concern: ``results`` (what a results file holds, and the checks both
formats share), ``csv_results`` and ``json_results`` (the two formats),
``results_file`` (the file read from disk), ``record`` (the record's metrics and
text), ``recorded`` (the same results imported before), ``comparison`` (the rows
compared with the previous evaluation) and ``plan`` (:func:`plan_import`). This
module names what the rest of aimsctl uses.
"""

from __future__ import annotations

from aimsctl.eval_import.comparison import Row
from aimsctl.eval_import.csv_results import parse_csv
from aimsctl.eval_import.json_results import parse_json
from aimsctl.eval_import.plan import Imported, plan_import
from aimsctl.eval_import.results import MAX_METRICS
from aimsctl.eval_import.results_file import MAX_BYTES

__all__ = ["MAX_BYTES", "MAX_METRICS", "Imported", "Row", "parse_csv", "parse_json", "plan_import"]
