#!/usr/bin/env python3
"""Bounded traffic generators for the attribution scenarios (run inside test network namespaces only).

Each mode stops by itself (count and time bounded) and prints what it did as one JSON line.
  udp-send DST PORT COUNT SIZE [LINGER]  COUNT datagrams of SIZE payload bytes, then keep the socket LINGER s
  udp-sink PORT SECONDS               receive datagrams for SECONDS
  tcp-sink PORT SECONDS               accept connections and read them to the end, for SECONDS
  tcp-source PORT SECONDS BYTES       accept connections and send BYTES to each, for SECONDS
  tcp-send DST PORT BYTES [LINGER]    connect, wait LINGER seconds (default 0.3), send BYTES, close
  tcp-recv DST PORT                   connect, read to the end
  tcp-short DST PORT N BYTES          N short-lived child processes, each connects, sends BYTES and exits
  udp-fanout DST PORT N SIZE          one datagram of SIZE bytes to each of N ports PORT..PORT+N-1
  udp-sinks PORT N SECONDS            bind N UDP ports PORT..PORT+N-1 and drain them for SECONDS
  icmp-echo DST COUNT SIZE            COUNT echo requests with SIZE payload bytes (raw socket), 10 ms apart
"""
import json, os, socket, struct, sys, threading, time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def serve(port, seconds, handler):
    srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.bind(("::", port))
    srv.listen(512)
    srv.settimeout(0.2)
    end = time.time() + seconds
    total = [0]
    while time.time() < end:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=handler, args=(conn, total), daemon=True).start()
    print(json.dumps({"pid": os.getpid(), "bytes": total[0]}), flush=True)


def sink(conn, total):
    conn.settimeout(10)
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            total[0] += len(data)
    except OSError:
        pass
    conn.close()


def main():
    mode = sys.argv[1]
    if mode == "udp-send":
        dst, port, count, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        s = socket.socket(family(dst), socket.SOCK_DGRAM)
        payload = bytes(size)
        for i in range(count):
            s.sendto(payload, (dst, port))
            if i % 100 == 99:
                time.sleep(0.005)
        if len(sys.argv) > 6:
            time.sleep(float(sys.argv[6]))  # a sender that outlives its last datagram (not a millisecond process)
        print(json.dumps({"pid": os.getpid(), "sent": count}), flush=True)
    elif mode == "udp-sink":
        port, seconds = int(sys.argv[2]), float(sys.argv[3])
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", port))
        s.settimeout(0.2)
        end, n = time.time() + seconds, 0
        while time.time() < end:
            try:
                s.recv(65536)
                n += 1
            except socket.timeout:
                pass
        print(json.dumps({"pid": os.getpid(), "received": n}), flush=True)
    elif mode == "tcp-sink":
        serve(int(sys.argv[2]), float(sys.argv[3]), sink)
    elif mode == "tcp-source":
        nbytes = int(sys.argv[4])

        def source(conn, total):
            try:
                conn.sendall(bytes(nbytes))
                total[0] += nbytes
            except OSError:
                pass
            conn.close()
        serve(int(sys.argv[2]), float(sys.argv[3]), source)
    elif mode == "tcp-send":
        dst, port, nbytes = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        linger = float(sys.argv[5]) if len(sys.argv) > 5 else 0.3
        s = socket.create_connection((dst, port), timeout=10)
        time.sleep(linger)  # a bulk sender lives longer than its handshake; short-lived ones are tcp-short
        s.sendall(bytes(nbytes))
        s.close()
        print(json.dumps({"pid": os.getpid(), "sent": nbytes}), flush=True)
    elif mode == "tcp-recv":
        dst, port = sys.argv[2], int(sys.argv[3])
        s = socket.create_connection((dst, port), timeout=10)
        time.sleep(0.3)
        n = 0
        while True:
            data = s.recv(65536)
            if not data:
                break
            n += len(data)
        print(json.dumps({"pid": os.getpid(), "received": n}), flush=True)
    elif mode == "tcp-short":
        dst, port, count, nbytes = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        pids = []
        for _ in range(count):
            pid = os.fork()
            if pid == 0:
                try:
                    s = socket.create_connection((dst, port), timeout=10)
                    s.sendall(bytes(nbytes))
                    s.close()
                finally:
                    os._exit(0)
            pids.append(pid)
            os.waitpid(pid, 0)
        print(json.dumps({"pid": os.getpid(), "children": pids}), flush=True)
    elif mode == "udp-fanout":
        dst, port, count, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        s = socket.socket(family(dst), socket.SOCK_DGRAM)
        payload = bytes(size)
        for i in range(count):
            s.sendto(payload, (dst, port + i))
            if i % 100 == 99:
                time.sleep(0.005)
        if len(sys.argv) > 6:
            time.sleep(float(sys.argv[6]))  # a sender that outlives its last datagram (not a millisecond process)
        print(json.dumps({"pid": os.getpid(), "sent": count}), flush=True)
    elif mode == "udp-sinks":
        import resource, select
        port, count, seconds = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
        resource.setrlimit(resource.RLIMIT_NOFILE, (count + 64, count + 64))
        socks = []
        for i in range(count):
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(("::", port + i))
            s.setblocking(False)
            socks.append(s)
        poller = select.epoll()
        for s in socks:
            poller.register(s.fileno(), select.EPOLLIN)
        by_fd = {s.fileno(): s for s in socks}
        end, n = time.time() + seconds, 0
        while time.time() < end:
            for fd, _ in poller.poll(0.2):
                try:
                    while True:
                        by_fd[fd].recv(65536)
                        n += 1
                except BlockingIOError:
                    pass
        print(json.dumps({"pid": os.getpid(), "received": n}), flush=True)
    elif mode == "icmp-echo":
        dst, count, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.settimeout(0.01)

        def checksum(b):
            b += b"\0" * (len(b) & 1)
            t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
            t = (t >> 16) + (t & 0xffff)
            return ~(t + (t >> 16)) & 0xffff
        for seq in range(count):
            body = struct.pack("!HH", os.getpid() & 0xffff, seq) + bytes(size)
            s.sendto(struct.pack("!BBH", 8, 0, checksum(b"\x08\0\0\0" + body)) + body, (dst, 0))
            try:
                s.recv(65536)
            except socket.timeout:
                pass
            time.sleep(0.01)
        print(json.dumps({"pid": os.getpid(), "sent": count}), flush=True)
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
