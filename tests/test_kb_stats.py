"""kb-lint kb stats: knowledge-base counts and the coverage of a ranked list of projects."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def test_plain_list_coverage_in_rank_order(tmp_path: Path) -> None:
    ranked = tmp_path / "top.txt"
    ranked.write_text("requests\nnumpy\nsurely-not-a-native-package-xyz\nPsycopg2\n", encoding="utf-8")
    proc = run("kb", "stats", "--top", str(ranked), "-n", "3")
    assert proc.returncode == 0, proc.stderr
    assert f"top 3 of {ranked}: 1 have an entry (33.3%), 2 do not" in proc.stdout
    assert "first without an entry: requests, surely-not-a-native-package-xyz" in proc.stdout


def test_tsv_with_a_rank_column_is_sorted_by_rank(tmp_path: Path) -> None:
    ranked = tmp_path / "top.tsv"
    ranked.write_text(
        "name\tversion\trank_among_most_downloaded\nzzz-unknown\t1\t3\nnumpy\t2\t1\nonly-listed\t1\t\n"
        "orjson\t3\t2\n",
        encoding="utf-8",
    )
    proc = run("kb", "stats", "--top", str(ranked), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["top"]["checked"] == 3  # the unranked row is not part of the ranking
    assert data["top"]["with_entry"] == 2
    assert data["top"]["without_entry"] == ["zzz-unknown"]
    assert "torch" in data["wheel_only"] and "cbor2" in data["with_ranges"]
    assert data["packages"] >= 300


def test_a_missing_list_is_a_one_line_usage_error(tmp_path: Path) -> None:
    proc = run("kb", "stats", "--top", str(tmp_path / "missing.txt"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "cannot read" in proc.stderr
    assert "Traceback" not in proc.stderr
