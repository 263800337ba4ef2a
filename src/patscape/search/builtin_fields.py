"""The fields patscape knows: Espacenet's names, with the Lucene-style aliases Lens users type."""

from __future__ import annotations

import re

from patscape.enrich.genai.taxonomy import APPLICATIONS, MODELS, MODES, UNSPECIFIED
from patscape.search.compiler import Context
from patscape.search.fields import Field, FieldTable, register_field
from patscape.search.sqlparts import Sql, sql
from patscape.search.syntax import Condition, TextMatch
from patscape.search.textsql import ABSTRACT, CLAIMS, CPC, DESCRIPTION, INVENTOR, IPC, OWNER, TITLE
from patscape.search.values import CodeMatch, DocNumber, canonical_number, parse_doc_number

# -- texts and names ----------------------------------------------------------------------------


def compile_text(leaf: TextMatch, ctx: Context) -> Sql:
    """Words in the texts the field names (``Field.postings``)."""
    return ctx.text_docs(leaf, leaf.field.postings)


def _text(
    name: str, codes: tuple[int, ...], aliases: tuple[str, ...], description: str, example: str
) -> Field:
    return Field(name, "text", compile_text, aliases, description, example=example, postings=codes)


OWNER_ROLES = "('applicant', 'assignee')"


def _parties(names: Sql, postings: int, roles: str, ctx: Context) -> Sql:
    """Publications with a party of ``roles`` named one of ``names``: from the index's party postings
    (integer document ids) when it is up to date, else from the parties table."""
    if ctx.unindexed is None:
        found = f"SELECT t.doc_id FROM search_postings t WHERE t.field = {postings} AND t.term IN ({{}})"
        return ctx.doc_in(sql(found, names))
    return ctx.key_in(
        sql(f"SELECT pa.pub_key FROM parties pa WHERE pa.role IN {roles} AND pa.name IN ({{}})", names)
    )


def _applicant(leaf: TextMatch, ctx: Context) -> Sql:
    """A raw applicant or assignee name, or any name of the owner group of one (``pa=tencent`` finds
    腾讯科技（深圳）有限公司 once ``patscape enrich`` has grouped it with Tencent America LLC)."""
    names = sql(
        "WITH m AS ({}) SELECT name FROM m UNION SELECT g.raw_name FROM owner_groups g "
        "WHERE g.group_id IN (SELECT o.group_id FROM owner_groups o "
        "WHERE o.raw_name IN (SELECT name FROM m) OR o.group_name IN (SELECT name FROM m))",
        ctx.names(leaf.span),
    )
    return _parties(names, OWNER, OWNER_ROLES, ctx)


def _inventor(leaf: TextMatch, ctx: Context) -> Sql:
    return _parties(ctx.names(leaf.span), INVENTOR, "('inventor')", ctx)


# -- numbers ------------------------------------------------------------------------------------


# The SQL twin of values.canonical_number: letters and digits, upper case, no leading zeros.
def _canonical(column: str) -> str:
    return f"ltrim(upper(regexp_replace({column}, '[^0-9A-Za-z]', '', 'g')), '0')"


def _publication_number(cond: Condition, ctx: Context) -> Sql:
    num: DocNumber = cond.value
    if num.truncated:
        if num.country:
            return sql("p.pub_key LIKE {}", f"{num.country}-{num.number}%")
        return sql("p.number LIKE {}", f"{num.number}%")
    if num.country is None:
        if num.kind:
            return sql("(p.number = {} AND p.kind = {})", num.number, num.kind)
        return sql("p.number = {}", num.number)
    if num.kind:
        return sql("p.pub_key = {}", num.key)
    return sql("(p.pub_key = {} OR p.pub_key LIKE {})", num.key, num.key + "-%")


def _parse_filing_number(text: str) -> DocNumber:
    m = re.fullmatch(r"\s*([A-Za-z]{2})?[\s\-/.]*([0-9A-Za-z][0-9A-Za-z\s/.,\-]*?)(\*)?\s*", text)
    if not m or not any(c.isdigit() for c in m.group(2)):
        raise ValueError("an application number: US16123456, EP19201234, CN201910123456")
    country = m.group(1).upper() if m.group(1) else None
    return DocNumber(country, canonical_number(m.group(2)), None, bool(m.group(3)), text)


def _number_match(country_col: str, number_col: str, num: DocNumber) -> Sql:
    value = (
        sql(f"{_canonical(number_col)} LIKE {{}}", num.number + "%")
        if num.truncated
        else sql(f"{_canonical(number_col)} = {{}}", num.number)
    )
    if num.country:
        return sql(f"{country_col} = {{}} AND {{}}", num.country, value)
    return value


def _application_number(cond: Condition, ctx: Context) -> Sql:
    return sql("({})", _number_match("p.app_country", "p.app_number", cond.value))


def _priority_number(cond: Condition, ctx: Context) -> Sql:
    return ctx.key_in(
        sql(
            "SELECT pr.pub_key FROM priorities pr WHERE {}",
            _number_match("pr.country", "pr.number", cond.value),
        )
    )


def _parse_country(text: str) -> str:
    if not re.fullmatch(r"\s*[A-Za-z]{2}\s*", text):
        raise ValueError("a two-letter office code: US, EP, CN, WO")
    return text.strip().upper()


def _country(cond: Condition, ctx: Context) -> Sql:
    return sql("p.country = {}", cond.value)


def _family(cond: Condition, ctx: Context) -> Sql:
    return sql(
        "(p.family_id = {} OR p.pub_key IN "
        "(SELECT fm.pub_key FROM family_members fm WHERE fm.family_id = {}))",
        cond.value,
        cond.value,
    )


# -- classification codes -------------------------------------------------------------------------


def _codes(scheme: str, postings: int):  # type: ignore[no-untyped-def]
    """Codes from the index's postings (sorted: a prefix reads a few row groups) when it is up to date,
    else from the classes table itself."""
    assert re.fullmatch(r"[A-Z]+", scheme)  # a constant of this module

    def compile_code(cond: Condition, ctx: Context) -> Sql:
        code: CodeMatch = cond.value
        # the prefix holds letters, digits and '/': no LIKE wildcard or escape character can be in it
        if ctx.unindexed is None:
            test = sql("t.term = {}", code.exact) if code.exact else sql("t.term LIKE {}", f"{code.prefix}%")
            return ctx.doc_in(
                sql(f"SELECT t.doc_id FROM search_postings t WHERE t.field = {postings} AND {{}}", test)
            )
        test = sql("c.code = {}", code.exact) if code.exact else sql("c.code LIKE {}", f"{code.prefix}%")
        return ctx.key_in(sql(f"SELECT c.pub_key FROM classes c WHERE c.scheme = '{scheme}' AND {{}}", test))

    return compile_code


# -- dates --------------------------------------------------------------------------------------


def _date(column: str):  # type: ignore[no-untyped-def]
    def compile_date(cond: Condition, ctx: Context) -> Sql:
        return ctx.compare(column, cond)

    return compile_date


# The earliest priority date of a publication; its filing date when it claims no priority.
EARLIEST_PRIORITY = (
    "SELECT q.pub_key, coalesce(min(pr.date), q.app_date) AS day FROM publications q "
    "LEFT JOIN priorities pr ON pr.pub_key = q.pub_key GROUP BY q.pub_key, q.app_date"
)


def _priority_date(cond: Condition, ctx: Context) -> Sql:
    return ctx.key_in(
        sql(f"SELECT x.pub_key FROM ({EARLIEST_PRIORITY}) x WHERE {{}}", ctx.compare("x.day", cond))
    )


# -- generative AI (patscape classify) ------------------------------------------------------------


def _genai(cond: Condition, ctx: Context) -> Sql:
    if cond.value == "yes":
        return ctx.key_in(Sql("SELECT g.pub_key FROM genai_labels g WHERE g.is_genai"))
    return ctx.key_in(
        Sql(
            "SELECT g.pub_key FROM genai_labels g GROUP BY g.pub_key "
            "HAVING NOT bool_or(coalesce(g.is_genai, FALSE))"
        )
    )


def _tag(dimension: str):  # type: ignore[no-untyped-def]
    def compile_tag(cond: Condition, ctx: Context) -> Sql:
        return ctx.key_in(
            sql(
                f"SELECT t.pub_key FROM genai_tags t WHERE t.dimension = '{dimension}' AND t.tag = {{}}",
                cond.value,
            )
        )

    return compile_tag


def _choice(choices: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A taxonomy value, case-insensitive; a word of one value alone is enough when no other has it
    (``mode=image`` is image/video, ``app=medical`` life-medical-sciences)."""

    def parse(text: str) -> str:
        wanted = text.strip().lower()
        exact = [c for c in choices if c.lower() == wanted]
        if exact:
            return exact[0]
        partial = [c for c in choices if wanted in re.split(r"[/\-]", c.lower())]
        if len(partial) == 1:
            return partial[0]
        raise ValueError("one of " + ", ".join(choices))

    return parse


def builtin_fields() -> list[Field]:
    return [
        _text("ti", (TITLE,), ("title",), "title", 'ti="neural network"'),
        _text("ab", (ABSTRACT,), ("abstract",), "abstract", "ab=diffusion"),
        _text("cl", (CLAIMS,), ("claims", "claim"), "claims", "cl=transformer"),
        _text("desc", (DESCRIPTION,), ("description",), "description", "desc=encoder"),
        _text("ta", (TITLE, ABSTRACT), (), "title or abstract", "ta=(car or truck)"),
        _text("txt", (TITLE, ABSTRACT, CLAIMS), ("text",), "title, abstract or claims (a bare term)", "gan"),
        Field(
            "pa",
            "name",
            _applicant,
            ("applicant", "assignee", "ia"),
            "applicant or assignee: the name as written, or any name of its owner group",
            example="pa=tencent",
        ),
        Field("in", "name", _inventor, ("inventor",), "inventor", example='in="li ming"'),
        Field(
            "pn",
            "key",
            _publication_number,
            ("publication", "num"),
            "publication number in any spelling",
            parse=parse_doc_number,
            example="pn=US11532378B2",
        ),
        Field(
            "ap",
            "key",
            _application_number,
            ("application",),
            "application number",
            parse=_parse_filing_number,
            example="ap=US16123456",
        ),
        Field(
            "pr",
            "key",
            _priority_number,
            ("priority",),
            "priority number",
            parse=_parse_filing_number,
            example="pr=US62700000",
        ),
        Field(
            "cpc",
            "code",
            _codes("CPC", CPC),
            (),
            "CPC code (and below: G06N, G06N3, G06N3/04*)",
            example="cpc=G06N3/04*",
        ),
        Field("ipc", "code", _codes("IPC", IPC), (), "IPC code (and below)", example="ipc=G06N"),
        Field(
            "cc",
            "key",
            _country,
            ("country", "office"),
            "publication office",
            parse=_parse_country,
            example="cc=CN",
        ),
        Field(
            "pd",
            "date",
            _date("p.published"),
            ("published", "publication_date"),
            "publication date",
            example="pd>=2021",
        ),
        Field(
            "prd",
            "date",
            _priority_date,
            ("priority_date",),
            "earliest priority date (else the filing date)",
            example="prd=2019",
        ),
        Field(
            "ad",
            "date",
            _date("p.app_date"),
            ("filed", "filing_date"),
            "filing date",
            example='ad within "2019 2020"',
        ),
        Field("fam", "key", _family, ("family",), "family id", example="fam=12345678"),
        Field(
            "genai",
            "enum",
            _genai,
            (),
            "labelled generative AI by patscape classify",
            choices=("yes", "no"),
            example="genai=yes",
        ),
        Field(
            "model",
            "enum",
            _tag("model"),
            (),
            "generative model (taxonomy)",
            choices=(*MODELS, UNSPECIFIED),
            parse=_choice((*MODELS, UNSPECIFIED)),
            example="model=GAN",
        ),
        Field(
            "mode",
            "enum",
            _tag("mode"),
            (),
            "generated data (taxonomy)",
            choices=MODES,
            parse=_choice(MODES),
            example="mode=image",
        ),
        Field(
            "app",
            "enum",
            _tag("application"),
            ("application_field",),
            "application field (taxonomy)",
            choices=APPLICATIONS,
            parse=_choice(APPLICATIONS),
            example="app=security",
        ),
    ]


def register_builtin(table: FieldTable | None = None) -> None:
    for f in builtin_fields():
        if table is None:
            register_field(f, replace=True)
        else:
            table.register(f, replace=True)
