"""Transform (CPU-heavy): RFM features per customer, then k-means into segments, in plain
Python, so this node is the one that keeps a core busy for about a second.

Usage: score_customers.py [--clusters K] [--iterations N]
"""
import argparse
import csv
import math
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # importing wf.py must not leave __pycache__ in the repository
from wf import read_inputs, work_dir, write_output

parser = argparse.ArgumentParser()
parser.add_argument("--clusters", type=int, default=6)
parser.add_argument("--iterations", type=int, default=20)
args = parser.parse_args()

started = time.perf_counter()
inputs = read_inputs()
out_dir = work_dir(inputs)

# Recency, frequency and monetary value per customer (local currency: good enough to segment).
last_seen, orders, spend = {}, {}, {}
with open(inputs["generate"]["ordersCsv"], newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        try:
            value = int(row["qty"]) * float(row["unit_price"])
        except ValueError:
            continue  # malformed line; aggregate counts those
        c = row["customer"]
        last_seen[c] = max(last_seen.get(c, 0), int(row["ts"]))
        orders.setdefault(c, set()).add(row["order_id"])
        spend[c] = spend.get(c, 0.0) + value

customers = sorted(spend)
end_of_day = max(last_seen.values())
points = [
    (math.log1p(end_of_day - last_seen[c]), math.log1p(len(orders[c])), math.log1p(spend[c]))
    for c in customers
]
# Standardise each feature so no single one dominates the distance.
dims = len(points[0])
means = [sum(p[d] for p in points) / len(points) for d in range(dims)]
stds = [math.sqrt(sum((p[d] - means[d]) ** 2 for p in points) / len(points)) or 1.0 for d in range(dims)]
points = [tuple((p[d] - means[d]) / stds[d] for d in range(dims)) for p in points]

rng = random.Random(7)
centroids = rng.sample(points, args.clusters)
assignment = [0] * len(points)
for _ in range(args.iterations):
    for i, p in enumerate(points):
        best, best_d = 0, float("inf")
        for k, c in enumerate(centroids):
            d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2
            if d < best_d:
                best, best_d = k, d
        assignment[i] = best
    sums = [[0.0] * dims for _ in centroids]
    counts = [0] * len(centroids)
    for p, k in zip(points, assignment):
        counts[k] += 1
        for d in range(dims):
            sums[k][d] += p[d]
    centroids = [
        tuple(s / counts[k] for s in sums[k]) if counts[k] else centroids[k] for k in range(len(centroids))
    ]

inertia = sum(
    sum((p[d] - centroids[k][d]) ** 2 for d in range(dims)) for p, k in zip(points, assignment)
)
sizes = [assignment.count(k) for k in range(args.clusters)]
# The segment with the highest spend centroid is "best customers".
best_segment = max(range(args.clusters), key=lambda k: centroids[k][2])
path = os.path.join(out_dir, "customer_segments.csv")
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["customer", "segment"])
    w.writerows(zip(customers, assignment))

elapsed = time.perf_counter() - started
print(f"segmented {len(customers)} customers into {args.clusters} clusters in {elapsed:.2f}s")
write_output({
    "workDir": out_dir,
    "customers": len(customers),
    "segmentSizes": sizes,
    "bestSegment": best_segment,
    "bestSegmentSize": sizes[best_segment],
    "segmentsCsv": path,
    "_metrics": {"customers": len(customers), "iterations": args.iterations, "inertia": round(inertia, 1)},
})
