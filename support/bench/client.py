# SPDX-License-Identifier: BSD-3-Clause
"""The benchmarks' host-side client: TCP throughput and connection rate
against tcpsink.c, and the readiness probes of every server.

    python3 -m support.bench.client sink HOST PORT BYTES
    python3 -m support.bench.client source HOST PORT BYTES
    python3 -m support.bench.client rate HOST PORT SECONDS
        [--server-closes] [--timeout T]
    python3 -m support.bench.client ping HOST PORT
    python3 -m support.bench.client quit HOST PORT
    python3 -m support.bench.client stdio

Each prints one JSON object:

  sink     BYTES written into the server ("sink\\n", the data,
           shutdown(SHUT_WR)); {"seconds": t} from before connect()
           until the server's count of bytes arrives, which it sends once
           it has read them all (checked against BYTES)
  source   BYTES read from the server ("source N\\n"); {"seconds": t}
           from before connect() to the last byte
  rate     one connection after another for SECONDS: connect, "ping\\n",
           read "pong\\n", close (the client closes first; the server
           closes once it sees the client's FIN); {"conns": n, "errors":
           e, "seconds": elapsed, "us": [duration of each connection],
           "error_lines": [...]}. A connection that fails or takes more
           than T seconds (default 5) counts as an error. With
           --server-closes the request is "pingclose": the server
           answers and closes first, the client reads up to its FIN
  ping     one "ping\\n" answered "pong\\n" (tcpsink's readiness); {}
  get      {"op": "get", "url": URL} (stdio only): one HTTP GET;
           {"status": code, "sha256": of the body, "body": the body
           as text when it is at most 4 KiB, else null} (a web server's
           readiness and the check that it serves the right page)
  quit     makes the server exit ("quit\\n", answered "bye\\n")
  stdio    reads one JSON request a line ({"op": "sink", "host": ...,
           "port": ..., "bytes": ...}, the same for the others with
           "seconds", "server_closes", "timeout") and answers each with
           one JSON line: the benchmarks keep one client running inside the
           benchmark's network namespace this way (harness.Client)

In every test the client closes first except with --server-closes (see
tcpsink.c for why that matters). Standard library only.
"""
import argparse
import json
import socket
import sys
import time

CHUNK = 1 << 20


def connect(host, port, timeout=60):
    s = socket.create_connection((host, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_line(s):
    out = b""
    while not out.endswith(b"\n"):
        b = s.recv(64)
        if not b:
            break
        out += b
    return out


def read_all(s):
    out = b""
    while True:
        b = s.recv(64)
        if not b:
            return out
        out += b


def sink(host, port, nbytes):
    data = memoryview(b"\xa5" * CHUNK)
    t0 = time.perf_counter()
    s = connect(host, port)
    s.sendall(b"sink\n")
    left = nbytes
    while left:
        n = min(left, CHUNK)
        s.sendall(data[:n])
        left -= n
    s.shutdown(socket.SHUT_WR)
    reply = read_line(s)
    t = time.perf_counter() - t0
    s.close()
    if reply.strip() != str(nbytes).encode():
        raise RuntimeError("sink answered %r for %d bytes" % (reply, nbytes))
    return {"seconds": t}


def source(host, port, nbytes):
    buf = bytearray(CHUNK)
    t0 = time.perf_counter()
    s = connect(host, port)
    s.sendall(b"source %d\n" % nbytes)
    got = 0
    while got < nbytes:
        n = s.recv_into(buf)
        if not n:
            break
        got += n
    t = time.perf_counter() - t0
    s.close()
    if got != nbytes:
        raise RuntimeError("source sent %d bytes of %d" % (got, nbytes))
    return {"seconds": t}


def ping(host, port, server_closes, timeout):
    s = connect(host, port, timeout)
    try:
        if server_closes:
            s.sendall(b"pingclose\n")
            reply = read_all(s)
        else:
            s.sendall(b"ping\n")
            reply = read_line(s)
    finally:
        s.close()
    if reply != b"pong\n":
        raise RuntimeError("ping answered %r" % reply)


def rate(host, port, seconds, server_closes=False, timeout=5.0):
    us, lines = [], []
    start = time.perf_counter()
    end = start + seconds
    while True:
        t0 = time.perf_counter()
        if t0 >= end:
            break
        try:
            ping(host, port, server_closes, timeout)
        except (OSError, RuntimeError) as e:
            lines.append("connection %d after %.1f s: %s"
                         % (len(us) + len(lines) + 1, t0 - start, e))
            continue
        us.append(int((time.perf_counter() - t0) * 1e6))
    return {"conns": len(us), "errors": len(lines),
            "seconds": time.perf_counter() - start, "us": us,
            "error_lines": lines}


def quit(host, port, timeout=5.0):
    """A new connection may be held up by a TIME_WAIT the server keeps
    from an earlier one (--server-closes), so this tries again."""
    notes = []
    for _ in range(5):
        try:
            s = connect(host, port, timeout)
            s.sendall(b"quit\n")
            reply = read_line(s)
            s.close()
            if reply == b"bye\n":
                return {"notes": notes}
            notes.append("quit answered %r" % reply)
        except OSError as e:
            notes.append("quit: %s" % e)
    raise RuntimeError("the server did not take quit: " + "; ".join(notes))


def get(url, timeout=10.0):
    import hashlib
    import urllib.request
    with urllib.request.urlopen(url, timeout=timeout) as r:
        data = r.read()
        return {"status": r.status,
                "sha256": hashlib.sha256(data).hexdigest(),
                "body": data.decode(errors="replace")
                if len(data) <= 4096 else None}


def do(req):
    if req["op"] == "get":
        return get(req["url"], float(req.get("timeout", 10)))
    op, host, port = req["op"], req["host"], int(req["port"])
    if op == "ping":
        ping(host, port, False, float(req.get("timeout", 5)))
        return {}
    if op == "sink":
        return sink(host, port, int(req["bytes"]))
    if op == "source":
        return source(host, port, int(req["bytes"]))
    if op == "rate":
        return rate(host, port, float(req["seconds"]),
                    bool(req.get("server_closes")),
                    float(req.get("timeout", 5)))
    if op == "quit":
        return quit(host, port, float(req.get("timeout", 5)))
    raise RuntimeError("unknown op %r" % op)


def stdio():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            r = do(json.loads(line))
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            r = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(r) + "\n")
        sys.stdout.flush()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("op", choices=["sink", "source", "rate", "ping",
                                   "quit", "stdio"])
    ap.add_argument("host", nargs="?")
    ap.add_argument("port", nargs="?", type=int)
    ap.add_argument("amount", nargs="?", type=float,
                    help="bytes (sink, source) or seconds (rate)")
    ap.add_argument("--server-closes", action="store_true")
    ap.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args()
    if a.op == "stdio":
        return stdio()
    if a.host is None or a.port is None or \
            (a.op not in ("quit", "ping") and a.amount is None):
        ap.error("%s needs HOST PORT%s" % (a.op, "" if a.op in ("quit", "ping")
                                           else " and an amount"))
    req = {"op": a.op, "host": a.host, "port": a.port,
           "bytes": a.amount or 0, "seconds": a.amount or 0,
           "server_closes": a.server_closes, "timeout": a.timeout}
    try:
        print(json.dumps(do(req)))
    except (OSError, RuntimeError) as e:
        sys.stderr.write("tcp client: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
