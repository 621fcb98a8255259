"""The Orus abstract syntax tree.

The parser builds these nodes; the resolver (`sema/resolve.py`) and checker
(`sema/check.py`) annotate them in place; `irgen/` lowers the result.

Invariants:
  * Every node has a `span` (file, line, col, end). Nodes whose errors are
    reported at an operator or keyword carry that token's span as well
    (`op_span`, `name_span`, ...), because spec 6.3 places carets there.
  * The parser does no name resolution: `name = e` without `mut` or an
    annotation is an `Assign` whose target is a `Name`; the resolver decides
    whether it declares (sets `Assign.declares`) or assigns.
  * Annotations filled in by sema start as None: `Expr.ty` (the checked type),
    `Name.sym` / `Assign`/`Let` symbols (what a name denotes).
  * A unary `-` directly applied to an unsuffixed integer literal is folded by
    the parser into an `IntLit` with a negative value (spec 1.6), so
    `-2147483648` is one i32 literal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from orus.diag import Span


@dataclass(eq=False, slots=True)
class Node:
    span: Span


# ======================================================================= types
@dataclass(eq=False, slots=True)
class TypeExpr(Node):
    pass


@dataclass(eq=False, slots=True)
class NamedType(TypeExpr):
    """`i32`, `Point`, `geo.Point`, `Maybe<i32>`, `Option[i32]`, `Task<void>`."""

    path: list[str]                      # ["geo", "Point"] for a namespace-qualified type
    args: list[TypeExpr] = field(default_factory=list)
    # Set by the resolver: the STRUCT/ENUM Symbol, a TypeParamRef inside a generic enum,
    # ERROR_SYM after a reported error, or None for a built-in type name (i32 ... Task).
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class ArrayType(TypeExpr):
    """`[T]` or `[T, N]` (N is parsed but not enforced, spec 3.1)."""

    elem: TypeExpr
    size: Optional["Expr"] = None        # IntLit or Name


@dataclass(eq=False, slots=True)
class FnType(TypeExpr):
    """`fn(A, B) -> R`; `ret` None means void."""

    params: list[TypeExpr]
    ret: Optional[TypeExpr] = None


# ================================================================= expressions
@dataclass(eq=False, slots=True)
class Expr(Node):
    ty: Any = field(default=None, init=False)   # set by the checker


@dataclass(eq=False, slots=True)
class IntLit(Expr):
    value: int                           # already negated when folded from `-lit`
    suffix: Optional[str]                # "i32" "i64" "u32" "u64" "f64" or None
    text: str                            # source spelling, for messages ("0x1F", "-5")


@dataclass(eq=False, slots=True)
class FloatLit(Expr):
    value: float
    suffix: Optional[str]                # only integral floats may carry an int suffix
    text: str


@dataclass(eq=False, slots=True)
class StringLit(Expr):
    value: bytes                         # escapes already processed (spec 1.7)


@dataclass(eq=False, slots=True)
class BoolLit(Expr):
    value: bool


@dataclass(eq=False, slots=True)
class Name(Expr):
    name: str
    sym: Any = field(default=None, init=False)   # set by the resolver


@dataclass(eq=False, slots=True)
class Wildcard(Expr):
    """`_` inside a `matches` pattern (spec 2.14); nowhere else in expressions."""


@dataclass(eq=False, slots=True)
class Unary(Expr):
    op: str                              # "-", "not", "~"
    operand: Expr
    op_span: Span


@dataclass(eq=False, slots=True)
class Binary(Expr):
    op: str                              # "+" "-" "*" "/" "%" "==" ... "and" "or" "&" "|" "^" "<<" ">>"
    left: Expr
    right: Expr
    op_span: Span


@dataclass(eq=False, slots=True)
class Cast(Expr):
    expr: Expr
    target: TypeExpr
    as_span: Span


@dataclass(eq=False, slots=True)
class Matches(Expr):
    expr: Expr
    pattern: Expr                        # may contain Wildcard nodes (spec 2.14)
    op_span: Span


@dataclass(eq=False, slots=True)
class Conditional(Expr):
    """`a if c else b` or `c ? a : b`."""

    cond: Expr
    then: Expr
    other: Expr


@dataclass(eq=False, slots=True)
class Call(Expr):
    callee: Expr
    args: list[Expr]
    paren_span: Span                     # the `(`: builtin errors and Stack overflow point here


@dataclass(eq=False, slots=True)
class Index(Expr):
    obj: Expr
    index: Expr
    bracket_span: Span


@dataclass(eq=False, slots=True)
class Slice(Expr):
    """`a[start..end]`, `a[start..=end]`, `a[..]`, `a[s..e..step]`."""

    obj: Expr
    start: Optional[Expr]
    end: Optional[Expr]
    inclusive: bool
    step: Optional[Expr]
    bracket_span: Span


@dataclass(eq=False, slots=True)
class Field(Expr):
    """`obj.name`: a struct field, `Enum.Variant`, `ns.item`, `Type.static_fn`.

    The resolver sets `Field.kind`:
      ("member", Symbol)          ns.x: a module's exported symbol
      ("variant", Symbol, name)   E.V / ns.E.V: an enum variant (Symbol is the ENUM)
      ("static", Symbol, name)    S.f / ns.S.f: a struct's static function (Symbol is the STRUCT)
      ("value",)                  a field or method of a value: the checker decides
      ("error",)                  resolution failed and was reported
    """

    obj: Expr
    name: str
    name_span: Span
    kind: Any = field(default=None, init=False)
    # `(h.run)(x)` calls the field even when the struct has a method `run` (spec 2.11).
    parenthesized: bool = field(default=False, init=False)


@dataclass(eq=False, slots=True)
class FieldInit(Node):
    name: str
    value: Expr


@dataclass(eq=False, slots=True)
class StructLit(Expr):
    """`Point{x: 1, y: 2}` or `geo.Point{...}`."""

    type_path: list[str]
    type_span: Span
    fields: list[FieldInit]
    sym: Any = field(default=None, init=False)       # the STRUCT Symbol, set by the resolver


@dataclass(eq=False, slots=True)
class ArrayLit(Expr):
    elements: list[Expr]
    trailing_comma: bool = False


@dataclass(eq=False, slots=True)
class ArrayFill(Expr):
    """`[value, count]`: value repeated count times (spec 4.6). count is an IntLit or a Name."""

    value: Expr
    count: Expr


@dataclass(eq=False, slots=True)
class Param(Node):
    name: str                            # "_" discards
    type: Optional[TypeExpr]             # None: inferred (spec 3.5)
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class Lambda(Expr):
    """`fn(params) -> R: body`. For a one-line expression body, `expr_body` is True and the
    block holds one ExprStmt whose value is returned."""

    params: list[Param]
    ret: Optional[TypeExpr]
    body: "Block"
    expr_body: bool = False
    scope: Any = field(default=None, init=False)
    captures: list = field(default_factory=list, init=False)   # Symbols of enclosing functions it uses


@dataclass(eq=False, slots=True)
class BlockExpr(Expr):
    block: "Block"


@dataclass(eq=False, slots=True)
class Spawn(Expr):
    call: Expr                           # must be a Call (checked by sema)
    kw_span: Span


# ---- match
@dataclass(eq=False, slots=True)
class Pattern(Node):
    pass


@dataclass(eq=False, slots=True)
class WildcardPat(Pattern):
    pass


@dataclass(eq=False, slots=True)
class LiteralPat(Pattern):
    value: Expr                          # IntLit (possibly negative), FloatLit, StringLit, BoolLit


@dataclass(eq=False, slots=True)
class BindingPat(Node):
    name: str                            # "_" discards
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class VariantPat(Pattern):
    """`Shape.Circle(r)`, `Shape.Dot`, `geo.Shape.Dot`; `bindings` None when written without parens."""

    path: list[str]
    bindings: Optional[list[BindingPat]]
    variant: Any = field(default=None, init=False)   # resolved variant


@dataclass(eq=False, slots=True)
class MatchArm(Node):
    pattern: Pattern
    body: "Block"                        # one-line bodies are a Block of one statement
    inline: bool = True


@dataclass(eq=False, slots=True)
class MatchExpr(Expr):
    scrutinee: Expr
    arms: list[MatchArm]
    kw_span: Span                        # the `match` keyword
    used_as_value: bool = field(default=False, init=False)   # set by the checker


# ================================================================== statements
@dataclass(eq=False, slots=True)
class Stmt(Node):
    pass


@dataclass(eq=False, slots=True)
class Block(Node):
    stmts: list[Stmt]
    scope: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(eq=False, slots=True)
class Let(Stmt):
    """A declaring binding: `mut x = e`, `x: T = e`, `mut x: T = e` (always a new variable)."""

    name: str
    name_span: Span
    mutable: bool
    type: Optional[TypeExpr]
    value: Expr
    is_pub: bool = False
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class ConstDecl(Stmt):
    """`NAME: T := e` / `NAME := e`."""

    name: str
    name_span: Span
    type: Optional[TypeExpr]
    value: Expr
    is_pub: bool = False
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class Assign(Stmt):
    """`p1 = p2 = ... = pn op= e`. Targets are Name, Index or Field expressions.

    `op` is "=" or a compound operator ("+=" ...) that applies to the last target only.
    `declares[i]` (set by the resolver) is True where a plain Name target declares a
    new immutable variable (spec 2.2) instead of assigning."""

    targets: list[Expr]
    op: str
    value: Expr
    op_span: Span
    is_pub: bool = False                 # `pub total = 10` at module scope
    declares: list[bool] = field(default_factory=list, init=False)


@dataclass(eq=False, slots=True)
class DestructTarget(Node):
    name: str                            # "_" discards
    mutable: bool
    sym: Any = field(default=None, init=False)
    declares: bool = field(default=False, init=False)


@dataclass(eq=False, slots=True)
class Destructure(Stmt):
    targets: list[DestructTarget]
    value: Expr


@dataclass(eq=False, slots=True)
class IfBranch(Node):
    cond: Expr
    body: Block


@dataclass(eq=False, slots=True)
class If(Stmt):
    branches: list[IfBranch]             # the `if` and each `elif`
    else_body: Optional[Block]


@dataclass(eq=False, slots=True)
class While(Stmt):
    label: Optional[str]
    cond: Expr
    body: Block
    kw_span: Span


@dataclass(eq=False, slots=True)
class RangeSpec(Node):
    """The header range of `for i in a..b`, `a..=b`, `a..b..step`."""

    start: Expr
    end: Expr
    inclusive: bool
    step: Optional[Expr]


@dataclass(eq=False, slots=True)
class LoopTarget(Node):
    name: str                            # "_" discards
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class For(Stmt):
    """`for t1[, t2...] in (RangeSpec | expr):`."""

    label: Optional[str]
    targets: list[LoopTarget]
    iterable: Union[RangeSpec, Expr]
    body: Block
    kw_span: Span
    scope: Any = field(default=None, init=False)     # holds the loop variables


@dataclass(eq=False, slots=True)
class Try(Stmt):
    body: Block
    catch_name: Optional[str]
    catch_span: Span
    handler: Block
    catch_sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class Break(Stmt):
    label: Optional[str]
    target: Any = field(default=None, init=False)    # the loop statement, set by the resolver


@dataclass(eq=False, slots=True)
class Continue(Stmt):
    label: Optional[str]
    target: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class Pass(Stmt):
    pass


@dataclass(eq=False, slots=True)
class YieldStmt(Stmt):
    pass


@dataclass(eq=False, slots=True)
class Return(Stmt):
    values: list[Expr]                   # [] bare; [e]; [e1, e2, ...] returns an array


@dataclass(eq=False, slots=True)
class Print(Stmt):
    args: list[Expr]


# ================================================================ declarations
@dataclass(eq=False, slots=True)
class FnDecl(Stmt):
    name: str
    name_span: Span
    params: list[Param]
    ret: Optional[TypeExpr]
    body: Block
    is_pub: bool = False
    sym: Any = field(default=None, init=False)
    scope: Any = field(default=None, init=False)
    captures: list = field(default_factory=list, init=False)   # Symbols of enclosing functions it uses
    owner_struct: Any = field(default=None, init=False)        # STRUCT Symbol for methods


@dataclass(eq=False, slots=True)
class FieldDecl(Node):
    name: str
    type: TypeExpr
    default: Optional[Expr]


@dataclass(eq=False, slots=True)
class StructDecl(Stmt):
    name: str
    name_span: Span
    fields: list[FieldDecl]
    is_pub: bool = False
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class ImplDecl(Stmt):
    type_path: list[str]
    type_span: Span
    methods: list[FnDecl]
    sym: Any = field(default=None, init=False)       # the STRUCT Symbol, set by the resolver


@dataclass(eq=False, slots=True)
class Payload(Node):
    name: Optional[str]                  # documentation only
    type: TypeExpr


@dataclass(eq=False, slots=True)
class Variant(Node):
    name: str
    payloads: list[Payload]              # [] for a unit variant (also `None()`)


@dataclass(eq=False, slots=True)
class EnumDecl(Stmt):
    name: str
    name_span: Span
    type_params: list[str]
    variants: list[Variant]
    is_pub: bool = False
    sym: Any = field(default=None, init=False)


@dataclass(eq=False, slots=True)
class UseName(Node):
    name: str
    alias: Optional[str]


@dataclass(eq=False, slots=True)
class Use(Stmt):
    """`use a.b [as X] [: n1 [as m1], ...]`."""

    path: list[str]
    alias: Optional[str]
    names: list[UseName]                 # [] for a namespace-only import
    module: Any = field(default=None, init=False)    # the loaded module, set by the driver


@dataclass(eq=False, slots=True)
class Module(Node):
    """One source file."""

    path: str                            # as given (main file) or as found (modules, spec 7.3)
    body: list[Stmt]
