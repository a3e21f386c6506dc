"""The audit of a published report, for an auditor with no SQL: one HTML page and one xlsx per report (its
findings, each linked to its table in the rendered report and to its page in the source PDF, and the
checklist of every rule with its outcome), and a batch summary over many reports (findings by rule and by
report). Like every renderer it receives loaded data (report/data.py is the one place that queries)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .data import Audit, AuditSummary
from .html import FONT_FAMILY, with_embedded_font

OUTCOME_ZH = {"pass": "通过", "fail": "不通过", "insufficient_data": "无法完全核对", "not_applicable": "不适用",
              "rounding": "尾数误差"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"open": "待处理", "accepted": "已确认"}
FINDING_COLUMNS = [
    ("severity", "严重程度", 8), ("status", "状态", 8), ("rule_id", "规则", 7), ("outcome", "结果", 12),
    ("table_no", "表", 10), ("page", "页", 5), ("row_label", "行", 24), ("column_header", "栏", 16),
    ("printed_amount", "印刷数", 12), ("expected_amount", "应为", 12), ("difference", "差额", 10),
    ("printed_value", "印刷(文字)", 12), ("expected_value", "应为(文字)", 12), ("likely_cause", "可能原因", 16),
    ("message_zh", "说明", 80), ("accepted_reason", "确认理由", 30), ("finding_key", "问题键", 30)]
CHECKLIST_COLUMNS = [
    ("rule_id", "规则", 7), ("message_zh", "规则内容", 44), ("outcome", "结果", 12), ("checks", "核对项", 8),
    ("passed", "通过", 7), ("rounding", "尾数误差", 9), ("failed", "不通过", 8), ("insufficient", "无法核对", 9),
    ("open_findings", "待处理", 8), ("accepted_findings", "已确认", 8), ("note_zh", "备注", 40)]


def _label(column: str, value: Any) -> Any:
    return {"outcome": OUTCOME_ZH, "severity": SEVERITY_ZH, "status": STATUS_ZH}.get(column, {}).get(value, value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["zh"] = lambda value, column: _label(column, value)
    return env


def finding_links(audit: Audit, finding: dict[str, Any]) -> dict[str, str]:
    """Where an auditor finds a finding: its table in the rendered report (<unit>_<year>.html, from
    render_report.py --format html, beside this page) and its page in the source document (beside it too)."""
    links = {}
    if finding.get("table_code"):
        links["table"] = f"{audit.unit_code}_{audit.fiscal_year}.html#table-{finding['table_code']}"
    if finding.get("page") and audit.source_document.lower().endswith(".pdf"):
        links["page"] = f"{audit.source_document}#page={finding['page']}"
    return links


def render_audit_html(audit: Audit, out_path: Path) -> Path:
    page = _environment().get_template("audit.html.j2").render(
        audit=audit, links=[finding_links(audit, f) for f in audit.findings], font_family=FONT_FAMILY)
    out_path.write_text(with_embedded_font(page), encoding="utf-8")
    return out_path


def render_summary_html(summary: AuditSummary, out_path: Path) -> Path:
    page = _environment().get_template("audit_summary.html.j2").render(summary=summary, font_family=FONT_FAMILY)
    out_path.write_text(with_embedded_font(page), encoding="utf-8")
    return out_path


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, str, int]], rows: list[dict[str, Any]],
           first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    for j, (_, header, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, row in enumerate(rows, start=2):
        for j, (name, _, _) in enumerate(columns, start=1):
            value = _label(name, row.get(name))
            cell = ws.cell(row=i, column=j, value=value)
            if name in ("printed_amount", "expected_amount", "difference") and value is not None:
                cell.number_format = "#,##0.00"
            if name in ("message_zh", "note_zh", "accepted_reason"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_audit_xlsx(audit: Audit, out_path: Path) -> Path:
    wb = Workbook()
    _sheet(wb, "问题清单", FINDING_COLUMNS, audit.findings, first=True)
    _sheet(wb, "核对清单", CHECKLIST_COLUMNS, audit.checklist)
    wb.save(out_path)
    return out_path


def write_summary_xlsx(summary: AuditSummary, out_path: Path) -> Path:
    wb = Workbook()
    _sheet(wb, "按规则", [("rule_id", "规则", 7), ("message_zh", "规则内容", 44), ("reports", "报告数", 8),
                        ("failed", "不通过", 8), ("insufficient", "无法核对", 9), ("not_applicable", "不适用", 8),
                        ("open_findings", "待处理", 8), ("accepted_findings", "已确认", 8),
                        ("rounding", "尾数误差", 9)], summary.by_rule, first=True)
    _sheet(wb, "按报告", [("unit_code", "单位编码", 14), ("unit_name", "单位", 30), ("fiscal_year", "年度", 7),
                        ("report_kind", "类型", 9), ("rules_failed", "不通过规则", 10),
                        ("rules_insufficient", "无法核对规则", 12), ("open_findings", "待处理", 8),
                        ("accepted_findings", "已确认", 8), ("info_findings", "提示", 8)], summary.by_report)
    wb.save(out_path)
    return out_path
