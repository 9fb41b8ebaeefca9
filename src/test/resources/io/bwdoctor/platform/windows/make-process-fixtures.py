#!/usr/bin/env python3
"""Writes buffers as the Win32 process APIs fill them on x64 Windows, from rows of windows-processes.tsv:
  processentry-svchost.bin  PROCESSENTRY32W after Process32NextW (dwSize 568, szExeFile WCHAR[260])
  cmdline-miner.bin         NtQueryInformationProcess(ProcessCommandLineInformation): UNICODE_STRING + text; the
                            Buffer pointer points into the same buffer, whose address is BASE_CMDLINE
  services.bin              EnumServicesStatusExW(SC_ENUM_PROCESS_INFO): ENUM_SERVICE_STATUS_PROCESSW[] then the
                            strings they point to; buffer address BASE_SERVICES
Independent of the Java readers: struct.pack with the documented x64 layouts.
Run: python3 make-process-fixtures.py
"""
import struct

BASE_CMDLINE = 0x000001D2C3A40000
BASE_SERVICES = 0x000001D2C3B50000

rows = [l.rstrip("\n").split("\t") for l in open("windows-processes.tsv") if not l.startswith("#")][1:]
by_pid = {int(r[0]): r for r in rows}

# PROCESSENTRY32W: dwSize, cntUsage, th32ProcessID, [pad], th32DefaultHeapID (ULONG_PTR), th32ModuleID, cntThreads,
# th32ParentProcessID, pcPriClassBase, dwFlags, szExeFile[260], [pad]
svc = by_pid[1108]
name = svc[2].encode("utf-16-le")
entry = struct.pack("<III4xQIIIiI", 568, 0, 1108, 0, 0, 17, int(svc[1]), 8, 0) + name + b"\0" * (520 - len(name)) + b"\0" * 4
assert len(entry) == 568
open("processentry-svchost.bin", "wb").write(entry)

# UNICODE_STRING { USHORT Length; USHORT MaximumLength; [pad 4]; PWSTR Buffer } followed by the text
text = by_pid[4440][12].encode("utf-16-le")
open("cmdline-miner.bin", "wb").write(struct.pack("<HH4xQ", len(text), len(text) + 2, BASE_CMDLINE + 16) + text + b"\0\0")

# ENUM_SERVICE_STATUS_PROCESSW { LPWSTR lpServiceName; LPWSTR lpDisplayName; SERVICE_STATUS_PROCESS (9 DWORDs); [pad 4] }
services = []
for r in rows:
    if r[6] != "-":
        for s in r[6].split(","):
            services.append((s, s + " service", int(r[0])))
services.append(("TrustedInstaller", "Windows Modules Installer", 0))  # start pending: no process yet
strings = b""
offsets = []
table_size = 56 * len(services)
for s, d, pid in services:
    n = len(strings)
    strings += s.encode("utf-16-le") + b"\0\0"
    m = len(strings)
    strings += d.encode("utf-16-le") + b"\0\0"
    offsets.append((n, m))
buf = b""
for (s, d, pid), (n, m) in zip(services, offsets):
    # dwServiceType 0x20/0x10, dwCurrentState SERVICE_RUNNING 4, dwControlsAccepted, exit codes, checkpoint, wait hint
    buf += struct.pack("<QQIIIIIIIII4x", BASE_SERVICES + table_size + n, BASE_SERVICES + table_size + m,
                       0x20 if pid else 0x10, 4 if pid else 2, 0x1, 0, 0, 0, 0, pid, 0)
assert len(buf) == table_size
open("services.bin", "wb").write(buf + strings)
print(len(services), "services")
