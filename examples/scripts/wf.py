"""The node side of Workflow Profiler's data passing, for the example's Python scripts.

WORKFLOW_INPUTS names a JSON file holding {upstream id: its output}; a node writes one JSON
object to the file named by WORKFLOW_OUTPUT, and its `_metrics` key (numbers) becomes the
node's custom metrics in the run record.
"""
import json
import os


def read_inputs():
    path = os.environ.get("WORKFLOW_INPUTS")
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_output(output):
    path = os.environ.get("WORKFLOW_OUTPUT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(output, f)


def work_dir(inputs):
    """The run's work folder, created by `prepare` and passed along by every step."""
    for upstream in inputs.values():
        if isinstance(upstream, dict) and upstream.get("workDir"):
            return upstream["workDir"]
    raise SystemExit("no upstream output names a workDir; does this node need `prepare` or `generate`?")
