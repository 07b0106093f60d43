#!/bin/sh
# Prints this run's work folder: $ETL_WORK_DIR/<run id>, by default <tmp>/nightly-etl/<run id>.
# One definition for the shell nodes; the other nodes get the path from their inputs.
base="${ETL_WORK_DIR:-${TMPDIR:-/tmp}/nightly-etl}"
printf '%s/%s\n' "${base%/}" "${WORKFLOW_RUN_ID:?WORKFLOW_RUN_ID is set by the runner}"
