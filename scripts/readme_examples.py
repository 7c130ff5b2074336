"""Regenerate the README's example queries with their real output from a warehouse: readme_examples.py DB."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EXAMPLES = [
    ("What is in the warehouse?",
     "SELECT file_name, lang, page_count, doc_number, issued_date, received_date, status "
     "FROM documents ORDER BY file_name"),
    ("Targets of the State Council's energy-saving work plan, with baseline and deadline",
     "SELECT actor, kind, subject, value, unit, qualifier, baseline_year AS base, target_year AS year, "
     "page_no AS p, quote FROM targets t JOIN documents d USING (doc_id) "
     "WHERE d.file_name LIKE 'zh_14th_fyp_energy_saving%' ORDER BY page_no, char_start LIMIT 8"),
    ("Who announced what, when (dated events in the seed paper)",
     "SELECT iso, actor, event FROM policy_dates p JOIN documents d USING (doc_id) "
     "WHERE d.file_name LIKE 'seed%' AND role = 'event' ORDER BY date_start LIMIT 8"),
    ("Which technologies does each country back (Table 2 of the seed paper)?",
     "SELECT actor, count(*) AS n, string_agg(name_surface, '、' ORDER BY char_start) AS items "
     "FROM technologies WHERE origin = 'table' AND actor IS NOT NULL GROUP BY actor ORDER BY n DESC"),
    ("Audit one fact down to its boxes on the page",
     "SELECT t.quote, b.page_no, round(b.x0, 1) AS x0, round(b.top, 1) AS top, round(b.x1, 1) AS x1, "
     "round(b.bottom, 1) AS bottom, t.rule_id FROM targets t JOIN fact_boxes b USING (fact_id) "
     "WHERE t.kind = 'net_zero' OR t.kind = 'climate_neutrality' ORDER BY t.page_no, b.top LIMIT 5"),
]


def run(db: str, sql: str) -> str:
    cmd = [str(ROOT / ".venv" / "bin" / "policy-extract"), "query", sql, "--db", db]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    if proc.returncode:
        sys.exit(f"{sql}: {proc.stderr}")
    return proc.stdout.rstrip()


def main() -> None:
    db = sys.argv[1] if len(sys.argv) > 1 else "warehouse/policy.duckdb"
    parts = ["<!-- EXAMPLES -->", "## Example queries (real output of `make run`)", ""]
    for title, sql in EXAMPLES:
        parts += [f"**{title}**", "", "```bash", f'policy-extract query "{sql}"', "```", "", "```",
                  run(db, sql), "```", ""]
    parts.append("<!-- /EXAMPLES -->")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = "\n".join(parts)
    text = re.sub(r"<!-- EXAMPLES -->.*?(<!-- /EXAMPLES -->|$)", lambda _: block, text, count=1, flags=re.S) \
        if "<!-- /EXAMPLES -->" in text else text.replace("<!-- EXAMPLES -->", block)
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
