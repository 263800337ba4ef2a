"""Query text -> syntax tree (a recursive-descent parser over the lexer's tokens).

The grammar, Espacenet's (CQL), with the proximity aliases of Orbit, PatBase and Lens::

    query    := expr END
    expr     := unit ((AND | OR | NOT | AND NOT | OR NOT)? unit)*   left to right, no operator first
    unit     := primary (PROX primary)*                              proximity binds tightest
    primary  := '(' expr ')' | NOT primary | FIELD REL value | word | "phrase"
    value    := '(' expr ')' | word | "phrase"                       a group takes the field
    PROX     := prox/distance<n[/ordered] | NEAR/n | nW | nD

As in Espacenet, AND, OR and NOT have equal precedence and apply left to right (``a OR b AND c`` is
``(a OR b) AND c``); two units side by side are joined by AND; ``a NOT b`` is ``a AND NOT b``.
``nW``/``nD`` are proximity operators only between two operands (``3D printer`` searches the word 3d).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patscape.search.fields import DEFAULT_FIELDS, WORD_RELATIONS, Field, FieldTable
from patscape.search.lexer import END, LPAREN, PROX, REL, RPAREN, STRING, WORD, Tok, tokenize
from patscape.search.syntax import (
    And,
    AnyOf,
    Condition,
    Near,
    Node,
    Not,
    Or,
    Pattern,
    Phrase,
    Query,
    SearchSyntaxError,
    Span,
    TextMatch,
    leaves,
)
from patscape.search.text import WILDCARDS, is_cjk, query_tokens


@dataclass(frozen=True)
class Limits:
    length: int = 10_000  # characters
    depth: int = 32  # nested parentheses and NOTs
    tree_depth: int = 64  # alternations of AND and OR (equal precedence nests them)
    terms: int = 500  # leaves
    distance: int = 100  # words, for proximity


LIMITS = Limits()
BARE_FIELD = "txt"  # what a term without a field searches
_KEYWORDS = ("AND", "OR", "NOT")
_WORD_PROX = re.compile(r"^(\d{1,3})([WwDd])$")
_OPERAND = ("a word", 'a "phrase"', "a field such as ti=", "'('")


def parse(text: str, fields: FieldTable | None = None, limits: Limits = LIMITS) -> Query:
    """The syntax tree of ``text``; raises :class:`SearchSyntaxError` (line, column, expected)."""
    if not isinstance(text, str):
        raise TypeError("a query is a string")
    if len(text) > limits.length:
        raise SearchSyntaxError(f"query longer than {limits.length:,} characters", text, limits.length)
    parser = _Parser(text, fields or DEFAULT_FIELDS, limits)
    root = parser.query()
    return Query(text, root, tuple(leaves(root)))


@dataclass(frozen=True)
class _Scope:
    """What a bare term means here: the field and relation of the enclosing group."""

    field: Field
    relation: str = "="


class _Parser:
    def __init__(self, text: str, fields: FieldTable, limits: Limits) -> None:
        self.text = text
        self.fields = fields
        self.limits = limits
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0
        self.terms = 0
        bare = fields.get(BARE_FIELD)
        if bare is None:
            raise ValueError(f"the field table has no {BARE_FIELD!r} field for bare terms")
        self.bare = _Scope(bare)

    # -- tokens --------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Tok:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def advance(self) -> Tok:
        tok = self.toks[self.i]
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def error(self, message: str, tok: Tok | int, expected: tuple[str, ...] = ()) -> SearchSyntaxError:
        offset = tok if isinstance(tok, int) else tok.start
        return SearchSyntaxError(message, self.text, offset, expected)

    @staticmethod
    def keyword(tok: Tok) -> str | None:
        if tok.kind == WORD and tok.text.upper() in _KEYWORDS:
            return tok.text.upper()
        return None

    def starts_operand(self, tok: Tok) -> bool:
        if tok.kind in (STRING, LPAREN):
            return True
        return tok.kind == WORD and self.keyword(tok) in (None, "NOT")

    # -- grammar -------------------------------------------------------------------------------
    def query(self) -> Node:
        if self.peek().kind == END:
            raise self.error("empty query", 0, _OPERAND)
        root = self.expr(self.bare)
        tok = self.peek()
        if tok.kind == RPAREN:
            raise self.error("unexpected ')' with no '(' to close", tok)
        if tok.kind != END:  # pragma: no cover - expr consumes everything else
            raise self.error(f"unexpected {tok.text!r}", tok)
        return root

    def expr(self, scope: _Scope) -> Node:
        left = self.unit(scope)
        depth = 1
        while True:
            tok = self.peek()
            if tok.kind in (END, RPAREN):
                return left
            op = self.keyword(tok)
            negate = False
            if op is not None:
                self.advance()
                if op in ("AND", "OR") and self.keyword(self.peek()) == "NOT":
                    self.advance()
                    negate = True
                if not self.starts_operand(self.peek()):
                    raise self.missing(f"a term after {tok.text}")
            else:
                op = "AND"
                if not self.starts_operand(tok):
                    raise self.error(f"unexpected {tok.text!r}", tok, (*_OPERAND, "AND", "OR", "NOT"))
            right = self.unit(scope)
            if op == "NOT" or negate:
                right = Not(right)
            combined: Node = _join(And if op in ("AND", "NOT") else Or, left, right)
            if type(combined) is not type(left):
                depth += 1
                if depth > self.limits.tree_depth:
                    raise self.error(
                        f"more than {self.limits.tree_depth} alternations of AND and OR: use parentheses",
                        tok,
                    )
            left = combined

    def missing(self, what: str) -> SearchSyntaxError:
        tok = self.peek()
        if tok.kind == END and self.depth:
            return self.error("missing ')'", tok, (*_OPERAND, "')'"))
        if tok.kind == END:
            return self.error(f"missing {what}", tok, _OPERAND)
        return self.error(f"unexpected {tok.text!r}: missing {what}", tok, _OPERAND)

    def unit(self, scope: _Scope) -> Node:
        left = self.primary(scope)
        while True:
            tok = self.peek()
            prox = self.proximity(tok)
            if prox is None:
                return left
            self.advance()
            if not self.starts_operand(self.peek()) or self.keyword(self.peek()) == "NOT":
                raise self.missing(f"a word after {tok.text}")
            right = self.primary(scope)
            left = self.near(left, right, *prox, tok)

    def proximity(self, tok: Tok) -> tuple[int, bool] | None:
        """(largest gap in words, ordered) of a proximity operator, or None."""
        if tok.kind == PROX:
            text = tok.text.lower()
            if text.startswith("near/"):
                return self.distance(int(text[5:]), tok), False
            ordered = "/ordered" in text
            m = re.search(r"distance\s*(<=|<)\s*(\d+)", text)
            if m is None:
                return 1, ordered
            gap = int(m.group(2)) - (1 if m.group(1) == "<" else 0)
            return self.distance(gap, tok), ordered
        after = self.peek(1)
        m = _WORD_PROX.match(tok.text) if tok.kind == WORD else None
        if m and self.starts_operand(after) and self.keyword(after) is None:  # 3D NOT x: the word 3d
            return self.distance(int(m.group(1)), tok), m.group(2).upper() == "W"
        return None

    def distance(self, gap: int, tok: Tok) -> int:
        if gap < 1:
            raise self.error("a proximity distance of at least one word", tok)
        if gap > self.limits.distance:
            raise self.error(f"a proximity distance over {self.limits.distance} words", tok)
        return gap

    def primary(self, scope: _Scope) -> Node:
        tok = self.peek()
        if tok.kind == LPAREN:
            self.enter(tok)
            self.advance()
            if self.peek().kind == RPAREN:
                raise self.error("empty parentheses", self.peek(), _OPERAND)
            node = self.expr(scope)
            self.close()
            return node
        if self.keyword(tok) == "NOT":
            self.enter(tok)
            self.advance()
            if not self.starts_operand(self.peek()):
                raise self.missing("a term after NOT")
            node = Not(self.unit(scope))
            self.depth -= 1
            return node
        if tok.kind in (WORD, STRING):
            after = self.peek(1)
            if tok.kind == WORD and after.kind == REL:
                return self.clause()
            if (
                tok.kind == WORD
                and after.kind == WORD
                and after.text.lower() in WORD_RELATIONS
                and self.fields.get(tok.text) is not None
                and self.peek(2).kind in (WORD, STRING, LPAREN)
            ):
                return self.clause()
            if self.keyword(tok):
                raise self.error(f"{tok.text} needs a term before it", tok, _OPERAND)
            self.advance()
            return self.leaf(scope.field, scope.relation, tok)
        if tok.kind == END:
            raise self.missing("a term")
        if tok.kind == RPAREN:
            raise self.error("unexpected ')'", tok, _OPERAND)
        if tok.kind == REL:
            raise self.error(f"unexpected {tok.text!r}: a field name goes before it", tok, _OPERAND)
        raise self.error(f"{tok.text} needs a word on each side", tok, _OPERAND)

    def enter(self, tok: Tok) -> None:
        self.depth += 1
        if self.depth > self.limits.depth:
            raise self.error(f"nested more than {self.limits.depth} deep", tok)

    def close(self) -> None:
        tok = self.peek()
        if tok.kind != RPAREN:
            raise self.error("missing ')'", tok, ("')'", "AND", "OR", "NOT"))
        self.advance()
        self.depth -= 1

    def clause(self) -> Node:
        name, rel = self.advance(), self.advance()
        field = self.fields.get(name.text)
        if field is None:
            raise self.error(f"unknown field {name.text!r}", name, tuple(self.fields.names()))
        relation = "=" if rel.text == ":" else rel.text.lower()
        if relation not in field.relations:
            raise self.error(f"{field.name} takes no {rel.text!r}", rel, field.relations)
        tok = self.peek()
        if tok.kind == LPAREN and relation not in WORD_RELATIONS:
            self.enter(tok)
            self.advance()
            if self.peek().kind == RPAREN:
                raise self.error("empty parentheses", self.peek(), _OPERAND)
            node = self.expr(_Scope(field, relation))
            self.close()
            return node
        if tok.kind not in (WORD, STRING) or (tok.kind == WORD and self.keyword(tok)):
            raise self.error(
                f"missing a value after {name.text}{rel.text}", tok, ("a value", 'a "phrase"', "'('")
            )
        self.advance()
        return self.leaf(field, relation, tok)

    # -- leaves --------------------------------------------------------------------------------
    def count(self, tok: Tok, n: int = 1) -> None:
        self.terms += n
        if self.terms > self.limits.terms:
            raise self.error(f"more than {self.limits.terms} terms", tok)

    def leaf(self, field: Field, relation: str, tok: Tok) -> Node:
        if field.kind in ("text", "name"):
            return self.text_leaf(field, relation, tok)
        if relation in ("all", "any"):
            items = [v for v in re.split(r"[\s,;]+", tok.text.strip()) if v]
            if not items:
                raise self.error(f"missing values after {field.name} {relation}", tok, ("a value",))
            nodes = [self.condition(field, "=", v, tok) for v in items]
            return _join_all(And if relation == "all" else Or, nodes)
        text = tok.text
        if tok.kind == WORD and field.kind == "key":
            text = self.spaced_number(text)
        return self.condition(field, relation, text, tok)

    def spaced_number(self, text: str) -> str:
        """``pn=US 11532378 B2`` without quotes: a country code followed by its number (and kind)."""
        if not re.fullmatch(r"[A-Za-z]{2}", text):
            return text
        nxt = self.peek()
        if nxt.kind != WORD or not nxt.text[:1].isdigit():
            return text
        text += " " + self.advance().text
        kind = self.peek()
        if kind.kind == WORD and re.fullmatch(r"[A-Za-z]\d?", kind.text) and not self.keyword(kind):
            text += " " + self.advance().text
        return text

    def condition(self, field: Field, relation: str, text: str, tok: Tok) -> Condition:
        self.count(tok)
        try:
            value = field.parse_value(text, relation)
        except ValueError as exc:
            raise self.error(f"{field.name}: cannot read {text!r}", tok, (str(exc),)) from None
        return Condition(field, relation, value, text, tok.start)

    def text_leaf(self, field: Field, relation: str, tok: Tok) -> Node:
        if relation in ("all", "any"):
            words = tok.text.split()
            if not words:
                raise self.error(f"missing words after {field.name} {relation}", tok, ("a word",))
            nodes: list[Node] = [self.text_match(field, w, False, tok) for w in words]
            return _join_all(And if relation == "all" else Or, nodes)
        return self.text_match(field, tok.text, tok.kind == STRING, tok)

    def text_match(self, field: Field, text: str, quoted: bool, tok: Tok) -> TextMatch:
        parts = query_tokens(text)
        if not parts:
            raise self.error(f"nothing to search for in {text!r}", tok, ("letters or digits",))
        self.count(tok)
        out: list[str | Pattern] = []
        for part in parts:
            if not any(c in WILDCARDS for c in part):
                out.append(part)
                continue
            if is_cjk(part):
                raise self.error("truncation is for words of alphabetic scripts", tok)
            pattern = Pattern(part)
            needed = 3 if "*" in part else 1
            if len(pattern.prefix) < needed:
                raise self.error(
                    f"truncation {part!r} needs at least {needed} character{'s' * (needed > 1)} "
                    f"before its first wildcard",
                    tok,
                )
            out.append(pattern)
        return TextMatch(field, Phrase(tuple(out), text, quoted), tok.start)

    def near(self, left: Node, right: Node, gap: int, ordered: bool, tok: Tok) -> TextMatch:
        lf, ls = self.as_span(left, tok)
        rf, rs = self.as_span(right, tok)
        if lf is not rf:
            raise self.error(f"proximity needs both sides in one field, not {lf.name} and {rf.name}", tok)
        at = left.at if isinstance(left, TextMatch) else tok.start
        return TextMatch(lf, Near(ls, rs, gap, ordered), at)

    def as_span(self, node: Node, tok: Tok) -> tuple[Field, Span]:
        if isinstance(node, TextMatch):
            return node.field, node.span
        if isinstance(node, Or):
            pairs = [self.as_span(item, tok) for item in node.items]
            fields = {id(f) for f, _ in pairs}
            if len(fields) > 1:
                raise self.error("proximity needs its alternatives in one field", tok)
            return pairs[0][0], AnyOf(tuple(s for _, s in pairs))
        raise self.error(
            "proximity joins words, phrases or alternatives (OR), not AND, NOT or other fields", tok
        )


def _join(kind: type[And] | type[Or], left: Node, right: Node) -> Node:
    items = (*left.items, right) if isinstance(left, kind) else (left, right)
    return kind(items)


def _join_all(kind: type[And] | type[Or], nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))
