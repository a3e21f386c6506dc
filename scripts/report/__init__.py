"""Report generation from the marts: the nine tables, the 情况说明 and charts (see scripts/render_report.py)."""
