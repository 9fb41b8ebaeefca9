#!/usr/bin/env python3
"""Bounded actors for the diagnose scenarios (run inside test network namespaces only, documentation addresses).

Every mode prints {"pid": N} first, does its bounded work, then lingers until the epoch time UNTIL (so that the
process is still alive when the diagnosis reads it), and exits by itself.
  serve PORT SIZE UNTIL              TCP server: sends SIZE bytes to each client
  sink PORT UNTIL                    TCP server: reads each client to the end
  fetch HOST PORT N UNTIL            N concurrent clients reading to the end
  upload HOST PORT BYTES UNTIL       one client sending BYTES
  pool PORT UNTIL                    a Stratum pool: answers login with a job, submit with OK
  miner HOST PORT UNTIL              deletes its own executable, logs in with Stratum, submits shares every 0.3 s
  flood PREFIX HOSTS COUNT SIZE UNTIL   COUNT datagrams of SIZE bytes over PREFIX.1..PREFIX.HOSTS, random ports
  paced HOST PORT RATE SECONDS UNTIL    one client sending RATE bytes per second for SECONDS
  hooks PORT FILE UNTIL              HTTP server: appends each POST body as one line to FILE, answers 204
"""
import json, os, random, socket, sys, threading, time


def hello():
    print(json.dumps({"pid": os.getpid()}), flush=True)


def linger(until):
    while time.time() < until:
        time.sleep(0.1)


def server(port, until, handler):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(256)
    srv.settimeout(0.2)
    while time.time() < until:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        conn.settimeout(max(0.5, until - time.time()))
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


def serve_bytes(size):
    def handler(conn):
        try:
            conn.sendall(bytes(size))
        except OSError:
            pass
        conn.close()
    return handler


def drain(conn):
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
    conn.close()


def fetch_one(host, port, until):
    try:
        s = socket.create_connection((host, port), timeout=max(0.5, until - time.time()))
        drain(s)
    except OSError:
        pass


def pool(conn):
    buf = b""
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                if msg.get("method") == "login":
                    reply = {"id": msg["id"], "jsonrpc": "2.0", "error": None, "result": {"id": "1", "status": "OK",
                             "job": {"blob": "00" * 76, "job_id": "j1", "target": "b88d0600", "algo": "rx/0"}}}
                else:
                    reply = {"id": msg.get("id"), "jsonrpc": "2.0", "error": None, "result": {"status": "OK"}}
                conn.sendall(json.dumps(reply).encode() + b"\n")
    except (OSError, ValueError):
        pass
    conn.close()


def miner(host, port, until):
    try:
        os.unlink(sys.executable)  # the copy of the interpreter this "miner" runs from: its exe becomes "(deleted)"
    except OSError:
        pass
    s = socket.create_connection((host, port), timeout=5)
    login = {"id": 1, "jsonrpc": "2.0", "method": "login", "params": {"login": "4" + "A" * 94, "pass": "x",
             "agent": "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0", "algo": ["rx/0"], "rigid": ""}}
    s.sendall(json.dumps(login).encode() + b"\n")
    s.recv(4096)
    n = 2
    while time.time() < until - 0.5:
        submit = {"id": n, "jsonrpc": "2.0", "method": "submit", "params": {"id": "1", "job_id": "j1",
                  "nonce": "%08x" % n, "result": "ab" * 32}}
        s.sendall(json.dumps(submit).encode() + b"\n")
        s.recv(4096)
        n += 1
        time.sleep(0.3)
    s.close()


def flood(prefix, hosts, count, size, until):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = bytes(size)
    targets = ["%s.%d" % (prefix, i) for i in range(1, hosts + 1)]
    rnd = random.Random(7)
    for i in range(count):
        if time.time() > until - 1:
            break
        try:
            s.sendto(payload, (targets[i % hosts], rnd.randint(1024, 65535)))
        except OSError:
            pass


def paced(host, port, rate, seconds):
    s = socket.create_connection((host, port), timeout=5)
    chunk = bytes(rate // 20)
    end = time.time() + seconds
    while time.time() < end:
        t = time.time()
        s.sendall(chunk)
        time.sleep(max(0, 0.05 - (time.time() - t)))
    s.close()


def hooks(port, path, until):
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with open(path, "ab") as f:
                f.write(body.replace(b"\n", b" ") + b"\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = HTTPServer(("0.0.0.0", port), Hook)
    srv.timeout = 0.2
    while time.time() < until:
        srv.handle_request()


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    hello()
    until = float(args[-1])
    if mode == "serve":
        server(int(args[0]), until, serve_bytes(int(args[1])))
    elif mode == "sink":
        server(int(args[0]), until, drain)
    elif mode == "pool":
        server(int(args[0]), until, pool)
    elif mode == "fetch":
        threads = [threading.Thread(target=fetch_one, args=(args[0], int(args[1]), until))
                   for _ in range(int(args[2]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.1, until - time.time()))
    elif mode == "upload":
        s = socket.create_connection((args[0], int(args[1])), timeout=5)
        s.sendall(bytes(int(args[2])))
        s.close()
    elif mode == "paced":
        paced(args[0], int(args[1]), int(args[2]), float(args[3]))
    elif mode == "hooks":
        hooks(int(args[0]), args[1], until)
    elif mode == "miner":
        miner(args[0], int(args[1]), until)
    elif mode == "flood":
        flood(args[0], int(args[1]), int(args[2]), int(args[3]), until)
    else:
        sys.exit("unknown mode " + mode)
    linger(until)


if __name__ == "__main__":
    main()
