"""Turning a parsed FilterString into a predicate over row contexts.

Evaluation follows SQL's three-valued logic: a comparison with NULL is unknown (None),
``not`` keeps unknown unknown, and a row is kept only when the filter is true. Literals
are converted once, to the type of the field they are compared with; a literal that cannot
be (a date that is no date) fails the query with SQL Server's own conversion message.
"""

from decimal import Decimal

from sandbox.k3cloud import filters, messages
from sandbox.k3cloud.metadata.types import DATE, DATETIME
from sandbox.k3cloud.replies import MSG_EXCEPTION
from sandbox.k3cloud.values import BadValue, comparable, literal_for

COMPARE = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


class FilterError(ValueError):
    def __init__(self, message, msg_code=MSG_EXCEPTION):
        self.msg_code = msg_code
        super().__init__(message)


def compile_filter(tree, columns):
    """A callable(ctx) -> True/False/None for ``tree``; ``columns`` maps field names to Columns."""
    if tree is None:
        return lambda ctx: True
    return _Compiler(columns).node(tree)


class _Compiler:
    def __init__(self, columns):
        self.columns = columns

    def node(self, tree):
        method = getattr(self, f"_{type(tree).__name__.lower()}")
        return method(tree)

    # --- logic ----------------------------------------------------------------------------
    def _and(self, tree):
        parts = [self.node(item) for item in tree.items]

        def evaluate(ctx):
            results = [part(ctx) for part in parts]
            return False if False in results else (None if None in results else True)

        return evaluate

    def _or(self, tree):
        parts = [self.node(item) for item in tree.items]

        def evaluate(ctx):
            results = [part(ctx) for part in parts]
            return True if True in results else (None if None in results else False)

        return evaluate

    def _not(self, tree):
        part = self.node(tree.item)

        def evaluate(ctx):
            value = part(ctx)
            return None if value is None else not value

        return evaluate

    # --- operands -------------------------------------------------------------------------
    def operand(self, item, field_type=None):
        """(type, callable(ctx) -> comparable value) of a field or literal operand."""
        if isinstance(item, filters.FieldName):
            column = self.columns[item.name]
            return column.type, lambda ctx: comparable(column.type, column.get(ctx))
        value = _convert(item.value, field_type)
        return None, lambda ctx: value

    def pair(self, left, right):
        """Both operands, each literal converted to the type of the field on the other side."""
        left_type = self.columns[left.name].type if isinstance(left, filters.FieldName) else None
        right_type = self.columns[right.name].type if isinstance(right, filters.FieldName) else None
        return self.operand(left, right_type)[1], self.operand(right, left_type)[1]

    # --- predicates -----------------------------------------------------------------------
    def _compare(self, tree):
        left, right = self.pair(tree.left, tree.right)
        test = COMPARE[tree.op]

        def evaluate(ctx):
            a, b = left(ctx), right(ctx)
            return None if a is None or b is None else test(*_same_kind(a, b))

        return evaluate

    def _like(self, tree):
        value = self.operand(tree.operand)[1]
        pattern = self.operand(tree.pattern)[1]
        negated = tree.negated

        def evaluate(ctx):
            text, wanted = value(ctx), pattern(ctx)
            if text is None or wanted is None:
                return None
            return like(str(text), str(wanted)) != negated

        return evaluate

    def _inlist(self, tree):
        field_type, value = self.operand(tree.operand)
        items = [self.operand(item, field_type)[1] for item in tree.items]
        negated = tree.negated
        members = _literal_members(tree.items, items)
        if members is not None:
            # A list of literals (a lookup of hundreds of numbers) is a hash lookup per row,
            # as a database's IN would be, not a comparison with every listed value.
            return lambda ctx: None if (current := value(ctx)) is None else (current in members) != negated

        def evaluate(ctx):
            current = value(ctx)
            if current is None:
                return None
            candidates = (item(ctx) for item in items)
            found = any(_equal(current, candidate) for candidate in candidates if candidate is not None)
            return found != negated

        return evaluate

    def _between(self, tree):
        field_type, value = self.operand(tree.operand)
        low, high = self.operand(tree.low, field_type)[1], self.operand(tree.high, field_type)[1]
        negated = tree.negated

        def evaluate(ctx):
            current, a, b = value(ctx), low(ctx), high(ctx)
            if current is None or a is None or b is None:
                return None
            low_value, value_low = _same_kind(a, current)
            value_high, high_value = _same_kind(current, b)
            return (low_value <= value_low and value_high <= high_value) != negated

        return evaluate

    def _isnull(self, tree):
        value = self.operand(tree.operand)[1]
        negated = tree.negated
        return lambda ctx: (value(ctx) is None) != negated


def _convert(value, field_type):
    """A literal as a comparable value: typed by the field it meets, else number or text."""
    if field_type is not None:
        try:
            return literal_for(field_type, value)
        except BadValue as error:
            text = (
                messages.BAD_DATE_IN_FILTER
                if field_type in (DATE, DATETIME)
                else messages.BAD_NUMBER_IN_FILTER
            )
            raise FilterError(text) from error
    if value is None or isinstance(value, Decimal):
        return value
    return str(value).casefold()


def _same_kind(a, b):
    """Two comparable values made comparable with each other (number vs text → as text)."""
    if isinstance(a, Decimal) == isinstance(b, Decimal):
        return a, b
    return str(a).casefold(), str(b).casefold()


def _equal(a, b):
    left, right = _same_kind(a, b)
    return left == right


class _Members:
    """Literal IN-list values: ``value in members`` is ``_equal(value, m)`` for some member m."""

    def __init__(self, values):
        values = [v for v in values if v is not None]
        self.numbers = {v for v in values if isinstance(v, Decimal)}
        self.others = {v for v in values if not isinstance(v, Decimal)}
        self.numbers_as_text = {str(v).casefold() for v in self.numbers}
        self.others_as_text = {str(v).casefold() for v in self.others}

    def __contains__(self, value):
        if isinstance(value, Decimal):
            return value in self.numbers or str(value).casefold() in self.others_as_text
        return value in self.others or str(value).casefold() in self.numbers_as_text


def _literal_members(nodes, operands):
    """``_Members`` of an IN list made only of literals (None when a field is listed)."""
    if not all(isinstance(node, filters.Literal) for node in nodes):
        return None
    try:
        return _Members(operand(None) for operand in operands)
    except TypeError:  # an unhashable value: compare one by one
        return None


def like(text, pattern):
    """SQL LIKE: % any run, _ any one character, [abc] / [^abc] a set; no case."""
    return _like_from(text.casefold(), 0, pattern.casefold(), 0)


def _like_from(text, t, pattern, p):
    while p < len(pattern):
        symbol = pattern[p]
        if symbol == "%":
            return any(_like_from(text, start, pattern, p + 1) for start in range(t, len(text) + 1))
        if t >= len(text):
            return False
        if symbol == "[" and "]" in pattern[p + 1 :]:
            end = pattern.index("]", p + 1)
            if not _in_set(text[t], pattern[p + 1 : end]):
                return False
            p = end + 1
        elif symbol == "_" or symbol == text[t]:
            p += 1
        else:
            return False
        t += 1
    return t == len(text)


def _in_set(char, spec):
    negate = spec.startswith("^")
    spec = spec[1:] if negate else spec
    members = set()
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            members.update(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            members.add(spec[i])
            i += 1
    return (char in members) != negate
