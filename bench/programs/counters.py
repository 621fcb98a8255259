# counters: closures that share and mutate captured variables, created in a loop.
N = 300_000  # SIZE


def make_counter(start):
    count = start

    def bump(by):
        nonlocal count
        count = (count + by) % 65521
        return count
    return bump


fs = []
for k in range(8):
    fs.append(make_counter(k * 10))
total = 0
for i in range(N):
    f = fs[i % 8]
    total += f(i % 13)
print("total:", total)
