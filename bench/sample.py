#!/usr/bin/env python3
"""sample.py: counts, deterministic samples and scores for issue 9's measurement.

Subcommands (all paths explicit; nothing here runs a linter):

  counts   OUT MOD...             per-rule count table of failfast's OUT/<mod>.json
  sample   OUT ROOT HALF MOD...   OUT/sample.md + OUT/sample.tsv: per rule up to 25
                                  findings over the half's modules (ROOT/<mod>), with
                                  source context and empty verdict/reason columns
  peers    OUT ROOT N MOD...      OUT/peers.tsv (all peer findings, normalised from
                                  OUT/<tool>.<mod>.{txt,json}) and OUT/peers-sample.md
                                  + .tsv: N findings spread over tools and modules
                                  (env PEER_TOOLS: only these tools)
  score    VERDICTS.tsv           precision per rule (column rule or tool) of a filled
                                  sample TSV (verdict column: real / fp / debatable)
  share    VERDICTS.tsv FFDIR     failfast's share of the real peer findings: a real
                                  one is caught when FFDIR/<module>.json has a finding
                                  of a rule that reports the same problem (SAME_PROBLEM)
                                  in the same file within 2 lines of it, or of a line
                                  of that file its message names (nilaway's nil flow);
                                  lists caught/missed
  kept     VERDICTS.tsv FFDIR     which judged failfast findings of VERDICTS.tsv a later
                                  run (FFDIR/<module>.json) still reports, by verdict:
                                  a tuning change should keep the real ones

Sampling is deterministic: the random generator is seeded with a hash of the rule
(or tool) and the half, and findings are taken round-robin over modules, and within
a module round-robin over files (files in seeded order), so that one file with many
findings cannot fill a rule's sample. Test files (_test.go) and generated files
(a "Code generated ... DO NOT EDIT." line) are excluded from peer findings, as
failfast's defaults exclude them from its own.
"""
import collections
import csv
import hashlib
import json
import os
import random
import re
import sys

PER_RULE = 25
CONTEXT_BEFORE, CONTEXT_AFTER = 6, 6
GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.$", re.M)


def seeded(*parts):
    h = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return random.Random(int(h[:16], 16))


def load_failfast(out, mod):
    path = os.path.join(out, mod + ".json")
    with open(path) as f:
        data = json.load(f)
    for x in data["findings"]:
        x["module"] = mod
    return data["findings"]


def spread(items, rng, n):
    """Up to n items, round-robin over modules, then over files within a module."""
    by_mod = collections.defaultdict(lambda: collections.defaultdict(list))
    for it in sorted(items, key=lambda x: (x["module"], x["file"], x["line"], x.get("column", 0), x["message"])):
        by_mod[it["module"]][it["file"]].append(it)
    queues = []
    for mod in sorted(by_mod):
        files = sorted(by_mod[mod])
        rng.shuffle(files)
        per_file = []
        for fn in files:
            lst = list(by_mod[mod][fn])
            rng.shuffle(lst)
            per_file.append(lst)
        # round-robin over this module's files
        q = []
        while any(per_file):
            for lst in per_file:
                if lst:
                    q.append(lst.pop(0))
        queues.append(q)
    picked = []
    while len(picked) < n and any(queues):
        for q in queues:
            if q and len(picked) < n:
                picked.append(q.pop(0))
    return picked


_src_cache = {}


def source(root, mod, fn):
    key = (root, mod, fn)
    if key not in _src_cache:
        path = fn if os.path.isabs(fn) else os.path.join(root, mod, fn)
        try:
            with open(path, errors="replace") as f:
                _src_cache[key] = f.read().split("\n")
        except OSError:
            _src_cache[key] = None
    return _src_cache[key]


def context(root, mod, fn, line):
    lines = source(root, mod, fn)
    if lines is None:
        return "(source not found)"
    lo, hi = max(1, line - CONTEXT_BEFORE), min(len(lines), line + CONTEXT_AFTER)
    out = []
    # The enclosing function's signature, when it starts above the window.
    for i in range(lo - 1, 0, -1):
        s = lines[i - 1]
        if s.startswith("func "):
            out.append(f"{i:6d}   {s}")
            out.append("   ...")
            break
        if s.startswith("}") or s.startswith("type ") or s.startswith("var "):
            break
    for i in range(lo, hi + 1):
        mark = ">" if i == line else " "
        out.append(f"{i:6d} {mark} {lines[i - 1]}")
    return "\n".join(out)


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


def write_sample(out, root, title, groups, key, tsv_cols):
    """groups: list of (name, total, picked). Writes out.md and out.tsv."""
    with open(out + ".md", "w") as md, open(out + ".tsv", "w", newline="") as tf:
        tsv = csv.writer(tf, delimiter="\t", lineterminator="\n")
        tsv.writerow(["id"] + tsv_cols + ["verdict", "reason"])
        md.write(f"# {title}\n\n")
        md.write("Verdicts: **real** (a silent failure a strict reviewer would flag), **fp** (false positive), "
                 "**debatable**; one-line reason. Fill them in the TSV next to this file (same ids).\n\n")
        md.write("| " + key + " | findings | sampled |\n|---|---:|---:|\n")
        for name, total, picked in groups:
            md.write(f"| {name} | {total} | {len(picked)} |\n")
        md.write("\n")
        for name, total, picked in groups:
            md.write(f"## {name} ({len(picked)} of {total})\n\n")
            md.write("| id | module | file:line | message | verdict | reason |\n|---|---|---|---|---|---|\n")
            ids = []
            for i, x in enumerate(picked, 1):
                fid = f"{name}-{i}"
                ids.append(fid)
                md.write(f"| {fid} | {x['module']} | {x['file']}:{x['line']} | {md_escape(x['message'])} |  |  |\n")
                tsv.writerow([fid] + [x.get(c, name if c in ("rule", "tool") else "") for c in tsv_cols] + ["", ""])
            md.write("\n")
            for fid, x in zip(ids, picked):
                md.write(f"### {fid}: {x['module']}/{x['file']}:{x['line']}\n\n{md_escape(x['message'])}\n\n")
                md.write("```go\n" + context(root, x["module"], x["file"], x["line"]) + "\n```\n\n")
                md.write("verdict: \nreason: \n\n")


def cmd_counts(out, mods):
    counts = {m: collections.Counter(x["rule"] for x in load_failfast(out, m)) for m in mods}
    rules = sorted(set().union(*counts.values()))
    lines = ["| rule | " + " | ".join(mods) + " | total |", "|---|" + "---:|" * (len(mods) + 1)]
    for r in rules:
        row = [counts[m][r] for m in mods]
        lines.append(f"| {r} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    tot = [sum(counts[m].values()) for m in mods]
    lines.append("| **all** | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |")
    print("\n".join(lines))


def cmd_sample(out, root, half, mods):
    allf = [x for m in mods for x in load_failfast(out, m)]
    by_rule = collections.defaultdict(list)
    for x in allf:
        by_rule[x["rule"]].append(x)
    groups = [(r, len(by_rule[r]), spread(by_rule[r], seeded("failfast", r, half), PER_RULE)) for r in sorted(by_rule)]
    write_sample(os.path.join(out, "sample"), root, f"failfast findings, {half} half: up to {PER_RULE} per rule",
                 groups, "rule", ["rule", "module", "file", "line", "message"])
    print(f"sample: {sum(len(p) for _, _, p in groups)} findings of {len(allf)} -> {out}/sample.md, sample.tsv")


# ---- peers -------------------------------------------------------------------

TEXT_LINE = re.compile(r"^(?P<file>[^\s:][^:]*\.go):(?P<line>\d+):(?P<col>\d+):\s*(?P<msg>.*)$")


def relfile(root, mod, fn):
    base = os.path.join(root, mod) + os.sep
    if fn.startswith(base):
        return fn[len(base):]
    return fn[2:] if fn.startswith("./") else fn


def is_excluded(root, mod, fn):
    if fn.endswith("_test.go") or os.path.isabs(fn) or fn.startswith(".."):
        return True
    lines = source(root, mod, fn)
    return lines is not None and bool(GENERATED.search("\n".join(lines[:40])))


def read_peer(out, root, tool, mod):
    """Peer findings of one tool on one module, normalised."""
    res = []
    js = os.path.join(out, f"{tool}.{mod}.json")
    txt = os.path.join(out, f"{tool}.{mod}.txt")
    if tool == "golangci-lint" and os.path.exists(js):
        with open(js) as f:
            raw = f.read().strip()
        data = json.loads(raw.splitlines()[0]) if raw else {"Issues": []}
        for it in data.get("Issues") or []:
            if it["FromLinter"] == "typecheck":  # a load error, not a finding
                continue
            p = it["Pos"]
            res.append(dict(tool=f"golangci-lint/{it['FromLinter']}", module=mod, file=relfile(root, mod, p["Filename"]),
                            line=p["Line"], column=p.get("Column", 0), message=it["Text"]))
    else:
        # errcheck writes to stdout; nilaway, a go/analysis driver, to stderr.
        # A line that does not start with a position continues the message
        # above it (nilaway's nil flows).
        paths = [txt] + ([os.path.join(out, f"{tool}.{mod}.err")] if tool == "nilaway" else [])
        for path in paths:
            if not os.path.exists(path):
                continue
            with open(path, errors="replace") as f:
                for l in f:
                    l = l.rstrip("\n")
                    m = TEXT_LINE.match(l)
                    if m and not m["msg"].startswith("could not import"):  # a load error
                        res.append(dict(tool=tool, module=mod, file=relfile(root, mod, m["file"]), line=int(m["line"]),
                                        column=int(m["col"]), message=m["msg"]))
                    elif res and l.startswith(("\t", " ")) and l.strip():
                        res[-1]["message"] += " " + l.strip()
    return res


def cmd_peers(out, root, n, mods):
    # PEER_TOOLS="errcheck golangci-lint" samples those tools only: how the
    # ollama supplement was drawn, when errcheck and golangci-lint had failed
    # to load ollama in the first run (docs/precision.md).
    tools = os.environ.get("PEER_TOOLS", "errcheck golangci-lint nilaway").split()
    allp, excluded = [], collections.Counter()
    for t in tools:
        for m in mods:
            for x in read_peer(out, root, t, m):
                if is_excluded(root, m, x["file"]):
                    excluded[(x["tool"], m)] += 1
                else:
                    allp.append(x)
    # one finding per position and tool (nilaway may repeat one)
    seen, uniq = set(), []
    for x in allp:
        k = (x["tool"], x["module"], x["file"], x["line"], x["message"])
        if k not in seen:
            seen.add(k)
            uniq.append(x)
    allp = uniq
    with open(os.path.join(out, "peers.tsv"), "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["tool", "module", "file", "line", "message"])
        for x in sorted(allp, key=lambda x: (x["tool"], x["module"], x["file"], x["line"])):
            w.writerow([x["tool"], x["module"], x["file"], x["line"], x["message"]])
    by_tool = collections.defaultdict(list)
    for x in allp:
        by_tool[x["tool"]].append(x)
    names = sorted(by_tool)
    # Spread n over the tools: equal shares, a tool with fewer findings gives its
    # remainder to the others.
    quota = {t: 0 for t in names}
    left = n
    while left > 0 and any(quota[t] < len(by_tool[t]) for t in names):
        for t in names:
            if left > 0 and quota[t] < len(by_tool[t]):
                quota[t] += 1
                left -= 1
    half = os.path.basename(os.path.normpath(root))
    groups = [(t, len(by_tool[t]), spread(by_tool[t], seeded("peer", t, half), quota[t])) for t in names]
    write_sample(os.path.join(out, "peers-sample"), root, f"peer findings, {half} half: {n} sampled",
                 groups, "tool", ["tool", "module", "file", "line", "message"])
    print("| tool | " + " | ".join(mods) + " | total | excluded (tests, generated) |")
    print("|---|" + "---:|" * (len(mods) + 2))
    for t in names:
        row = [sum(1 for x in by_tool[t] if x["module"] == m) for m in mods]
        ex = sum(v for (tt, _), v in excluded.items() if tt == t)
        print(f"| {t} | " + " | ".join(map(str, row)) + f" | {sum(row)} | {ex} |")
    print(f"peers: {sum(len(p) for _, _, p in groups)} sampled of {len(allp)} -> {out}/peers-sample.md, peers-sample.tsv")


# ---- scoring -------------------------------------------------------------------

def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def verdict(row):
    v = (row.get("verdict") or "").strip().lower()
    return {"real": "real", "tp": "real", "true": "real", "fp": "fp", "false positive": "fp", "not real": "fp",
            "debatable": "debatable"}.get(v, v)


def cmd_score(path):
    rows = read_tsv(path)
    col = "rule" if "rule" in rows[0] else "tool"
    tally = collections.defaultdict(collections.Counter)
    for r in rows:
        tally[r[col]][verdict(r)] += 1
    print(f"| {col} | judged | real | fp | debatable | unjudged | precision (real / judged) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    tot = collections.Counter()
    for k in sorted(tally):
        c = tally[k]
        tot.update(c)
        judged = c["real"] + c["fp"] + c["debatable"]
        p = f"{c['real'] / judged:.2f}" if judged else "–"
        print(f"| {k} | {judged} | {c['real']} | {c['fp']} | {c['debatable']} | {sum(c.values()) - judged} | {p} |")
    judged = tot["real"] + tot["fp"] + tot["debatable"]
    p = f"{tot['real'] / judged:.2f}" if judged else "–"
    print(f"| **all** | {judged} | {tot['real']} | {tot['fp']} | {tot['debatable']} | {sum(tot.values()) - judged} | **{p}** |")
    print("(debatable counts against precision; real / (real + fp) is", end=" ")
    print(f"{tot['real'] / (tot['real'] + tot['fp']):.2f})" if tot["real"] + tot["fp"] else "–)")


# The failfast rules that report the problem each peer reports: a finding
# of another rule near a peer's line is about something else (an unwrapped
# error two lines below an unchecked assertion), not a catch.
SAME_PROBLEM = {
    "errcheck": {"discarded-error"},
    "golangci-lint/errorlint": {"unwrapped-error"},
    "golangci-lint/forcetypeassert": {"unchecked-type-assertion", "unchecked-map-lookup"},
    "golangci-lint/nilerr": {"swallowed-error"},
    "golangci-lint/nilnil": {"nil-nil-return"},
    # nilaway follows a nil from its source: a dropped error, a map miss, an
    # unchecked result, a result used before its error is checked or a nil,
    # nil return may each be where failfast reports it (use-before-check was
    # missing from this list until the twelfth half: it reports that nil flow
    # at the dereference, as nilaway does).
    "nilaway": {"unchecked-nil-result", "nil-nil-return", "unchecked-map-lookup", "discarded-error",
                "swallowed-error", "unchecked-type-assertion", "use-before-check"},
}


def cmd_share(path, ffdir):
    rows = [r for r in read_tsv(path) if verdict(r) == "real"]
    ff = {}
    for m in sorted({r["module"] for r in rows}):
        try:
            ff[m] = load_failfast(ffdir, m)
        except OSError as e:
            sys.exit(f"share: {e}")
    caught, missed, loose = [], [], 0
    for r in rows:
        # The peer's line, and the places its message names: nilaway
        # reports the dereference and names the assignment the nil flows
        # from ("... to `addr` at vhs/tty.go:21:2"), where failfast reports
        # the dropped error, or the use in another file that hands the nil
        # to the dereferencing method ("... used as receiver to call
        # `RootDir()` ... check-checks/main.go:49"), where failfast reports
        # the unchecked result; both point at one failure. nilaway names
        # files relative to a parent of the package's folder.
        named = re.findall(r"([\w./-]+\.go):(\d+)", r["message"])
        places = [(r["file"], int(r["line"]))] + [(f, int(n)) for f, n in named]
        near = [x for x in ff[r["module"]]
                if any(("/" + x["file"]).endswith("/" + f) and abs(x["line"] - l) <= 2 for f, l in places)]
        hits = [x for x in near if x["rule"] in SAME_PROBLEM.get(r["tool"], set())]
        loose += bool(near)
        (caught if hits else missed).append((r, hits))
    print(f"real peer findings: {len(rows)}; caught by failfast (a finding of a rule that reports the same problem, "
          f"same file, within 2 lines of it or of a line its message names): {len(caught)}"
          + (f" = {len(caught) / len(rows):.2f}" if rows else ""))
    print(f"(any rule near it, the matching of the earlier measurements: {loose}"
          + (f" = {loose / len(rows):.2f})" if rows else ")"))
    by_tool = collections.defaultdict(lambda: [0, 0])
    for r, _ in caught:
        by_tool[r["tool"]][0] += 1
    for r, _ in missed:
        by_tool[r["tool"]][1] += 1
    for t in sorted(by_tool):
        print(f"  {t}: caught {by_tool[t][0]}, missed {by_tool[t][1]}")
    print("\ncaught:")
    for r, hits in caught:
        print(f"  {r['tool']} {r['module']}/{r['file']}:{r['line']}  {r['message']}")
        for h in hits:
            print(f"      <- {h['rule']} :{h['line']} {h['message']}")
    print("\nmissed:")
    for r, _ in missed:
        print(f"  {r['tool']} {r['module']}/{r['file']}:{r['line']}  {r['message']}  [{r.get('reason', '')}]")


def cmd_kept(path, ffdir):
    rows = [r for r in read_tsv(path) if verdict(r) in ("real", "fp")]
    now = {}
    for m in sorted({r["module"] for r in rows}):
        try:
            now[m] = {(x["rule"], x["file"], x["line"]) for x in load_failfast(ffdir, m)}
        except OSError as e:
            sys.exit(f"kept: {e}")
    tally = collections.defaultdict(collections.Counter)
    lost = []
    for r in rows:
        still = (r["rule"], r["file"], int(r["line"])) in now[r["module"]]
        tally[verdict(r)]["kept" if still else "gone"] += 1
        if verdict(r) == "real" and not still:
            lost.append(r)
    for v in ("real", "fp"):
        print(f"{v}: kept {tally[v]['kept']}, gone {tally[v]['gone']}")
    for r in lost:
        print(f"  lost real: {r['rule']} {r['module']}/{r['file']}:{r['line']}  {r['message']}")


def main(a):
    if not a:
        sys.exit(__doc__)
    cmd, rest = a[0], a[1:]
    if cmd == "counts" and len(rest) >= 2:
        cmd_counts(rest[0], rest[1:])
    elif cmd == "sample" and len(rest) >= 4:
        cmd_sample(rest[0], rest[1], rest[2], rest[3:])
    elif cmd == "peers" and len(rest) >= 4:
        cmd_peers(rest[0], rest[1], int(rest[2]), rest[3:])
    elif cmd == "score" and len(rest) == 1:
        cmd_score(rest[0])
    elif cmd == "share" and len(rest) == 2:
        cmd_share(rest[0], rest[1])
    elif cmd == "kept" and len(rest) == 2:
        cmd_kept(rest[0], rest[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
