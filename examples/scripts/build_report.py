"""Load: the nightly report (Markdown and JSON) from the aggregate, segment and co-purchase
outputs, written to the run's work folder."""
import json
import os
import sys

sys.dont_write_bytecode = True  # importing wf.py must not leave __pycache__ in the repository
from wf import read_inputs, work_dir, write_output

inputs = read_inputs()
out_dir = work_dir(inputs)
agg = inputs["aggregate"]
seg = inputs["score_customers"]
co = inputs["co_purchase"]

lines = [
    "# Nightly ETL report",
    "",
    f"- order lines: {agg['rows']} ({agg['rejected']} rejected, {agg['rejectedRatio']:.2%})",
    f"- revenue: {agg['totalEur']:,} EUR",
    f"- customers: {seg['customers']} in {len(seg['segmentSizes'])} segments; "
    f"best segment {seg['bestSegment']} has {seg['bestSegmentSize']} customers",
    "",
    "## Revenue by region (EUR)",
    "",
    *[f"- {region}: {eur:,}" for region, eur in agg["regions"].items()],
    "",
    "## Top sellers and what is bought with them",
    "",
    *[f"- {sku}: {', '.join(others)}" for sku, others in list(co["boughtWith"].items())[:10]],
    "",
]
report_md = os.path.join(out_dir, "report.md")
with open(report_md, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
report_json = os.path.join(out_dir, "report.json")
with open(report_json, "w", encoding="utf-8") as f:
    json.dump({"aggregate": agg, "segments": seg, "coPurchase": co}, f, indent=2)

print(f"report: {report_md}")
write_output({
    "workDir": out_dir,
    "published": True,
    "report": report_md,
    "_metrics": {"reportBytes": os.path.getsize(report_md)},
})
