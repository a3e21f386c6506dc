-- 公开05表: see its YAML for the printed columns; rows and cells come from the report templates.
{{ render_report_table('05') }}
