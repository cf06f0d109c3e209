#!/usr/bin/env python3
"""tests/replay/mkgolden.py: writes NAME.tsv next to each capture given, from
tshark's own dissection (developer tool; the tests only read the result).

Columns: stream frame time flags seq ack len win notes in_flight, as
tcptutor's batch table prints them: flags by name in Wireshark's order, time
with 6 decimals, ack '-' when the ACK bit is off, notes mapped from tshark's
expert messages, in_flight tcp.analysis.bytes_in_flight ('-' where tshark has
none; with --tcb it is the sender's c_in_flight or s_in_flight).
Usage: tests/replay/mkgolden.py tests/replay/*.pcap tests/replay/*.pcapng
"""
from decimal import Decimal, ROUND_HALF_UP
import os
import subprocess
import sys

FLAGS = [(0x001, "FIN"), (0x002, "SYN"), (0x004, "RST"), (0x008, "PSH"),
         (0x010, "ACK"), (0x020, "URG"), (0x040, "ECE"), (0x080, "CWR"),
         (0x100, "AE")]
# tcptutor's note names (sim.h TT_NOTES order) and the expert texts behind them
NOTES = [("retransmission", ("retransmission",)),
         ("out-of-order", ("out-of-order",)),
         ("lost-segment", ("previous segment(s) not captured",)),
         ("dup-ack", ("duplicate ack",)),
         ("keep-alive", ("tcp keep-alive segment",)),
         ("keep-alive-ack", ("ack to a tcp keep-alive",)),
         ("zero-window", ("zero window segment", "zero window.")),
         ("window-update", ("window update",))]


def note_names(msgs):
    out = []
    low = [m.lower() for m in msgs.split("|") if m]
    for name, keys in NOTES:
        for m in low:
            if "probe" in m:
                continue
            # "ACK to a TCP keep-alive segment" is not itself a keep-alive
            if any(m.startswith(k) if name == "keep-alive" else k in m for k in keys):
                out.append(name)
                break
    return ",".join(out)


def golden(path):
    cmd = ["tshark", "-n", "-r", path, "-Y", "tcp", "-T", "fields",
           "-E", "separator=/t", "-E", "aggregator=|",
           "-e", "tcp.stream", "-e", "frame.number", "-e", "frame.time_relative",
           "-e", "tcp.flags", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.len",
           "-e", "tcp.window_size_value", "-e", "_ws.expert.message",
           "-e", "tcp.analysis.bytes_in_flight"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rows = ["stream\tframe\ttime\tflags\tseq\tack\tlen\twin\tnotes\tin_flight"]
    for line in res.stdout.splitlines():
        f = line.split("\t")
        f += [""] * (10 - len(f))
        bits = int(f[3], 16)
        names = ",".join(n for b, n in FLAGS if bits & b) or "none"
        ack = f[5] if bits & 0x10 else "-"
        # exact decimal rounding, half up, as tcptutor rounds nanoseconds
        t = str(Decimal(f[2]).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))
        rows.append("\t".join([f[0], f[1], t, names, f[4], ack, f[6], f[7],
                               note_names(f[8]), f[9] or "-"]))
    base = os.path.splitext(path)[0]
    with open(base + ".tsv", "w") as out:
        out.write("\n".join(rows) + "\n")


for p in sys.argv[1:]:
    golden(p)
