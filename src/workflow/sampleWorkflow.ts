/**
 * The sample workflow "Create a Sample Workflow" writes for a first run: one file (inline code,
 * no scripts to copy) shaped like a real pipeline: an extract, a clean step, three branches that
 * run side by side (one CPU-bound, one memory-hungry, one I/O) and a report that joins them.
 * It needs only sh, awk, python3 and Node.js, runs in a few seconds, and works under the system
 * temp folder so nothing lands in the user's repository. test/unit/sampleWorkflow.test.ts keeps
 * it valid against the parser and the schema.
 */

/** The sample's file name: `sample-pipeline.workflow.yaml`, then `sample-pipeline-2…`, … */
export function sampleFileName(index: number): string {
  return index <= 1 ? 'sample-pipeline.workflow.yaml' : `sample-pipeline-${index}.workflow.yaml`;
}

/** The text of the sample, named `name` (the file's stem, so two samples stay apart in views). */
export function sampleWorkflowText(name: string): string {
  return `# A sample pipeline written by Workflow Profiler. Run it, profile it, then change a node and
# profile again to see what moved. Every node runs as its own process tree, so the CPU, memory
# and I/O each one shows are its own, even while branches overlap.
#
# Work files go to a folder of this run under the system temp folder; report deletes them.
name: ${name}
runtime: parallel
# Three branches are ready after clean; with two slots, archive waits for one to free up and
# the timeline shows that wait apart from its run time.
maxParallel: 2

nodes:
  extract:
    type: shell
    run: |
      dir="\${TMPDIR:-/tmp}/workflow-profiler-sample/$WORKFLOW_RUN_ID"
      mkdir -p "$dir"
      # 60 000 order lines: id, region, amount in cents (a fixed seed: every run sees the same data)
      awk 'BEGIN { srand(7); for (i = 1; i <= 60000; i++)
        printf "%d,%s,%d\\n", i, substr("NESW", 1 + int(rand() * 4), 1), int(rand() * 100000) }' \\
        > "$dir/orders.csv"
      printf '{"dir": "%s", "_metrics": {"rows": 60000}}\\n' "$dir" > "$WORKFLOW_OUTPUT"
    timeout: 30s
    tags: [extract]

  clean:
    type: python
    needs: extract
    code: |
      import json, os
      d = json.load(open(os.environ["WORKFLOW_INPUTS"]))["extract"]["dir"]
      kept = dropped = 0
      with open(f"{d}/orders.csv") as src, open(f"{d}/clean.csv", "w") as dst:
          for line in src:
              if int(line.rsplit(",", 1)[1]) < 500:  # test orders under 5.00
                  dropped += 1
                  continue
              dst.write(line)
              kept += 1
      out = {"dir": d, "rows": kept, "_metrics": {"kept": kept, "dropped": dropped}}
      json.dump(out, open(os.environ["WORKFLOW_OUTPUT"], "w"))
    timeout: 1m
    tags: [transform]

  totals:
    # The CPU-bound branch: per-region sums and percentiles.
    type: python
    needs: clean
    code: |
      import json, os
      d = json.load(open(os.environ["WORKFLOW_INPUTS"]))["clean"]["dir"]
      by_region = {}
      for line in open(f"{d}/clean.csv"):
          _, region, amount = line.rstrip().split(",")
          by_region.setdefault(region, []).append(int(amount))
      stats = {}
      for _ in range(15):  # a heavier model would go here; repeat to give the CPU some work
          for region, amounts in by_region.items():
              s = sorted(amounts)
              stats[region] = {"sum": sum(s), "p50": s[len(s) // 2], "p95": s[len(s) * 95 // 100]}
      json.dump({"regions": stats, "_metrics": {"regions": len(stats)}},
                open(os.environ["WORKFLOW_OUTPUT"], "w"))
    timeout: 1m
    tags: [transform, cpu]

  index:
    # The memory-hungry branch: every order in a map, as a lookup service would hold them.
    type: node
    needs: clean
    code: |
      const fs = require('node:fs');
      const { dir } = JSON.parse(fs.readFileSync(process.env.WORKFLOW_INPUTS, 'utf8')).clean;
      const byId = new Map();
      for (const line of fs.readFileSync(dir + '/clean.csv', 'utf8').split('\\n')) {
        if (!line) continue;
        const [id, region, amount] = line.split(',');
        byId.set(id, { id, region, amount: Number(amount), tags: new Array(16).fill(region) });
      }
      fs.writeFileSync(process.env.WORKFLOW_OUTPUT, JSON.stringify({
        dir,
        entries: byId.size,
        _metrics: { entries: byId.size, heapMiB: Math.round(process.memoryUsage().heapUsed / 1048576) },
      }));
    timeout: 1m
    tags: [transform, memory]

  archive:
    # The I/O branch: compress the cleaned file.
    type: shell
    needs: clean
    run: |
      dir="\${TMPDIR:-/tmp}/workflow-profiler-sample/$WORKFLOW_RUN_ID"
      gzip -6 -c "$dir/clean.csv" > "$dir/clean.csv.gz"
      printf '{"_metrics": {"gzipBytes": %s}}\\n' "$(wc -c < "$dir/clean.csv.gz")" > "$WORKFLOW_OUTPUT"
    timeout: 30s
    tags: [load]

  report:
    type: node
    needs: [totals, index, archive]
    code: |
      const fs = require('node:fs');
      const inputs = JSON.parse(fs.readFileSync(process.env.WORKFLOW_INPUTS, 'utf8'));
      for (const [region, s] of Object.entries(inputs.totals.regions))
        console.log(region + ': ' + (s.sum / 100).toFixed(2) + ' total, median ' + (s.p50 / 100).toFixed(2));
      console.log(inputs.index.entries + ' orders indexed');
      fs.rmSync(inputs.index.dir, { recursive: true, force: true });
    timeout: 30s
    tags: [load]
`;
}
