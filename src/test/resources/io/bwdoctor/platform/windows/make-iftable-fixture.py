#!/usr/bin/env python3
"""Writes iftable.bin: a MIB_IF_TABLE2 as GetIfTable2 returns it on x64 Windows (ULONG NumEntries, 4 bytes of
padding, then MIB_IF_ROW2 rows of 1352 bytes), for a Windows Server cloud VM with its NIC "Ethernet", the loopback and
a WFP filter interface. The bytes are not packed by hand: the rows are C initializers compiled by the mingw-w64
cross-compiler against its own netioapi.h, and the initialised data section is copied out with objcopy, so every
offset comes from the headers, independently of the Java layout that decodes it (IfTableTest).
Needs x86_64-w64-mingw32-gcc and x86_64-w64-mingw32-objcopy; nothing runs on Windows.
Run: python3 make-iftable-fixture.py
"""
import subprocess
import tempfile

SOURCE = r"""
#define _WIN32_WINNT 0x0A00
#define NTDDI_VERSION 0x0A000000
#include <winsock2.h>
#include <ws2ipdef.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>

struct table3 { ULONG NumEntries; MIB_IF_ROW2 Table[3]; };

__attribute__((section(".fixture"), used)) struct table3 fixture = { 3, {
  { .InterfaceLuid = { .Value = 0x0006000000000000ULL }, .InterfaceIndex = 12, .Alias = L"Ethernet",
    .Description = L"Amazon Elastic Network Adapter", .Mtu = 9001, .Type = IF_TYPE_ETHERNET_CSMACD,
    .OperStatus = IfOperStatusUp, .TransmitLinkSpeed = 25000000000ULL, .ReceiveLinkSpeed = 25000000000ULL,
    .InOctets = 987654321098ULL, .InUcastOctets = 987654000000ULL, .OutOctets = 123456789012345ULL,
    .OutUcastOctets = 123456789000000ULL, .OutQLen = 7 },
  { .InterfaceLuid = { .Value = 0x0018000000000000ULL }, .InterfaceIndex = 1,
    .Alias = L"Loopback Pseudo-Interface 1", .Description = L"Software Loopback Interface 1",
    .Mtu = 4294967295U, .Type = IF_TYPE_SOFTWARE_LOOPBACK, .OperStatus = IfOperStatusUp,
    .InOctets = 0, .OutOctets = 0 },
  { .InterfaceLuid = { .Value = 0x0006000000010000ULL }, .InterfaceIndex = 13,
    .Alias = L"Ethernet-WFP Native MAC Layer LightWeight Filter-0000",
    .Description = L"Amazon Elastic Network Adapter-WFP Native MAC Layer LightWeight Filter-0000",
    .Type = IF_TYPE_ETHERNET_CSMACD, .OperStatus = IfOperStatusUp,
    .InOctets = 987654321098ULL, .OutOctets = 123456789012345ULL },
} };
"""

with tempfile.TemporaryDirectory() as d:
    open(d + "/iftable.c", "w").write(SOURCE)
    subprocess.run(["x86_64-w64-mingw32-gcc", "-c", "-O0", "-o", d + "/iftable.o", d + "/iftable.c"], check=True)
    subprocess.run(["x86_64-w64-mingw32-objcopy", "-O", "binary", "--only-section=.fixture",
                    d + "/iftable.o", "iftable.bin"], check=True)

size = len(open("iftable.bin", "rb").read())
assert size == 8 + 3 * 1352, size
print("iftable.bin", size, "bytes")
