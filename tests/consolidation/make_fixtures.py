#!/usr/bin/env python3
"""Writes the scores.csv of every consolidation fixture from the tables below.

The expected.json files beside them are written by hand (see each case's README line in CASES), not by this
script: they are the hand computation the test checks the program against. Re-run after changing a table:
    python3 tests/consolidation/make_fixtures.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL_ITEMS = ["1.1", "2.1", "3.1", "4.1"]
HEADER = "专家编号,专家姓名,申报编号,观测点,得分,说明"
NAMES = {f"E{i:02d}": n for i, n in enumerate(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏"], 1)}


def t(x):
    """Tenths → decimal text as a person types it."""
    return str(x // 10) if x % 10 == 0 else f"{x // 10}.{x % 10}"


def small_rows(expert, app, cell):
    if cell == "回避":
        return [f"{expert},{NAMES[expert]},{app},,回避,与牵头单位有工作关系"]
    items, ded = cell
    rows = [f"{expert},{NAMES[expert]},{app},{c},{t(v)}," for c, v in zip(SMALL_ITEMS, items)]
    if ded:
        rows.append(f"{expert},{NAMES[expert]},{app},7,{t(ded)},招生宣传不规范")
    return rows


def write(case, rows):
    os.makedirs(os.path.join(HERE, case), exist_ok=True)
    with open(os.path.join(HERE, case, "scores.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join([HEADER] + rows) + "\n")


def small_case(case, table):
    """table: {app: {expert: ([4 item tenths], deduction tenths) | "回避"}}; absent expert = no sheet."""
    rows = []
    for app, cells in table.items():
        for expert, cell in cells.items():
            rows += small_rows(expert, app, cell)
    write(case, rows)


def u(v, d=0):
    return ([v] * 4, d)


# n = 3: totals 10, 12, 17 → mean 13.
small_case("n3-plain-mean", {"A01": {"E01": u(25), "E02": u(30), "E03": ([45, 40, 40, 45], 0)}})
# n = 5: totals 10, 12, 13, 14, 20 → drop 10 and 20 → 13.
N5 = {"E01": u(25), "E02": u(30), "E03": ([35, 35, 30, 30], 0), "E04": u(35), "E05": u(50)}
small_case("n5-trimmed", {"A01": N5})
# n = 7: totals 5, 6, 7, 8, 9, 10, 20 → drop 5 and 20 → 8.
small_case("n7-trimmed", {"A01": {
    "E01": ([10, 10, 10, 20], 0), "E02": ([20, 10, 10, 20], 0), "E03": ([20, 20, 10, 20], 0), "E04": u(20),
    "E05": ([30, 20, 20, 20], 0), "E06": ([30, 30, 20, 20], 0), "E07": u(50)}})
# Recusal patterns: one of six recused (n = 5, trimmed: 13); two recused (n = 4, mean of 8, 8, 12, 16 = 11);
# all recused (no valid sheet: incomplete, nothing missing).
small_case("recusal-patterns", {
    "A01": dict(N5, E06="回避"),
    "A02": {"E01": "回避", "E02": "回避", "E03": u(20), "E04": u(20), "E05": u(30), "E06": u(40)},
    "A03": {e: "回避" for e in ["E01", "E02", "E03", "E04", "E05", "E06"]},
})
# Incomplete: E03 has no rows for A02.
small_case("incomplete", {
    "A01": {"E01": u(25), "E02": u(30), "E03": ([45, 40, 40, 45], 0)},
    "A02": {"E01": u(50), "E02": u(50)},
})
# Ties (two identical experts): by groups 2–4, by deduction, and a true 并列.
small_case("tie-by-subtotal", {"A01": {"E01": ([50, 30, 30, 30], 0), "E02": ([50, 30, 30, 30], 0)},
                               "A02": {"E01": ([20, 40, 40, 40], 0), "E02": ([20, 40, 40, 40], 0)}})
small_case("tie-by-deduction", {"A01": {"E01": ([30, 40, 40, 40], 10), "E02": ([30, 40, 40, 40], 10)},
                                "A02": {"E01": ([20, 40, 40, 40], 0), "E02": ([20, 40, 40, 40], 0)}})
small_case("tie-shared", {"A01": {"E01": ([50, 30, 30, 30], 0), "E02": ([50, 30, 30, 30], 0)},
                          "A02": {"E01": u(10), "E02": u(10)},
                          "A03": {"E01": ([50, 30, 30, 30], 0), "E02": ([50, 30, 30, 30], 0)},
                          "A04": {"E01": u(5), "E02": u(5)}})
# Deduction: the median of 0, 2, 2, 3, 0 (majority proposes) = 2.
small_case("deduction-median", {"A01": {"E01": u(40), "E02": u(40, 20), "E03": u(40, 20), "E04": u(40, 30), "E05": u(40)}})


# 88.125 with the Henan rubric: full marks but 2.2 = 0 and 2.3 = 0, 1.1 = 4 (one expert 4.5):
# totals 88, 88.5, 88, 88 → mean 88.125 → "88.13".
def henan_items():
    import tomllib
    with open(os.path.join(HERE, "../../rubrics/henan-2023/rubric.toml"), "rb") as f:
        r = tomllib.load(f)
    return [(i["code"], int(round(float(i["points"]) * 10))) for g in r["groups"] for i in g["items"]]


rows = []
for e, half in [("E01", False), ("E02", True), ("E03", False), ("E04", False)]:
    for code, pts in henan_items():
        v = {"2.2": 0, "2.3": 0, "1.1": 45 if half else 40}.get(code, pts)
        rows.append(f"{e},{NAMES[e]},A01,{code},{t(v)},")
write("n4-henan-88125", rows)
