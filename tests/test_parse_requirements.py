from __future__ import annotations

import os

from buildwise.model import Span
from buildwise.parse.requirement import parse_requirement
from buildwise.parse.requirements import parse_requirements


def test_lines_options_and_spans() -> None:
    text = (
        "# comment\n"
        "-r base.txt\n"
        "--constraint=constraints.txt\n"
        "--only-binary=:all:\n"
        "--no-binary lxml,psycopg2\n"
        "--index-url https://example.invalid/simple\n"
        "numpy==1.26.4 \\\n"
        "    --hash=sha256:aaaa \\\n"
        "    --hash=sha256:bbbb\n"
        "psycopg2>=2.9 ; python_version >= '3.9'  # db\n"
        "-e git+https://example.invalid/x.git#egg=xpkg\n"
        "./vendor/pkg\n"
        "https://example.invalid/wheels/foo-1.0-py3-none-any.whl\n"
        "Django[argon2]~=4.2\n"
    )
    r = parse_requirements(text)
    assert [(i.kind, i.target) for i in r.includes] == [("-r", "base.txt"), ("-c", "constraints.txt")]
    assert r.includes[0].span == Span.of(1, 3, 1, 11)
    assert r.option_values("--only-binary") == [":all:"]
    assert r.option_values("--no-binary") == ["lxml", "psycopg2"]
    assert r.option_values("--index-url") == ["https://example.invalid/simple"]
    kinds = [(q.kind, q.parsed.key if q.parsed else q.name) for q in r.requirements]
    assert kinds == [
        ("requirement", "numpy"),
        ("requirement", "psycopg2"),
        ("editable", "xpkg"),
        ("path", None),
        ("url", "foo"),
        ("requirement", "django"),
    ]
    numpy = r.requirements[0]
    assert numpy.options == {"--hash": ["sha256:aaaa", "sha256:bbbb"]}
    assert numpy.name_span == Span.of(6, 0, 6, 5)
    assert numpy.specifier_span == Span.of(6, 5, 6, 13)
    assert r.requirements[5].specifier_span == Span.of(13, 14, 13, 19)
    assert not r.problems


def test_continuation_positions_map_back() -> None:
    r = parse_requirements("requests\\\n>=2.0\n")
    req = r.requirements[0]
    assert req.parsed is not None and str(req.parsed.specifier) == ">=2.0"
    assert req.specifier_span == Span.of(1, 0, 1, 5)


def test_problems_have_positions() -> None:
    r = parse_requirements("numpy>=\n--bogus\n-r\nok==1 --nope\n")
    assert [(p.span.start.line, p.span.start.column) for p in r.problems] == [(0, 5), (1, 0), (2, 0), (3, 6)]
    assert r.problems[0].message == "invalid requirement 'numpy>='"
    assert "Expected" in r.problems[0].detail


def test_env_vars_expand_when_set(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REQ_DIR", "deps")
    r = parse_requirements("-r ${REQ_DIR}/base.txt\n-r ${NOT_SET_ANYWHERE_42}/x.txt\n")
    assert r.includes[0].target == "deps/base.txt" and not r.includes[0].unresolved
    assert r.includes[1].unresolved == ["NOT_SET_ANYWHERE_42"]
    assert "NOT_SET_ANYWHERE_42" not in os.environ


def test_hash_in_url_fragment_is_not_a_comment() -> None:
    r = parse_requirements("pkg @ https://example.invalid/p.whl#sha256=abc\n")
    assert r.requirements[0].parsed is not None and r.requirements[0].parsed.valid


def test_requirement_layout_ranges() -> None:
    p = parse_requirement('name[extra] >=1.2, <2 ; python_version < "3.12"')
    assert p.valid and p.key == "name"
    assert p.name_range == (0, 4) and p.specifier_range == (12, 21) and p.marker_range == (24, 47)
    bad = parse_requirement("numpy>=1.0 foo")
    assert not bad.valid and bad.error_range == (5, 12) and bad.error is not None
    assert parse_requirement("numpy") is parse_requirement("numpy")  # cached


def test_garbage_never_raises() -> None:
    for text in ["\\", "-", "--", "-r", "\x00", "[", "a @", "-e", "\\\n\\\n", "#" * 1000]:
        parse_requirements(text)


def test_line_cache_gives_the_same_answers_as_a_fresh_parse() -> None:
    from buildwise.parse import requirements as module

    def shape(r):  # type: ignore[no-untyped-def]
        return (
            [(q.text, q.span, q.options) for q in r.requirements],
            [(i.target, i.span) for i in r.includes],
            [(o.name, o.values) for o in r.options],
            [(p.span, p.message) for p in r.problems],
        )

    base = "# top\nrequests==2.32.3\n-r other.txt\n\nnumpy>=1.26 \\\n  --hash=sha256:aa\nbad req\n--pre\n"
    edits = [
        base,
        base.replace("requests==2.32.3", "requests==2.31.0"),
        base.replace("\n\n", "\nlxml\n"),
        "inserted==1\n" + base,
        base.replace("bad req", "fixed==1"),
    ]
    for text in edits:
        warm = shape(parse_requirements(text))
        module.clear_cache()
        cold = shape(parse_requirements(text))
        assert warm == cold, text
