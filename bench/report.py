"""Collects the figures of one run and prints them as two Markdown tables.

Rates and latencies: workload, server, ops/s, items/s, p50, p99, errors, and
"shoal ÷ this": how many times better in-memory Shoal did than this server in
the same run (rate over rate; for latency rows, this server's p50 over Shoal's).
Footprint: start-up time and RSS figures, ratio = this server's figure over Shoal's.
"""
from dataclasses import dataclass, field


@dataclass
class Row:
    workload: str
    server: str
    ops: float
    p50_ms: float
    p99_ms: float
    errors: int
    items_s: float = None       # set when one call moves many items
    latency_row: bool = False   # compared by p50 (lower is better), not by rate
    note: str = ""


@dataclass
class Figure:
    name: str
    server: str
    value: float
    unit: str
    note: str = ""


@dataclass
class Report:
    reference: str = "shoal"
    rows: list = field(default_factory=list)
    figures: list = field(default_factory=list)

    def add_row(self, row):
        self.rows.append(row)
        items = f"  {row.items_s:>10,.0f} items/s" if row.items_s is not None else ""
        print(f"  {row.workload:<40} {row.server:<22} {row.ops:>10,.0f} ops/s{items}  p50 {row.p50_ms:.3f} ms  "
              f"p99 {row.p99_ms:.3f} ms  errors {row.errors}{'  ' + row.note if row.note else ''}", flush=True)

    def add_figure(self, figure):
        self.figures.append(figure)
        print(f"  {figure.name:<40} {figure.server:<22} {figure.value:>10,.1f} {figure.unit}"
              f"{'  ' + figure.note if figure.note else ''}", flush=True)

    def _ratio(self, row):
        ref = next((r for r in self.rows if r.workload == row.workload and r.server == self.reference), None)
        if ref is None or ref is row:
            return ""
        if row.latency_row:
            return f"{row.p50_ms / ref.p50_ms:.2f}x" if ref.p50_ms > 0 else ""
        mine = row.items_s if row.items_s is not None else row.ops
        theirs = ref.items_s if ref.items_s is not None else ref.ops
        return f"{theirs / mine:.2f}x" if mine > 0 else "∞"

    def _figure_ratio(self, figure):
        ref = next((f for f in self.figures if f.name == figure.name and f.server == self.reference), None)
        if ref is None or ref is figure or ref.value <= 0:
            return ""
        return f"{figure.value / ref.value:.2f}x"

    def markdown(self):
        out = ["| workload | server | ops/s | items/s | p50 ms | p99 ms | errors | shoal ÷ this | note |",
               "|---|---|---:|---:|---:|---:|---:|---:|---|"]
        for r in self.rows:
            items = f"{r.items_s:,.0f}" if r.items_s is not None else ""
            out.append(f"| {r.workload} | {r.server} | {r.ops:,.0f} | {items} | {r.p50_ms:.3f} | {r.p99_ms:.3f} | "
                       f"{r.errors} | {self._ratio(r)} | {r.note} |")
        out += ["", "| figure | server | value | this ÷ shoal | note |", "|---|---|---:|---:|---|"]
        for f in self.figures:
            out.append(f"| {f.name} | {f.server} | {f.value:,.1f} {f.unit} | {self._figure_ratio(f)} | {f.note} |")
        return "\n".join(out)
