"""The run's table (Markdown) and chart (SVG): requests a second, share of the bare-Flask ceiling
measured in the same run, p50/p99 latency, errors, and whether each target is met."""

from html import escape

TARGETS = {"anonymous": 0.40, "signed in": 0.25, "booking POST": 0.20}
MIX_RATE, MIX_P99 = 1000.0, 100.0


def verdict(row: dict, ceiling: float) -> str:
    if row["kind"] == "mix":
        ok = row["result"].rate >= MIX_RATE and row["result"].p99 < MIX_P99 and row["result"].errors == 0
        return "yes" if ok else "no"
    share = row["result"].rate / ceiling
    return "yes" if share >= TARGETS[row["kind"]] and row["result"].errors == 0 else "no"


def target_text(kind: str) -> str:
    if kind == "mix":
        return f"≥ {MIX_RATE:.0f}/s, p99 < {MIX_P99:.0f} ms"
    return f"≥ {TARGETS[kind]:.0%}"


def table(rows: list[dict], ceiling: dict, facts: dict) -> str:
    mean = ceiling["mean"]
    lines = [
        f"# Linli benchmark, {facts['when']}",
        "",
        f"- {facts['data']}",
        f"- database: {facts['database']}; gunicorn: {facts['workers']} sync workers; "
        f"wrk: {facts['connections']} connections, {facts['seconds']} s a page after a {facts['warmup']} s warm-up",
        f"- machine: {facts['machine']}",
        f"- app: {facts['app']}",
        f"- bare-Flask ceiling in this run: {ceiling['before']:.0f} req/s before the pages, "
        f"{ceiling['after']:.0f} after; shares are of the mean, {mean:.0f}",
        "",
        "| page | who | req/s | share of ceiling | p50 ms | p99 ms | errors | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        r = row["result"]
        lines.append(
            f"| {row['name']} | {row['who']} | {r.rate:.0f} | {r.rate / mean:.0%} | {r.p50:.1f} | {r.p99:.1f} | "
            f"{r.errors} | {target_text(row['kind'])} | {verdict(row, mean)} |"
        )
    lines += ["", *facts.get("notes", [])]
    return "\n".join(lines) + "\n"


def chart(rows: list[dict], ceiling: float, title: str) -> str:
    """Horizontal bars: each page's share of the ceiling, with its target as a tick."""
    bar_h, gap, left, width = 22, 10, 330, 420
    height = 70 + len(rows) * (bar_h + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" '
        f'viewBox="0 0 {left + width + 90} {height}" role="img" aria-labelledby="t d" '
        'font-family="Noto Sans CJK SC, sans-serif" font-size="14">',
        f'<title id="t">{escape(title)}</title>',
        '<desc id="d">Each bar is a page\'s requests a second as a share of a bare Flask app under the same '
        "gunicorn in the same run; the black tick is the page's target. The same figures are in the table "
        "beside this chart.</desc>",
        f'<text x="10" y="24" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    for step in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + step * width
        parts.append(f'<line x1="{x}" y1="40" x2="{x}" y2="{height - 20}" stroke="#6B6B6B" stroke-dasharray="2 3"/>')
        parts.append(f'<text x="{x}" y="{height - 5}" text-anchor="middle">{step:.0%}</text>')
    for index, row in enumerate(rows):
        y = 48 + index * (bar_h + gap)
        share = min(row["result"].rate / ceiling, 1.0)
        met = verdict(row, ceiling) == "yes"
        colour = "#005A30" if met else "#A4161A"
        label = f"{row['name']} ({row['who']})"
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{share * width:.1f}" height="{bar_h}" fill="{colour}"/>')
        figure = f"{row['result'].rate:.0f}/s · {row['result'].rate / ceiling:.0%}" + ("" if met else " ✗")
        parts.append(f'<text x="{left + share * width + 6:.1f}" y="{y + 16}">{escape(figure)}</text>')
        if row["kind"] in TARGETS:
            x = left + TARGETS[row["kind"]] * width
            parts.append(f'<line x1="{x}" y1="{y - 3}" x2="{x}" y2="{y + bar_h + 3}" stroke="#111" stroke-width="3"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
