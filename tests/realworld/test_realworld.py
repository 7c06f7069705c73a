"""kb-lint on real repositories (the dev split of tests/realworld): the labelled state must hold exactly.

Fails when a TRUE group (a finding a maintainer would act on) disappears, when a FALSE/NOISE group
marked ``gone`` comes back, when a FALSE/NOISE group disappears without being marked ``gone`` (record
the fix in labels.toml), and when a group has no label (label it by hand: TRUE, FALSE or NOISE, with
a reason citing the repository's file). ``scripts/realworld`` prints the same with figures.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pytest

from tests.realworld.harness import LABEL_KINDS, Comparison, Row, compare, load_labels, load_manifest


@pytest.fixture(scope="module")
def dev() -> Comparison:
    return compare("dev")


def _lines(rows: list[Row]) -> str:
    return "\n".join(f"  {r.repo}: {r.key!r} [{r.label or '?'}] {r.where} {r.why}".rstrip() for r in rows)


def test_no_true_group_is_lost(dev: Comparison) -> None:
    lost = dev.true_lost()
    assert not lost, (
        f"{len(lost)} TRUE group(s) no longer reported (findings a maintainer would act on are gone); "
        f"fix the regression, never drop the label:\n{_lines(lost)}"
    )


def test_no_fixed_group_comes_back(dev: Comparison) -> None:
    back = dev.came_back()
    assert not back, f"{len(back)} FALSE/NOISE group(s) marked gone are reported again:\n{_lines(back)}"


def test_fixed_groups_are_recorded(dev: Comparison) -> None:
    gone = dev.newly_gone()
    assert not gone, (
        f"{len(gone)} FALSE/NOISE group(s) are no longer reported; if the cause is genuinely fixed, add "
        f'gone = "<why>" to each in tests/realworld/labels.toml:\n{_lines(gone)}'
    )


def test_every_group_is_labelled(dev: Comparison) -> None:
    new = dev.unlabelled()
    assert not new, (
        f"{len(new)} unlabelled group(s): label each by hand in tests/realworld/labels.toml "
        f"(TRUE, FALSE or NOISE, with a reason citing the repository's file):\n{_lines(new)}"
    )


def test_labels_are_well_formed() -> None:
    repos = {r.name for r in load_manifest()}
    problems = []
    for repo, groups in load_labels().items():
        if repo not in repos:
            problems.append(f"{repo}: not in manifest.toml")
        for key, entry in groups.items():
            if entry.get("label") not in LABEL_KINDS:
                problems.append(f"{repo}: {key!r}: label {entry.get('label')!r}")
            if not entry.get("why"):
                problems.append(f"{repo}: {key!r}: no reason")
            if entry.get("gone") and entry.get("label") == "TRUE":
                problems.append(f"{repo}: {key!r}: a TRUE group cannot be marked gone")
    assert not problems, "\n".join(problems)


def test_the_split_is_the_fixed_rule() -> None:
    """Within each category, ordered by sha256(owner/name), every third repository is held out."""
    by_category: dict[str, list[str]] = defaultdict(list)
    repos = load_manifest()
    for repo in repos:
        by_category[repo.category].append(repo.name)
    expected = {}
    for names in by_category.values():
        for i, name in enumerate(sorted(names, key=lambda n: hashlib.sha256(n.encode()).hexdigest())):
            expected[name] = "held" if i % 3 == 2 else "dev"
    assert {r.name: r.split for r in repos} == expected
    assert all(r.archive.is_file() for r in repos)
