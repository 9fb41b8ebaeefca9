#!/usr/bin/env python3
"""Records the offsets and sizes of the Windows structures bwdoctor reads, as the mingw-w64 headers declare them for
x86_64 Windows, into windows-layouts.tsv. Needs x86_64-w64-mingw32-gcc (Debian: gcc-mingw-w64-x86-64); it only
compiles (-S), nothing runs. WindowsLayoutTest compares the Java FFM layouts with this file.
mingw-w64 10 declares WINTRUST_DATA without the Windows 8 member pSignatureSettings (documented at offset 80,
making the structure 88 bytes); the test accounts for that one difference.
Run: python3 make-layout-fixture.py
"""
import re
import subprocess
import tempfile

STRUCTS = {
    "MIB_TCPROW_OWNER_PID": "dwState dwLocalAddr dwLocalPort dwRemoteAddr dwRemotePort dwOwningPid",
    "MIB_TCP6ROW_OWNER_PID": "ucLocalAddr dwLocalScopeId dwLocalPort ucRemoteAddr dwRemoteScopeId dwRemotePort dwState dwOwningPid",
    "MIB_UDPROW_OWNER_PID": "dwLocalAddr dwLocalPort dwOwningPid",
    "MIB_UDP6ROW_OWNER_PID": "ucLocalAddr dwLocalScopeId dwLocalPort dwOwningPid",
    "MIB_TCPTABLE_OWNER_PID": "dwNumEntries table",
    "MIB_TCP6TABLE_OWNER_PID": "dwNumEntries table",
    "MIB_UDPTABLE_OWNER_PID": "dwNumEntries table",
    "MIB_UDP6TABLE_OWNER_PID": "dwNumEntries table",
    "MIB_TCPROW": "dwState dwLocalAddr dwLocalPort dwRemoteAddr dwRemotePort",
    "MIB_TCP6ROW": "State LocalAddr dwLocalScopeId dwLocalPort RemoteAddr dwRemoteScopeId dwRemotePort",
    "TCP_ESTATS_DATA_RW_v0": "EnableCollection",
    "TCP_ESTATS_DATA_ROD_v0": "DataBytesOut DataSegsOut DataBytesIn DataSegsIn SegsOut SegsIn SoftErrors SoftErrorReason SndUna SndNxt SndMax ThruBytesAcked RcvNxt ThruBytesReceived",
    "PROCESSENTRY32W": "dwSize cntUsage th32ProcessID th32DefaultHeapID th32ModuleID cntThreads th32ParentProcessID pcPriClassBase dwFlags szExeFile",
    "SERVICE_STATUS_PROCESS": "dwServiceType dwCurrentState dwControlsAccepted dwWin32ExitCode dwServiceSpecificExitCode dwCheckPoint dwWaitHint dwProcessId dwServiceFlags",
    "ENUM_SERVICE_STATUS_PROCESSW": "lpServiceName lpDisplayName ServiceStatusProcess",
    "UNICODE_STRING": "Length MaximumLength Buffer",
    "SID_AND_ATTRIBUTES": "Sid Attributes",
    "TOKEN_USER": "User",
    "FILETIME": "dwLowDateTime dwHighDateTime",
    "GUID": "Data1 Data2 Data3 Data4",
    "WINTRUST_FILE_INFO": "cbStruct pcwszFilePath hFile pgKnownSubject",
    "WINTRUST_CATALOG_INFO": "cbStruct dwCatalogVersion pcwszCatalogFilePath pcwszMemberTag pcwszMemberFilePath hMemberFile pbCalculatedFileHash cbCalculatedFileHash pcCatalogContext hCatAdmin",
    "WINTRUST_DATA": "cbStruct pPolicyCallbackData pSIPClientData dwUIChoice fdwRevocationChecks dwUnionChoice pFile dwStateAction hWVTStateData pwszURLReference dwProvFlags dwUIContext",
    "CATALOG_INFO": "cbStruct wszCatalogFile",
    "MIB_IF_ROW2": "InterfaceLuid InterfaceIndex Alias OperStatus InOctets OutOctets",
    "MIB_IF_TABLE2": "NumEntries Table",
    "CRYPT_PROVIDER_CERT": "cbStruct pCert fCommercial fTrustedRoot fSelfSigned fTestCert dwRevokedReason dwConfidence dwError pTrustListContext fTrustListSignerCert pCtlContext dwCtlError fIsCyclic pChainElement",
}

HEADER = """#define _WIN32_WINNT 0x0A00
#define NTDDI_VERSION 0x0A000000
#include <winsock2.h>
#include <ws2ipdef.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <tcpestats.h>
#include <tlhelp32.h>
#include <winsvc.h>
#include <winternl.h>
#include <wintrust.h>
#include <mscat.h>
#include <stddef.h>
"""

names = []
src = [HEADER]
for struct, fields in STRUCTS.items():
    names.append((struct, "(size)"))
    src.append(f"const unsigned long long v{len(names) - 1} = sizeof({struct});")
    for f in fields.split():
        names.append((struct, f))
        src.append(f"const unsigned long long v{len(names) - 1} = offsetof({struct}, {f});")

with tempfile.TemporaryDirectory() as d:
    c = d + "/layouts.c"
    open(c, "w").write("\n".join(src) + "\n")
    subprocess.run(["x86_64-w64-mingw32-gcc", "-S", "-O0", "-o", d + "/layouts.s", c], check=True)
    asm = open(d + "/layouts.s").read()

values = {}
current = None
for line in asm.splitlines():
    m = re.match(r"^v(\d+):", line)
    if m:
        current = int(m.group(1))
        continue
    m = re.match(r"^\s+\.quad\s+(\d+)", line)
    if m and current is not None:
        values[current] = int(m.group(1))
        current = None
    elif current is not None and re.match(r"^\s+\.space\s+8", line):  # gcc writes a zero as .space 8
        values[current] = 0
        current = None

version = subprocess.run(["x86_64-w64-mingw32-gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
with open("windows-layouts.tsv", "w") as out:
    out.write(f"# struct\tfield\tvalue  (offsetof / sizeof from the mingw-w64 headers, x86_64: {version})\n")
    for i, (struct, field) in enumerate(names):
        out.write(f"{struct}\t{field}\t{values[i]}\n")
