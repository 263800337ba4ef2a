"""The grammar: the trees queries become, and the errors with their positions and what was expected."""

from __future__ import annotations

import datetime as dt

import pytest

from patscape.search import Field, FieldTable, SearchSyntaxError, compile, parse, sql
from patscape.search.builtin_fields import builtin_fields
from patscape.search.syntax import And, Condition, Near, Not, Or, Pattern, Phrase, TextMatch


def tree(text: str) -> str:
    return parse(text).describe()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("neural", "txt = neural"),
        ("Neural NETWORK", "AND\n  txt = neural\n  txt = network"),
        ('ti="neural network"', 'ti = "neural network"'),
        ("ti=生成对抗网络", 'ti = "生 成 对 抗 网 络"'),
        ("ti=(car or truck)", "OR\n  ti = car\n  ti = truck"),
        # Espacenet: no precedence, left to right
        ("a OR b AND c", "AND\n  OR\n    txt = a\n    txt = b\n  txt = c"),
        ("a AND b OR c", "OR\n  AND\n    txt = a\n    txt = b\n  txt = c"),
        ("a NOT b", "AND\n  txt = a\n  NOT\n    txt = b"),
        ("a OR NOT b", "OR\n  txt = a\n  NOT\n    txt = b"),
        ("NOT a", "NOT\n  txt = a"),
        ("ti=(neural prox/distance<3 network)", "ti = (neural 2D network)"),
        ("ti=(neural prox/distance<=3/ordered network)", "ti = (neural 3W network)"),
        ("neural NEAR/4 network", "txt = (neural 4D network)"),
        ("neural 2w network", "txt = (neural 2W network)"),
        ("3D printer", "AND\n  txt = 3d\n  txt = printer"),
        ("(car OR truck) NEAR/3 engine", "txt = ((car OR truck) 3D engine)"),
        (
            "title:gan AND applicant:ibm AND cpc:G06N",
            "AND\n  ti = gan\n  pa = ibm\n  cpc = G06N* (and below)",
        ),
        ("abstract:x claims:y", "AND\n  ab = x\n  cl = y"),
        ('ti all "a b"', "AND\n  ti = a\n  ti = b"),
        ('ti any "a b"', "OR\n  ti = a\n  ti = b"),
        ("pn=US 11532378 B2", "pn = US-11532378-B2"),
        ("pn=US-11532378-B2 OR pn=US11532378B2", "OR\n  pn = US-11532378-B2\n  pn = US-11532378-B2"),
        ('pn="US 2023/0377099 A1"', "pn = US-2023377099-A1"),
        ("pd>=2021", "pd >= 2021 (from 2021-01-01)"),
        ("pd<2023-07-01", "pd < 2023-07-01"),
        ('pd within "2020 2022"', "pd within 2020-01-01..2022-12-31"),
        ("prd=2019", "prd = 2019-01-01..2019-12-31"),
        ("cpc=G06N3/0475", "cpc = G06N3/0475"),
        ("cpc=G06N3/04*", "cpc = G06N3/04* (and below)"),
        ("cpc=G06N3", "cpc = G06N3/* (and below)"),
        ("genai=YES AND model=gan AND mode=image AND app=medical", None),
    ],
)
def test_trees(text: str, expected: str | None) -> None:
    if expected is None:
        assert tree(text) == (
            "AND\n  genai = yes\n  model = GAN\n  mode = image/video\n  app = life-medical-sciences"
        )
    else:
        assert tree(text) == expected


def test_truncation_and_tokens() -> None:
    leaf = parse("ti=Colo?r").root
    assert isinstance(leaf, TextMatch)
    assert leaf.span == Phrase((Pattern("colo?r"),), "Colo?r")
    assert Pattern("colo?r").regex == "^colo.?r$" and Pattern("colo?r").prefix == "colo"
    assert Pattern("neur*").prefix_only and not Pattern("ne#r*").prefix_only
    accented = parse("ti=Café-Crème").root
    assert accented.span.tokens == ("cafe", "creme")


def test_structures() -> None:
    q = parse("ti=(a NEAR/2 (b OR c)) AND NOT pd>2020")
    assert isinstance(q.root, And)
    near, negated = q.root.items
    assert isinstance(near.span, Near) and near.span.distance == 2 and not near.span.ordered
    assert isinstance(negated, Not) and isinstance(negated.item, Condition)
    assert negated.item.value.last == dt.date(2020, 12, 31)
    assert isinstance(parse("a OR b OR c").root, Or) and len(parse("a OR b OR c").root.items) == 3


@pytest.mark.parametrize(
    ("text", "message", "line", "column", "expected"),
    [
        ("ti=(neural AND", "missing ')'", 1, 14, "')'"),
        ("ti=(neural", "missing ')'", 1, 10, "')'"),
        ("", "empty query", 1, 1, "a word"),
        ("neural AND", "missing a term after AND", 1, 10, "a word"),
        ("neural)", "unexpected ')' with no '(' to close", 1, 7, None),
        ("zz=neural", "unknown field 'zz'", 1, 1, "ti"),
        ("pd=last-week", "pd: cannot read 'last-week'", 1, 4, "a date: 2021, 2021-07 or 2021-07-01"),
        ("pd all 2021", "pd takes no 'all'", 1, 4, "within"),
        ("genai=maybe", "genai: cannot read 'maybe'", 1, 7, "one of yes, no"),
        ("ti=ne*", "truncation 'ne*' needs at least 3 characters", 1, 4, None),
        ('ti="neural', "missing closing '\"'", 1, 10, None),
        ("neural\nAND (network", "missing ')'", 2, 12, None),
        ("neural\x00", "unexpected character U+0000", 1, 7, None),
        ("ti=neural NEAR/3 ab=network", "proximity needs both sides in one field", 1, 11, None),
        ("a NEAR/3 (b AND c)", "proximity joins words, phrases or alternatives", 1, 3, None),
        ("a NEAR/500 b", "a proximity distance over 100 words", 1, 3, None),
        ("ti=---", "nothing to search for in '---'", 1, 4, "letters or digits"),
        ("cpc=12345", "cpc: cannot read '12345'", 1, 5, None),
        ("()", "empty parentheses", 1, 2, None),
        ("= neural", "unexpected '='", 1, 1, None),
    ],
)
def test_errors(text: str, message: str, line: int, column: int, expected: str | None) -> None:
    with pytest.raises(SearchSyntaxError) as info:
        parse(text)
    err = info.value
    assert err.message.startswith(message), err.message
    assert (err.line, err.column) == (line, column), str(err)
    if expected:
        assert any(expected in e for e in err.expected), err.expected
    assert f"line {line}, column {column}" in str(err)


def test_the_issue_example_reads_as_asked() -> None:
    with pytest.raises(SearchSyntaxError) as info:
        parse("ti=(neural AND")
    assert str(info.value).startswith("missing ')' at line 1, column 14")


def test_compiled_sql_holds_no_value() -> None:
    hostile = "'; DROP TABLE publications; --"
    for text in (f'ti="{hostile}"', f'pa="{hostile}"', f'fam="{hostile}"', 'pd within "2020 2021"'):
        compiled = compile(text)
        assert "DROP" not in compiled.sql and "2020" not in compiled.sql
        assert compiled.sql.count("?") == len(compiled.params)
    assert sorted(compile('ti="drop table"').params) == ["drop", "table"]


def test_compile_restricts_and_collapses() -> None:
    within = compile("ti=neural", within=["US-1-A", "US-2-A"])
    assert ["US-1-A", "US-2-A"] in [list(p) if isinstance(p, list) else p for p in within.params]
    families = compile("ti=neural", "postgresql", families=True)
    assert families.sql.startswith("SELECT DISTINCT coalesce(fm.family_id")
    assert "= ANY(" not in families.sql and families.dialect == "postgresql"


def test_a_field_registered_elsewhere() -> None:
    rating = Field(
        "rating",
        "number",
        lambda cond, ctx: ctx.key_in(
            ctx.sql("SELECT pub_key FROM ratings WHERE {}", ctx.compare("rating", cond))
        ),
        aliases=("rt",),
    )
    fields = FieldTable(builtin_fields()).extended(rating)
    q = parse("rt>=2 AND ti=neural", fields)
    compiled = compile(q)
    assert "FROM ratings WHERE (rating IS NOT NULL AND rating >= ?)" in compiled.sql
    with pytest.raises(SearchSyntaxError, match="unknown field 'rating'"):
        parse("rating>=2")  # the default table is left as it was
    with pytest.raises(ValueError, match="already taken"):
        fields.register(Field("ti2", "text", lambda c, x: sql("TRUE"), aliases=("title",)))
