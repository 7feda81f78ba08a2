"""FilterString: a tokenizer and a recursive-descent parser for the ERP's SQL-like filters.

Grammar (keywords case-insensitive)::

    filter     := or_expr EOF
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | predicate
    predicate  := "(" or_expr ")"
                | operand comparison
    comparison := op operand                           op: = <> != > >= < <=
                | ["not"] "like" operand
                | ["not"] "in" "(" operand ("," operand)* ")"
                | ["not"] "between" operand "and" operand
                | "is" ["not"] "null"
    operand    := FIELD | STRING | NUMBER | "null"

Strings are single-quoted ('' escapes a quote; SQL Server's N'...' prefix is accepted),
numbers may be signed and decimal, fields are identifiers that may contain dots
(``FCustId.FNumber``). The result is a small tree of dataclasses; binding field names to a
form and evaluating rows is ``sandbox.k3cloud.query.predicates``. Errors are
``FilterSyntaxError`` carrying SQL Server's own wording, as the real ERP passes it through.
"""

from dataclasses import dataclass
from decimal import Decimal

KEYWORDS = {"and", "or", "not", "like", "in", "is", "null", "between"}
OPERATORS = ("<>", "!=", ">=", "<=", "=", ">", "<")


class FilterSyntaxError(ValueError):
    """The filter is not valid; ``message`` reads like SQL Server's syntax error."""

    def __init__(self, near, position):
        self.near = near
        self.position = position
        super().__init__(f"“{near}”附近有语法错误。")


@dataclass(frozen=True)
class Token:
    kind: str  # "ident", "string", "number", "op", "(", ")", ",", "eof"
    text: str
    position: int
    value: object = None


@dataclass(frozen=True)
class FieldName:
    name: str


@dataclass(frozen=True)
class Literal:
    value: object  # str, Decimal or None


@dataclass(frozen=True)
class Compare:
    left: object
    op: str  # one of = <> > >= < <=
    right: object


@dataclass(frozen=True)
class Like:
    operand: object
    pattern: object
    negated: bool = False


@dataclass(frozen=True)
class InList:
    operand: object
    items: tuple
    negated: bool = False


@dataclass(frozen=True)
class Between:
    operand: object
    low: object
    high: object
    negated: bool = False


@dataclass(frozen=True)
class IsNull:
    operand: object
    negated: bool = False


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


# --- tokenizer ------------------------------------------------------------------------------


def tokenize(text):
    """Split ``text`` into tokens; raises FilterSyntaxError on a character it cannot read."""
    tokens = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "(),":
            tokens.append(Token(ch, ch, i))
            i += 1
        elif ch == "'" or (ch in "Nn" and text[i + 1 : i + 2] == "'"):
            token, i = _read_string(text, i)
            tokens.append(token)
        elif ch.isdigit() or (ch in "+-." and _starts_number(text, i, tokens)):
            token, i = _read_number(text, i)
            tokens.append(token)
        elif ch in "=<>!":
            token, i = _read_operator(text, i)
            tokens.append(token)
        elif ch.isalpha() or ch == "_":
            token, i = _read_identifier(text, i)
            tokens.append(token)
        else:
            raise FilterSyntaxError(ch, i)
    tokens.append(Token("eof", "", len(text)))
    return tokens


def _read_string(text, start):
    i = start + (2 if text[start] != "'" else 1)
    chars = []
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] == "'":
                chars.append("'")
                i += 2
                continue
            value = "".join(chars)
            return Token("string", text[start : i + 1], start, value), i + 1
        chars.append(text[i])
        i += 1
    raise FilterSyntaxError(text[start:], start)


def _starts_number(text, i, tokens):
    """A sign or dot starts a number only where an operand is expected and a digit follows."""
    following = text[i + 1 : i + 2]
    if text[i] in "+-" and following == ".":
        following = text[i + 2 : i + 3]
    if not following.isdigit():
        return False
    return not tokens or tokens[-1].kind not in ("ident", "string", "number", ")")


def _read_number(text, start):
    i = start + 1 if text[start] in "+-" else start
    seen_dot = False
    while i < len(text) and (text[i].isdigit() or (text[i] == "." and not seen_dot)):
        seen_dot = seen_dot or text[i] == "."
        i += 1
    literal = text[start:i]
    if i < len(text) and (text[i].isalpha() or text[i] == "_"):
        raise FilterSyntaxError(literal + text[i], start)
    return Token("number", literal, start, Decimal(literal)), i


def _read_operator(text, start):
    for op in OPERATORS:
        if text.startswith(op, start):
            return Token("op", "<>" if op == "!=" else op, start), start + len(op)
    raise FilterSyntaxError(text[start], start)


def _read_identifier(text, start):
    i = start
    while i < len(text) and (text[i].isalnum() or text[i] in "_."):
        i += 1
    return Token("ident", text[start:i], start), i


# --- parser ---------------------------------------------------------------------------------


def parse(text):
    """The syntax tree of a FilterString, or None when the filter is blank."""
    if text is None or not str(text).strip():
        return None
    return _Parser(tokenize(str(text))).parse()


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0

    @property
    def current(self):
        return self.tokens[self.index]

    def advance(self):
        token = self.current
        self.index += 1
        return token

    def is_keyword(self, word):
        token = self.current
        return token.kind == "ident" and token.text.lower() == word

    def accept_keyword(self, word):
        if self.is_keyword(word):
            self.advance()
            return True
        return False

    def expect(self, kind, keyword=None):
        token = self.current
        if token.kind != kind or (keyword and token.text.lower() != keyword):
            raise self.error()
        return self.advance()

    def error(self):
        """A syntax error at the current token (at the end: near the last one, as SQL Server says)."""
        token = self.current
        if token.kind == "eof" and self.index:
            token = self.tokens[self.index - 1]
        return FilterSyntaxError(token.text, token.position)

    def parse(self):
        tree = self.or_expr()
        self.expect("eof")
        return tree

    def or_expr(self):
        items = [self.and_expr()]
        while self.accept_keyword("or"):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self):
        items = [self.not_expr()]
        while self.accept_keyword("and"):
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self):
        if self.accept_keyword("not"):
            return Not(self.not_expr())
        return self.predicate()

    def predicate(self):
        if self.current.kind == "(":
            self.advance()
            tree = self.or_expr()
            self.expect(")")
            return tree
        left = self.operand()
        if self.current.kind == "op":
            op = self.advance().text
            return Compare(left, op, self.operand())
        if self.accept_keyword("is"):
            negated = self.accept_keyword("not")
            self.expect("ident", "null")
            return IsNull(left, negated)
        negated = self.accept_keyword("not")
        if self.accept_keyword("like"):
            return Like(left, self.operand(), negated)
        if self.accept_keyword("in"):
            return InList(left, self.operand_list(), negated)
        if self.accept_keyword("between"):
            low = self.operand()
            self.expect("ident", "and")
            return Between(left, low, self.operand(), negated)
        raise self.error()

    def operand_list(self):
        self.expect("(")
        items = [self.operand()]
        while self.current.kind == ",":
            self.advance()
            items.append(self.operand())
        self.expect(")")
        return tuple(items)

    def operand(self):
        token = self.current
        if token.kind in ("string", "number"):
            self.advance()
            return Literal(token.value)
        if token.kind == "ident" and token.text.lower() == "null":
            self.advance()
            return Literal(None)
        if token.kind == "ident" and token.text.lower() not in KEYWORDS:
            self.advance()
            return FieldName(token.text)
        raise self.error()


def field_names(tree):
    """Every field name the tree mentions, in order of appearance."""
    if tree is None:
        return []
    if isinstance(tree, FieldName):
        return [tree.name]
    if isinstance(tree, Literal):
        return []
    if isinstance(tree, (And, Or)):
        return [name for item in tree.items for name in field_names(item)]
    if isinstance(tree, Not):
        return field_names(tree.item)
    if isinstance(tree, InList):
        return field_names(tree.operand) + [n for item in tree.items for n in field_names(item)]
    if isinstance(tree, Between):
        return [n for part in (tree.operand, tree.low, tree.high) for n in field_names(part)]
    if isinstance(tree, Compare):
        return field_names(tree.left) + field_names(tree.right)
    if isinstance(tree, Like):
        return field_names(tree.operand) + field_names(tree.pattern)
    return field_names(tree.operand)  # IsNull
