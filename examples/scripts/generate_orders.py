"""Extract: writes a day of order lines as CSV (a few MB), deterministic for a given SEED.

Every BAD_ROW_EVERY-th line is deliberately malformed, as real feeds are, so the aggregate
step has something to reject and the quality gate something to judge.
"""
import csv
import itertools
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # importing wf.py must not leave __pycache__ in the repository
from wf import read_inputs, work_dir, write_output

ORDERS = int(os.environ.get("ORDERS", "80000"))
SEED = int(os.environ.get("SEED", "42"))
BAD_ROW_EVERY = int(os.environ.get("BAD_ROW_EVERY", "0"))
REGIONS = ["eu-west", "eu-north", "us-east", "us-west", "ap-south", "ap-east", "sa-east"]
CURRENCIES = {"eu-west": "EUR", "eu-north": "SEK", "us-east": "USD", "us-west": "USD",
              "ap-south": "INR", "ap-east": "JPY", "sa-east": "BRL"}
SKUS = 4000
CUSTOMERS = 6000

started = time.perf_counter()
inputs = read_inputs()
out_dir = work_dir(inputs)
path = os.path.join(out_dir, "orders.csv")
rng = random.Random(SEED)
# A long tail: a few SKUs and customers account for most lines, as in real shops.
# Cumulative weights, so each draw is a bisection rather than a pass over every weight.
sku_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(SKUS)))
customer_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.5 for i in range(CUSTOMERS)))
sku_ids = range(SKUS)
customer_ids = range(CUSTOMERS)
sku_prices = [round(rng.uniform(1.5, 180.0), 2) for _ in range(SKUS)]

lines = 0
bad = 0
order_id = 100000
day0 = 1_700_000_000
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["order_id", "line", "ts", "region", "currency", "customer", "sku", "qty", "unit_price"])
    while lines < ORDERS:
        order_id += 1
        region = rng.choice(REGIONS)
        customer = rng.choices(customer_ids, cum_weights=customer_cum)[0]
        ts = day0 + rng.randrange(86_400)
        basket = rng.choices(sku_ids, cum_weights=sku_cum, k=rng.randint(1, 4))
        # Items come in pairs (a phone and its case: SKU 2k and 2k+1); often both are bought.
        # This is the pattern co_purchase should find.
        if rng.random() < 0.35:
            basket.append(basket[0] ^ 1)
        for n, sku in enumerate(basket, 1):
            lines += 1
            qty = rng.randint(1, 4)
            row = [order_id, n, ts, region, CURRENCIES[region], f"C{customer:05d}", f"SKU{sku:05d}", qty,
                   sku_prices[sku]]
            if BAD_ROW_EVERY and lines % BAD_ROW_EVERY == 0:
                bad += 1
                row[7] = "?"  # an unparseable quantity
            w.writerow(row)

size = os.path.getsize(path)
elapsed = time.perf_counter() - started
print(f"wrote {lines} order lines ({size / 1e6:.1f} MB) to {path} in {elapsed:.2f}s")
write_output({
    "workDir": out_dir,
    "ordersCsv": path,
    "lines": lines,
    "orders": order_id - 100000,
    "_metrics": {"lines": lines, "megabytes": round(size / 1e6, 2), "malformedLines": bad},
})
