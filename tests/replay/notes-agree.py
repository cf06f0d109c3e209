#!/usr/bin/env python3
"""tests/replay/notes-agree.py: how far the notes column of `tcptutor replay`
agrees with Wireshark's TCP analysis (developer tool; needs tshark).

For every TCP frame of every capture given (default: tests/replay/good,
tests/replay/lo and ../shared/captures/good, identical files counted once)
it compares, per note kind, the frames tshark's analysis marks
(tcp.analysis.* fields, one pass as the goldens) with the frames whose notes
column holds that note.  Prints per kind: frames Wireshark marks, frames we
mark the same, our false notes (we mark, Wireshark does not).

Usage: tests/replay/notes-agree.py [-v] [--tcptutor PATH] [FILE|DIR...]
  -v   also list every frame where the two disagree
Exit status 0; 2 on a usage error.
"""
import hashlib
import os
import subprocess
import sys

# note name -> tshark fields, any of which marks the frame
KINDS = [
    ("retransmission", ("tcp.analysis.retransmission",
                        "tcp.analysis.fast_retransmission",
                        "tcp.analysis.spurious_retransmission")),
    ("out-of-order", ("tcp.analysis.out_of_order",)),
    ("lost-segment", ("tcp.analysis.lost_segment",)),
    ("dup-ack", ("tcp.analysis.duplicate_ack",)),
    ("keep-alive", ("tcp.analysis.keep_alive",)),
    ("keep-alive-ack", ("tcp.analysis.keep_alive_ack",)),
    ("zero-window", ("tcp.analysis.zero_window",)),
    ("window-update", ("tcp.analysis.window_update",)),
]
FIELDS = [f for _, fs in KINDS for f in fs]


def wireshark(path):
    """frame -> set of note names, for every frame with a TCP layer"""
    cmd = ["tshark", "-n", "-r", path, "-Y", "tcp", "-T", "fields",
           "-E", "separator=/t", "-e", "frame.number"]
    for f in FIELDS:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True)
    out = {}
    for line in res.stdout.splitlines():
        v = line.split("\t")
        v += [""] * (1 + len(FIELDS) - len(v))
        have = {f for f, x in zip(FIELDS, v[1:]) if x.strip(",")}
        out[int(v[0])] = {n for n, fs in KINDS if have & set(fs)}
    return out


def ours(tcptutor, path):
    """frame -> set of note names, for every row of the replay table"""
    res = subprocess.run([tcptutor, "--batch", "--format", "tsv", "replay", path],
                         capture_output=True, text=True)
    out = {}
    for line in res.stdout.splitlines()[1:]:
        v = line.split("\t")
        if len(v) < 14:
            continue
        out.setdefault(int(v[1]), set()).update(n for n in v[13].split(",") if n)
    return out


def captures(args):
    seen, files = set(), []
    for a in args:
        names = [os.path.join(a, n) for n in sorted(os.listdir(a))] if os.path.isdir(a) else [a]
        for p in names:
            if not p.endswith((".pcap", ".pcapng")) or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                h = hashlib.sha1(f.read()).hexdigest()
            if h not in seen:
                seen.add(h)
                files.append(p)
    return files


def main(argv):
    top = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
    tcptutor = os.path.join(top, "src", "tcptutor")
    verbose = False
    args = []
    it = iter(argv)
    for a in it:
        if a == "-v":
            verbose = True
        elif a == "--tcptutor":
            tcptutor = next(it, None)
            if tcptutor is None:
                print(__doc__, file=sys.stderr)
                return 2
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            args.append(a)
    if not args:
        args = [os.path.join(top, "tests/replay/good"), os.path.join(top, "tests/replay/lo"),
                os.path.join(top, "../shared/captures/good")]
        args = [a for a in args if os.path.isdir(a)]
    files = captures(args)
    count = {n: [0, 0, 0] for n, _ in KINDS}
    frames = 0
    for p in files:
        ws, us = wireshark(p), ours(tcptutor, p)
        frames += len(ws)
        for fr in sorted(set(ws) | set(us)):
            w, u = ws.get(fr, set()), us.get(fr, set())
            for n, _ in KINDS:
                c = count[n]
                if n in w:
                    c[0] += 1
                    c[1] += n in u
                elif n in u:
                    c[2] += 1
                if verbose and (n in w) != (n in u):
                    print("%s\tframe %d\t%s\t%s" % (p, fr, n,
                          "missed" if n in w else "false"))
    print("%d captures, %d TCP frames" % (len(files), frames))
    print("%-15s %9s %9s %6s" % ("note", "wireshark", "agreeing", "false"))
    tw = ta = tf = 0
    for n, _ in KINDS:
        w, a, f = count[n]
        tw, ta, tf = tw + w, ta + a, tf + f
        print("%-15s %9d %9d %6d" % (n, w, a, f))
    print("%-15s %9d %9d %6d  (%.2f %%)" % ("all", tw, ta, tf, 100.0 * ta / tw if tw else 100.0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
