# enum_match: building enum values with payloads and dispatching on them with match.
N = 600_000  # SIZE


class Op:
    __slots__ = ("tag", "v")

    def __init__(self, tag, v=0):
        self.tag = tag
        self.v = v


def make(i):
    k = i % 7
    if k < 3:
        return Op("add", i % 100)
    elif k < 5:
        return Op("mul", (i % 3) + 1)
    elif k == 5:
        return Op("neg")
    return Op("reset")


def step(acc, op):
    match op.tag:
        case "add":
            return (acc + op.v) % 1000003
        case "mul":
            return (acc * op.v) % 1000003
        case "neg":
            return (1000003 - acc) % 1000003
        case _:
            return 1


acc = 1
resets = 0
for i in range(N):
    op = make(i)
    if op.tag == "reset":
        resets += 1
    acc = step(acc, op)
print("acc:", acc, "resets:", resets)
