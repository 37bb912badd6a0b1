#!/usr/bin/env python3
# bench/mapping.py: synthetic mapping rounds written into a tenant's
# database: for bench/run (outside the timed part) and for the demo that
# ./dev run serves.
#
#   bench/mapping.py DB DUMP UNIT "NAME|OPENS|CLOSES|GROUPS"...
#     UNIT: the unit's name; GROUPS: "400x250" (400 groups of 250, named
#     Klass 001...) or "4A=24,4B=22" (each group's name and size).
#     Prints one line per round: "ROUND_ID FIRST_GROUP_ID".  A round whose
#     name the unit has already is left as it is (so ./dev run makes the
#     demo's rounds once).
#
# Each child of a group answered the set of DUMP (`beratta plugin dump`):
# every one an invitation and a
# finished response, as a round's children leave them, and the counts the
# core keeps as their answers commit (core/store_child.c): each option
# chosen, "I don't want to answer" and "I don't understand", how many
# wrote something, numbers, the bands of each area's risk and resources,
# the respondents, those who raised an alert and each alert.  The answers
# are drawn per group (the choices of 250 children at once), a follow-up
# answered by about a third; the answer rows themselves are not written,
# since a report never reads them, only these counts.  Each round closes
# on CLOSES (a past day): `beratta mapping close-due` then closes it by the
# real path, which erases the slips' codes and sums the counts.
import json
import random
import sqlite3
import sys
import time


def groups_of(spec):
    """[(name, size)] of a GROUPS argument."""
    if "x" in spec and "=" not in spec:
        n, size = spec.split("x")
        return [("Klass %03d" % (i + 1), int(size)) for i in range(int(n))]
    return [(g.split("=")[0], int(g.split("=")[1])) for g in spec.split(",")]


def draws(rng, options, k):
    """k choices among options, the first ones likelier (children mostly
    answer the calm options first)."""
    weights = [1.0 / (i + 1) for i in range(len(options))]
    return rng.choices(options, weights, k=k)


def group_counts(rng, dump, n):
    counts = {}

    def add(q, v, c=1):
        counts[(q, v)] = counts.get((q, v), 0) + c

    add("", "respondents", n)
    for q in dump["order"]:
        if q["type"] == "info":
            continue
        k = n if "parent" not in q else rng.randint(n // 5, n // 2)
        special = rng.choices(["", "s:skip", "s:unclear"], [0.95, 0.04, 0.01], k=k)
        given = sum(1 for s in special if s == "")
        for s in special:
            if s:
                add(q["id"], s)
        if q["type"] == "text":
            add(q["id"], "t", rng.randint(0, given // 3))
        elif q["type"] == "number":
            for v in draws(rng, [str(x) for x in range(0, 8)], given):
                add(q["id"], "n:" + v)
        elif q.get("options"):
            ids = [o["id"] for o in q["options"]]
            # A multi-choice answer counts each option chosen.
            k = given if q["type"] != "multi" else given + given // 2
            for v in draws(rng, ids, k):
                add(q["id"], v)
    for a in dump["areas"]:
        for kind in ("risk", "resource"):
            for v in draws(rng, ["0", "1", "2"] if kind == "risk" else ["1", "2", "0"], n):
                add(kind + ":" + a["id"], v)
    alerted = sum(1 for _ in range(n) if rng.random() < 0.03)
    add("", "alerted", alerted)
    for _ in range(alerted):
        add("", rng.choice(dump["alerts"])["id"])
    return counts


def main():
    db, dump_path = sys.argv[1], sys.argv[2]
    dump = json.load(open(dump_path))
    rng = random.Random(42)
    con = sqlite3.connect(db, timeout=60)
    con.execute("PRAGMA busy_timeout = 60000")
    unit = con.execute("SELECT id FROM units WHERE name = ?", (sys.argv[3],)).fetchone()[0]
    now = int(time.time())
    version = con.execute("SELECT version FROM set_versions ORDER BY first_seen DESC LIMIT 1").fetchone()
    version = version[0] if version else "bench"
    out = []
    with con:
        for spec in sys.argv[4:]:
            name, opens, closes, groups = spec.split("|")
            had = con.execute("SELECT r.id, min(g.id) FROM mapping_rounds r JOIN mapping_groups g"
                              " ON g.round_id = r.id WHERE r.unit_id = ? AND r.name = ?", (unit, name)).fetchone()
            if had[0] is not None:
                out.append("%d %d" % had)
                continue
            cur = con.execute(
                "INSERT INTO mapping_rounds (unit_id, name, opens, closes, created_at) VALUES (?, ?, ?, ?, ?)",
                (unit, name, opens, closes, now))
            rid = cur.lastrowid
            first = None
            for gname, size in groups_of(groups):
                gid = con.execute("INSERT INTO mapping_groups (round_id, name, expected) VALUES (?, ?, ?)",
                                  (rid, gname, size + size // 10 + 1)).lastrowid
                first = first or gid
                con.execute(
                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?)"
                    " INSERT INTO invitations (code_hash, created_at, age_band, group_id)"
                    " SELECT randomblob(32), ?, '13-15', ? FROM c", (size, now, gid))
                con.execute(
                    "INSERT INTO responses (invitation_id, set_version, started_at, finished_at, gen)"
                    " SELECT id, ?, ?, ?, 90 FROM invitations WHERE group_id = ?", (version, now, now, gid))
                con.executemany("INSERT INTO mapping_counts (group_id, question, value, n) VALUES (?, ?, ?, ?)",
                                ((gid, q, v, c) for (q, v), c in group_counts(rng, dump, size).items() if c > 0))
            out.append("%d %d" % (rid, first))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    print("\n".join(out))


main()
