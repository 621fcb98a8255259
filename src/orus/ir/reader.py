"""IR text form: the reader. Parses everything `ir/printer.py` prints.

`parse_module(text)` reads a whole module; `parse_function(text, module)`
reads one function against an existing module (its structs, enums, globals
and other functions) and adds it to that module. The grammar is the one in
printer.py's docstring; instructions are read from the op table alone.

Algorithm:
  1. Lex every line (`;` starts a comment) and group the lines into
     declarations and functions (a function runs from `fn` to a lone `}`).
  2. Register all struct and enum names, then read their bodies, globals,
     and every function header, so types and callees may be used before they
     are declared.
  3. Read each function body. Operands may name values defined further down
     (SSA needs dominance, not textual order), so references are resolved
     after the whole body is read.
  4. Compute result types with the op table's result rules, repeatedly, until
     every result whose operands are typed has a type (block parameters carry
     explicit types, so a well-formed function needs few rounds).
Value and block numbers in the text are kept; `next_value`/`next_block` are
set past the largest. Malformed input raises `IRSyntaxError("line N: ...")`.
"""

from __future__ import annotations

import re
from typing import Optional

from orus.ir import opdefs as O
from orus.ir import types as T
from orus.ir.func import Block, EnumDef, Function, Global, Instr, Module, StructDef, Target, Value
from orus.ir.printer import BARE_NAME, angle_end


class IRSyntaxError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


_TOKEN = re.compile(r"""
    (?P<ws>\s+) | (?P<comment>;.*) | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|-inf\b)
  | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*) | (?P<sigil>[@%]) | (?P<punct>->|[(){}\[\]<>,:=!.])
""", re.VERBOSE)
_VALUE, _BLOCK = re.compile(r"v(\d+)"), re.compile(r"b(\d+)")
_SIMPLE_ESCAPES = {"n": 10, "t": 9, "r": 13, '"': 34, "\\": 92}
_OP_PREFIXES = {n[:i] for n in O.OP_BY_NAME for i in range(len(n) + 1) if i == len(n) or n[i] == "."}


def _unquote(text: str, line: int) -> bytes:
    out, i = bytearray(), 1
    while i < len(text) - 1:
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
        elif text[i + 1] in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[text[i + 1]])
            i += 2
        elif text[i + 1] == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            raise IRSyntaxError(line, f"bad escape in string {text}")
    return bytes(out)


def _decode(data: bytes, line: int) -> str:
    """Names, file names and STR attributes are text: their bytes must be UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise IRSyntaxError(line, f"string {data!r} is not valid UTF-8") from None


def _lex(text: str, line: int) -> list[tuple[str, object, int]]:
    """Tokens (kind, value, column) of one line; kinds: str num word at pct punct."""
    toks, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise IRSyntaxError(line, f"unexpected character {text[pos]!r}")
        kind, pos = m.lastgroup, m.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "str":
            toks.append(("str", _unquote(m.group(), line), m.start()))
        elif kind == "sigil":
            name, pos = _lex_sigil_name(text, pos, m.group() == "%", line)
            toks.append(("at" if m.group() == "@" else "pct", name, m.start()))
        else:
            toks.append((kind, m.group(), m.start()))
    return toks


def _lex_sigil_name(text: str, pos: int, angles: bool, line: int) -> tuple[str, int]:
    """The name after `@` or `%` (quoted, or bare; `%` names may end in `<...>`)."""
    m = _TOKEN.match(text, pos)
    if m and m.lastgroup == "str":
        return _decode(_unquote(m.group(), line), line), m.end()
    m = BARE_NAME.match(text, pos)
    if not m:
        raise IRSyntaxError(line, "expected a name after '@' or '%'")
    end = m.end()
    if angles and end < len(text) and text[end] == "<":
        end = angle_end(text, end)
        if end < 0:
            raise IRSyntaxError(line, "unbalanced '<' in type name")
    return text[pos:end], end


class _Line:
    """A cursor over one line's tokens."""

    def __init__(self, text: str, line: int):
        self.toks = _lex(text, line)
        self.line = line
        self.i = 0

    def error(self, message: str) -> IRSyntaxError:
        return IRSyntaxError(self.line, message)

    def peek(self, offset: int = 0) -> tuple:
        i = self.i + offset
        return self.toks[i] if i < len(self.toks) else ("end", "", -1)

    def next(self) -> tuple:
        tok = self.peek()
        self.i += 1
        return tok

    def accept(self, kind: str, value=None) -> Optional[tuple]:
        tok = self.peek()
        if tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return tok
        return None

    def expect(self, kind: str, value=None, what: str = "") -> tuple:
        tok = self.accept(kind, value)
        if tok is None:
            got = self.peek()
            shown = "end of line" if got[0] == "end" else repr(got[1])
            raise self.error(f"expected {what or repr(value) or kind}, got {shown}")
        return tok

    def expect_end(self) -> None:
        if self.peek()[0] != "end":
            raise self.error(f"unexpected {self.peek()[1]!r}")

    def int(self, what: str) -> int:
        tok = self.expect("num", what=what)
        if not re.fullmatch(r"-?\d+", tok[1]):
            raise self.error(f"expected {what}, got {tok[1]!r}")
        return int(tok[1])

    def name(self, what: str = "a name") -> str:
        """A bare dotted name (adjacent `word.word` tokens) or a quoted one."""
        tok = self.accept("str")
        if tok:
            return _decode(tok[1], self.line)
        tok = self.expect("word", what=what)
        text, end = tok[1], tok[2] + len(tok[1])
        while True:
            dot, word = self.peek(), self.peek(1)
            if (dot[0], dot[1], dot[2], word[0], word[2]) != ("punct", ".", end, "word", end + 1):
                return text
            self.i += 2
            text += "." + word[1]
            end = word[2] + len(word[1])

    def ident_number(self, pattern: re.Pattern, what: str) -> int:
        tok = self.expect("word", what=what)
        m = pattern.fullmatch(tok[1])
        if not m:
            raise self.error(f"expected {what}, got {tok[1]!r}")
        return int(m.group(1))


class _TypeReader:
    """type -> PRIM | range | error | BOX '<' type '>' | '[' type ']' | '%' NAME
              | 'fn' '(' [type (',' type)*] ')' '->' type"""

    def __init__(self, module: Module):
        self.module = module

    def read(self, ln: _Line) -> T.Type:
        kind, value, _ = ln.next()
        if kind == "word" and value in T.PRIM_NAMES:
            return T.Prim(value)
        if kind == "word" and value in T.OPAQUE_NAMES:
            return T.Opaque(value)
        if kind == "word" and value in T.BOXES:
            ln.expect("punct", "<")
            arg = self.read(ln)
            ln.expect("punct", ">")
            return T.Opaque(value, arg)
        if (kind, value) == ("punct", "["):
            elem = self.read(ln)
            ln.expect("punct", "]")
            return T.Array(elem)
        if (kind, value) == ("word", "fn"):
            return self._fn_type(ln)
        if kind == "pct":
            if value in self.module.structs:
                return T.Struct(value)
            if value in self.module.enums:
                return T.Enum(value)
            raise ln.error(f"unknown struct or enum %{value}")
        raise ln.error(f"expected a type, got {value or 'end of line'!r}")

    def _fn_type(self, ln: _Line) -> T.Fn:
        ln.expect("punct", "(")
        params = []
        if not ln.accept("punct", ")"):
            params.append(self.read(ln))
            while ln.accept("punct", ","):
                params.append(self.read(ln))
            ln.expect("punct", ")")
        ln.expect("punct", "->")
        return T.Fn(tuple(params), self.read(ln))


def _lit(ln: _Line, ty) -> object:
    """A constant of the suffix type (printer.format_lit's inverse)."""
    kind, text, _ = ln.next()
    name = ty.name if isinstance(ty, T.Prim) else ""
    if name in T.INT_NAMES and kind == "num" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if name == "f64" and (kind == "num" or text in ("inf", "nan")):
        return float(text)
    if name == "bool" and text in ("true", "false"):
        return text == "true"
    if name == "str" and kind == "str":
        return text
    raise ln.error(f"expected a {ty} constant, got {text or 'end of line'!r}")


def _read_attr(ln: _Line, kind: str, name: str, attrs: dict, types: _TypeReader) -> None:
    if kind == O.TYPE:
        ln.expect("punct", ".", "'.TYPE' suffix")
        attrs[name] = types.read(ln)
    elif kind in (O.FUNC, O.GLOBAL):
        attrs[name] = ln.expect("at", what=f"@{name}")[1]
    elif kind == O.NAME:
        attrs[name] = ln.name(name)
    elif kind == O.INT:
        attrs[name] = ln.int(f"integer {name}")
    elif kind == O.STR:
        attrs[name] = _decode(ln.expect("str", what=f"string {name}")[1], ln.line)
    elif kind == O.LIT:
        attrs[name] = _lit(ln, attrs.get("type"))
    elif ln.accept("word", name):
        attrs[name] = True


def _op_name(ln: _Line) -> O.Op:
    """The longest op name spelled by `word(.word)*` at the cursor."""
    tok = ln.expect("word", what="an op name")
    name, found = tok[1], None
    while True:
        if name in O.OP_BY_NAME:
            found = (name, ln.i)
        nxt, word = ln.peek(), ln.peek(1)
        if nxt[1] != "." or word[0] != "word" or f"{name}.{word[1]}" not in _OP_PREFIXES:
            break
        name = f"{name}.{word[1]}"
        ln.i += 2
    if found is None:
        raise ln.error(f"unknown op {name!r}")
    ln.i = found[1]
    return O.OP_BY_NAME[found[0]]


class _FunctionReader:
    """Reads one function body into a Function whose header is already read."""

    def __init__(self, fn: Function, module: Module, types: _TypeReader):
        self.fn, self.module, self.types = fn, module, types
        self.values: dict[int, Value] = {v.id: v for v in fn.params}
        self.blocks: dict[int, Block] = {}
        self.defined_blocks: set[int] = set()
        self.pending: list[tuple[Instr, list[int], list[list[int]], int]] = []

    def block(self, ln: _Line) -> Block:
        n = ln.ident_number(_BLOCK, "a block bN")
        if n not in self.blocks:
            self.blocks[n] = Block(n)
        return self.blocks[n]

    def define(self, ln: _Line, n: int, ty, defn) -> Value:
        if n in self.values:
            raise ln.error(f"v{n} is defined more than once")
        v = self.values[n] = Value(n, ty, defn)
        return v

    def read_block_header(self, ln: _Line) -> Block:
        """block -> bN ['(' vN ':' type, ... ')'] ['handler' bN] ':'"""
        b = self.block(ln)
        if b.id in self.defined_blocks:
            raise ln.error(f"{b} is defined more than once")
        self.defined_blocks.add(b.id)
        self.fn.blocks.append(b)
        if ln.accept("punct", "("):
            params = [] if ln.accept("punct", ")") else self._params(ln, b)
            b.params = self._entry_params(ln, params) if len(self.fn.blocks) == 1 else params
        elif len(self.fn.blocks) == 1:
            b.params = self.fn.params
        if ln.accept("word", "handler"):
            b.handler = self.block(ln)
        ln.expect("punct", ":")
        ln.expect_end()
        return b

    def _params(self, ln: _Line, b: Block) -> list[Value]:
        params = []
        while True:
            n = ln.ident_number(_VALUE, "a parameter vN")
            ln.expect("punct", ":")
            ty = self.types.read(ln)
            params.append((n, ty) if len(self.fn.blocks) == 1 else self.define(ln, n, ty, b))
            if not ln.accept("punct", ","):
                ln.expect("punct", ")")
                return params

    def _entry_params(self, ln: _Line, params: list) -> list[Value]:
        if [(v.id, v.type) for v in self.fn.params] != params:
            raise ln.error("the entry block's parameters differ from the function's")
        return self.fn.params

    def read_instr(self, ln: _Line, b: Block) -> None:
        """instr -> [vN '='] op ATTR... [operand (',' operand)*] ['!' LINE ':' COL]"""
        result = None
        if ln.peek(1)[1] == "=" and ln.peek(1)[0] == "punct":
            result = ln.ident_number(_VALUE, "a result vN")
            ln.next()
        op = _op_name(ln)
        instr = Instr(op, [], None, {}, [], None, b)
        for name, kind in op.attrs:
            _read_attr(ln, kind, name, instr.attrs, self.types)
        args, targets = self._operands(ln)
        if ln.accept("punct", "!"):
            line = ln.int("a line number")
            ln.expect("punct", ":")
            instr.loc = (line, ln.int("a column number"))
        ln.expect_end()
        if result is not None:
            instr.result = self.define(ln, result, None, instr)
        instr.targets = [Target(blk) for blk, _ in targets]
        self.pending.append((instr, args, [ids for _, ids in targets], ln.line))
        b.instrs.append(instr)

    def _operands(self, ln: _Line) -> tuple[list[int], list[tuple[Block, list[int]]]]:
        args: list[int] = []
        targets: list[tuple[Block, list[int]]] = []
        if ln.peek()[0] != "word":
            return args, targets
        while True:
            if _VALUE.fullmatch(ln.peek()[1]):
                if targets:
                    raise ln.error("value operands must come before targets")
                args.append(ln.ident_number(_VALUE, "a value"))
            else:
                blk = self.block(ln)
                ids = []
                if ln.accept("punct", "(") and not ln.accept("punct", ")"):
                    ids.append(ln.ident_number(_VALUE, "a value"))
                    while ln.accept("punct", ","):
                        ids.append(ln.ident_number(_VALUE, "a value"))
                    ln.expect("punct", ")")
                targets.append((blk, ids))
            if not ln.accept("punct", ","):
                return args, targets

    def finish(self, end_line: int) -> None:
        """Resolve operands, check every block exists, then compute result types."""
        for n, b in self.blocks.items():
            if n not in self.defined_blocks:
                raise IRSyntaxError(end_line, f"{b} is used but has no header")
        if not self.fn.blocks:
            raise IRSyntaxError(end_line, "function has no blocks")
        for instr, args, target_args, line in self.pending:
            instr.args = [self._value(n, line) for n in args]
            for t, ids in zip(instr.targets, target_args):
                t.args = [self._value(n, line) for n in ids]
        self._infer_types()
        self.fn.next_value = max(self.values, default=-1) + 1
        self.fn.next_block = max(self.blocks) + 1

    def _value(self, n: int, line: int) -> Value:
        if n not in self.values:
            raise IRSyntaxError(line, f"v{n} is not defined")
        return self.values[n]

    def _infer_types(self) -> None:
        todo = [p for p in self.pending if p[0].op.result is not None]
        while todo:
            left = [p for p in todo if any(a.type is None for a in p[0].args)]
            if len(left) == len(todo):
                instr, _, _, line = left[0]
                raise IRSyntaxError(line, f"cannot type {instr.op.name}: its operands' types depend on it")
            for p in todo:
                if all(a.type is not None for a in p[0].args):
                    self._type_result(*p)
            todo = left

    def _type_result(self, instr: Instr, _args, _targets, line: int) -> None:
        try:
            ty = instr.op.result(instr, self.module)
        except (KeyError, IndexError, AttributeError, TypeError) as e:
            raise IRSyntaxError(line, f"cannot type {instr.op.name}: bad operand or attribute ({e!r})")
        if instr.result is None and ty != T.VOID:
            raise IRSyntaxError(line, f"{instr.op.name} produces a {ty} value: write 'vN = ...'")
        if instr.result is not None and ty == T.VOID:
            raise IRSyntaxError(line, f"{instr.op.name} produces no value here, but defines {instr.result}")
        if instr.result is not None:
            instr.result.type = ty


class _ModuleReader:
    def __init__(self, module: Module):
        self.module = module
        self.types = _TypeReader(module)

    def read_fn_header(self, ln: _Line) -> Function:
        """fn -> 'fn' @NAME '(' [vN ':' type, ...] ')' '->' type
                 ['captures' INT] ['name' STR] ['file' STR] '{'"""
        ln.expect("word", "fn")
        tok = ln.accept("at")
        name = tok[1] if tok else ln.name("a function name")
        fn = Function(name, [], T.VOID)
        ln.expect("punct", "(")
        if not ln.accept("punct", ")"):
            while True:
                n = ln.ident_number(_VALUE, "a parameter vN")
                ln.expect("punct", ":")
                fn.params.append(Value(n, self.types.read(ln)))
                if not ln.accept("punct", ","):
                    ln.expect("punct", ")")
                    break
        ln.expect("punct", "->")
        fn.ret = self.types.read(ln)
        if ln.accept("word", "captures"):
            fn.n_captures = ln.int("a capture count")
        if ln.accept("word", "name"):
            fn.display_name = _decode(ln.expect("str", what="a quoted name")[1], ln.line)
        if ln.accept("word", "file"):
            fn.file = _decode(ln.expect("str", what="a quoted file name")[1], ln.line)
        ln.expect("punct", "{")
        ln.expect_end()
        if len({v.id for v in fn.params}) != len(fn.params):
            raise ln.error("a parameter is defined more than once")
        if name in self.module.functions:
            raise ln.error(f"function @{name} is defined more than once")
        return self.module.add(fn)

    def read_body(self, fn: Function, lines: list[_Line], end_line: int) -> None:
        reader = _FunctionReader(fn, self.module, self.types)
        block = None
        for ln in lines:
            if _BLOCK.fullmatch(str(ln.peek()[1])) and ln.peek()[0] == "word" \
                    and ln.peek(1)[1] in ("(", ":", "handler"):
                block = reader.read_block_header(ln)
            elif block is None:
                raise ln.error("expected a block header 'bN:'")
            else:
                reader.read_instr(ln, block)
        reader.finish(end_line)
        for v in fn.params:
            v.defn = fn.entry

    def register_type(self, ln: _Line) -> None:
        kind = ln.next()[1]
        name = ln.expect("pct", what="%NAME")[1]
        if name in self.module.structs or name in self.module.enums:
            raise ln.error(f"%{name} is defined more than once")
        if kind == "struct":
            self.module.structs[name] = StructDef(name, [])
        else:
            self.module.enums[name] = EnumDef(name, "", [])

    def read_decl(self, ln: _Line) -> None:
        """decl -> struct | enum | global | entry"""
        kind = ln.next()[1]
        if kind == "struct":
            s = self.module.structs[ln.next()[1]]
            shown = ln.accept("str")
            s.display = _decode(shown[1], ln.line) if shown else ""
            s.fields = self._braced(ln, lambda: self._field(ln))
        elif kind == "enum":
            e = self.module.enums[ln.next()[1]]
            e.display = _decode(ln.expect("str", what="the enum's display name")[1], ln.line)
            e.variants = self._braced(ln, lambda: self._variant(ln))
        elif kind == "global":
            name = ln.expect("at", what="@NAME")[1]
            shown = ln.accept("str")
            ln.expect("punct", ":")
            g = Global(name, self.types.read(ln), bool(ln.accept("word", "checked")),
                       _decode(shown[1], ln.line) if shown else "")
            if name in self.module.globals:
                raise ln.error(f"global @{name} is defined more than once")
            self.module.globals[name] = g
        else:
            self.module.entry = ln.expect("at", what="@NAME")[1]
        ln.expect_end()

    def _braced(self, ln: _Line, item) -> list:
        ln.expect("punct", "{")
        items = []
        if not ln.accept("punct", "}"):
            items.append(item())
            while ln.accept("punct", ","):
                items.append(item())
            ln.expect("punct", "}")
        return items

    def _field(self, ln: _Line) -> tuple[str, T.Type]:
        name = ln.name("a field name")
        ln.expect("punct", ":")
        return name, self.types.read(ln)

    def _variant(self, ln: _Line) -> tuple[str, list[T.Type]]:
        name = ln.name("a variant name")
        ln.expect("punct", "(")
        types: list[T.Type] = []
        if not ln.accept("punct", ")"):
            types.append(self.types.read(ln))
            while ln.accept("punct", ","):
                types.append(self.types.read(ln))
            ln.expect("punct", ")")
        return name, types


def _group(text: str) -> tuple[list[_Line], list[tuple[_Line, list[_Line], int]]]:
    """Split into declaration lines and (header, body lines, closing line number) per function."""
    decls, fns, current = [], [], None
    for number, raw in enumerate(text.splitlines(), 1):
        ln = _Line(raw, number)
        if not ln.toks:
            continue
        if current is not None:
            if ln.toks[0][1] == "}" and len(ln.toks) == 1:
                fns.append((current[0], current[1], number))
                current = None
            else:
                current[1].append(ln)
        elif ln.peek()[1] == "fn":
            current = (ln, [])
        elif ln.peek()[1] in ("struct", "enum", "global", "entry"):
            decls.append(ln)
        else:
            raise ln.error(f"expected a declaration or 'fn', got {ln.peek()[1]!r}")
    if current is not None:
        raise current[0].error("function has no closing '}'")
    return decls, fns


def parse_module(text: str) -> Module:
    """A module from its text form."""
    module = Module()
    reader = _ModuleReader(module)
    decls, fns = _group(text)
    for ln in decls:
        if ln.peek()[1] in ("struct", "enum"):
            reader.register_type(ln)
            ln.i = 0
    for ln in decls:
        reader.read_decl(ln)
    headers = [(reader.read_fn_header(h), body, end) for h, body, end in fns]
    for fn, body, end in headers:
        reader.read_body(fn, body, end)
    return module


def parse_function(text: str, module: Module) -> Function:
    """One function, read against `module` (for types, globals and callees) and added to it."""
    decls, fns = _group(text)
    if decls or len(fns) != 1:
        raise IRSyntaxError(1, "expected exactly one function and no declarations")
    reader = _ModuleReader(module)
    header, body, end = fns[0]
    fn = reader.read_fn_header(header)
    reader.read_body(fn, body, end)
    return fn
