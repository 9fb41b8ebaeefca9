package io.bwdoctor.platform.windows;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FFM layouts against (1) the sizes the Windows SDK documentation implies and (2) every offset and size the
 * mingw-w64 headers give for x86_64 Windows (windows-layouts.tsv, recorded by make-layout-fixture.py with the
 * cross-compiler); and the downcall descriptors against the documented prototypes.
 */
class WindowsLayoutTest {
    private static final Map<String, StructLayout> JAVA = new HashMap<>();

    static {
        for (StructLayout s : List.of(IpHelperLayouts.MIB_TCPROW_OWNER_PID, IpHelperLayouts.MIB_TCP6ROW_OWNER_PID,
                IpHelperLayouts.MIB_UDPROW_OWNER_PID, IpHelperLayouts.MIB_UDP6ROW_OWNER_PID, IpHelperLayouts.MIB_TCPROW,
                IpHelperLayouts.MIB_TCP6ROW, IpHelperLayouts.TCP_ESTATS_DATA_RW_v0,
                IpHelperLayouts.TCP_ESTATS_DATA_ROD_v0)) {
            JAVA.put(s.name().orElseThrow(), s);
        }
        JAVA.put("MIB_TCPTABLE_OWNER_PID", IpHelperLayouts.table(IpHelperLayouts.MIB_TCPROW_OWNER_PID));
        JAVA.put("MIB_TCP6TABLE_OWNER_PID", IpHelperLayouts.table(IpHelperLayouts.MIB_TCP6ROW_OWNER_PID));
        JAVA.put("MIB_UDPTABLE_OWNER_PID", IpHelperLayouts.table(IpHelperLayouts.MIB_UDPROW_OWNER_PID));
        JAVA.put("MIB_UDP6TABLE_OWNER_PID", IpHelperLayouts.table(IpHelperLayouts.MIB_UDP6ROW_OWNER_PID));
        Win32Layouts.ALL.forEach(s -> JAVA.put(s.name().orElseThrow(), s));
        JAVA.put("MIB_IF_ROW2", IfTable.MIB_IF_ROW2);
        JAVA.put("MIB_IF_TABLE2", IfTable.MIB_IF_TABLE2);
    }

    @Test
    void documentedSizes() {
        assertThat(IpHelperLayouts.MIB_TCPROW_OWNER_PID.byteSize()).isEqualTo(24);
        assertThat(IpHelperLayouts.MIB_TCP6ROW_OWNER_PID.byteSize()).isEqualTo(56);
        assertThat(IpHelperLayouts.MIB_UDPROW_OWNER_PID.byteSize()).isEqualTo(12);
        assertThat(IpHelperLayouts.MIB_UDP6ROW_OWNER_PID.byteSize()).isEqualTo(28);
        assertThat(IpHelperLayouts.MIB_TCPROW.byteSize()).isEqualTo(20);
        assertThat(IpHelperLayouts.MIB_TCP6ROW.byteSize()).isEqualTo(52);
        assertThat(IpHelperLayouts.TCP_ESTATS_DATA_RW_v0.byteSize()).isEqualTo(1);
        assertThat(IpHelperLayouts.TCP_ESTATS_DATA_ROD_v0.byteSize()).isEqualTo(96);
        assertThat(IpHelperLayouts.TABLE_ROWS).isEqualTo(4);
        assertThat(Win32Layouts.PROCESSENTRY32W.byteSize()).isEqualTo(568);
        assertThat(Win32Layouts.WINTRUST_DATA.byteSize()).isEqualTo(88);
        assertThat(Win32Layouts.WINTRUST_FILE_INFO.byteSize()).isEqualTo(32);
        assertThat(Win32Layouts.CATALOG_INFO.byteSize()).isEqualTo(524);
        assertThat(IfTable.MIB_IF_ROW2.byteSize()).isEqualTo(1352);
    }

    @Test
    void everyOffsetAndSizeMatchesTheMingwHeaders() {
        List<String> rows = Fixtures.lines("windows-layouts.tsv");
        assertThat(rows).hasSizeGreaterThan(150);
        Set<String> seen = new HashSet<>();
        for (String line : rows) {
            String[] f = line.split("\t");
            StructLayout layout = JAVA.get(f[0]);
            assertThat(layout).as("a Java layout for " + f[0]).isNotNull();
            long expected = Long.parseLong(f[2]);
            if (f[1].equals("(size)")) {
                // mingw-w64 10 declares WINTRUST_DATA without the Windows 8 member pSignatureSettings (one pointer)
                long extra = f[0].equals("WINTRUST_DATA") ? 8 : 0;
                assertThat(layout.byteSize()).as("sizeof(" + f[0] + ")").isEqualTo(expected + extra);
            } else {
                assertThat(IpHelperLayouts.offset(layout, f[1])).as("offsetof(" + f[0] + ", " + f[1] + ")")
                        .isEqualTo(expected);
                seen.add(f[0] + "." + f[1]);
            }
        }
        // and no Java field is left unchecked (but the one mingw lacks, checked against the documentation instead)
        for (var e : JAVA.entrySet()) {
            for (MemoryLayout m : e.getValue().memberLayouts()) {
                m.name().ifPresent(n -> {
                    if (!(e.getKey() + "." + n).equals("WINTRUST_DATA.pSignatureSettings")) {
                        assertThat(seen).as("checked field").contains(e.getKey() + "." + n);
                    }
                });
            }
        }
        assertThat(IpHelperLayouts.offset(Win32Layouts.WINTRUST_DATA, "pSignatureSettings")).isEqualTo(80);
    }

    /** P = pointer, I = 32-bit integer (DWORD, ULONG, BOOL, enum); the first letter is the return type. */
    private static String shape(FunctionDescriptor d) {
        String args = d.argumentLayouts().stream().map(WindowsLayoutTest::letter).collect(Collectors.joining());
        return d.returnLayout().map(WindowsLayoutTest::letter).orElse("V") + "(" + args + ")";
    }

    private static String letter(MemoryLayout l) {
        if (l instanceof java.lang.foreign.AddressLayout) return "P";
        if (l.equals(ValueLayout.JAVA_INT)) return "I";
        if (l.equals(ValueLayout.JAVA_SHORT)) return "S";
        if (l.equals(ValueLayout.JAVA_LONG)) return "J";
        return "?" + l;
    }

    @Test
    void downcallDescriptorsFollowThePrototypes() {
        // DWORD GetExtendedTcpTable(PVOID, PDWORD, BOOL, ULONG, TCP_TABLE_CLASS, ULONG) (same shape for UDP)
        assertThat(shape(IpHelper.GET_EXTENDED_TABLE)).isEqualTo("I(PPIIII)");
        // ULONG GetPerTcpConnectionEStats(PMIB_TCPROW, TCP_ESTATS_TYPE, PUCHAR, ULONG, ULONG, PUCHAR, ULONG, ULONG, PUCHAR, ULONG, ULONG)
        assertThat(shape(IpHelper.GET_ESTATS)).isEqualTo("I(PIPIIPIIPII)");
        // ULONG SetPerTcpConnectionEStats(PMIB_TCPROW, TCP_ESTATS_TYPE, PUCHAR, ULONG, ULONG, ULONG)
        assertThat(shape(IpHelper.SET_ESTATS)).isEqualTo("I(PIPIII)");
        Win32.DESCRIPTORS.forEach((name, d) -> assertThat(shape(d)).as(name).isEqualTo(PROTOTYPES.get(name)));
        assertThat(Win32.DESCRIPTORS.keySet()).isEqualTo(PROTOTYPES.keySet());
    }

    /** The documented prototypes (learn.microsoft.com), reduced to P/I shapes; HANDLE, LP*, P* are pointers. */
    private static final Map<String, String> PROTOTYPES = Map.ofEntries(
            // HANDLE CreateToolhelp32Snapshot(DWORD dwFlags, DWORD th32ProcessID)
            Map.entry("CreateToolhelp32Snapshot", "P(II)"),
            // BOOL Process32FirstW(HANDLE hSnapshot, LPPROCESSENTRY32W lppe); Process32NextW the same
            Map.entry("Process32FirstW", "I(PP)"), Map.entry("Process32NextW", "I(PP)"),
            // HANDLE OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)
            Map.entry("OpenProcess", "P(III)"),
            // BOOL CloseHandle(HANDLE hObject)
            Map.entry("CloseHandle", "I(P)"),
            // BOOL QueryFullProcessImageNameW(HANDLE hProcess, DWORD dwFlags, LPWSTR lpExeName, PDWORD lpdwSize)
            Map.entry("QueryFullProcessImageNameW", "I(PIPP)"),
            // BOOL GetProcessTimes(HANDLE, LPFILETIME lpCreationTime, LPFILETIME lpExitTime, LPFILETIME lpKernelTime, LPFILETIME lpUserTime)
            Map.entry("GetProcessTimes", "I(PPPPP)"),
            // NTSTATUS NtQueryInformationProcess(HANDLE, PROCESSINFOCLASS, PVOID, ULONG, PULONG)
            Map.entry("NtQueryInformationProcess", "I(PIPIP)"),
            // BOOL OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
            Map.entry("OpenProcessToken", "I(PIP)"),
            // BOOL GetTokenInformation(HANDLE, TOKEN_INFORMATION_CLASS, LPVOID, DWORD, PDWORD)
            Map.entry("GetTokenInformation", "I(PIPIP)"),
            // BOOL LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName,
            //                        LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
            Map.entry("LookupAccountSidW", "I(PPPPPPP)"),
            // SC_HANDLE OpenSCManagerW(LPCWSTR lpMachineName, LPCWSTR lpDatabaseName, DWORD dwDesiredAccess)
            Map.entry("OpenSCManagerW", "P(PPI)"),
            // BOOL EnumServicesStatusExW(SC_HANDLE, SC_ENUM_TYPE InfoLevel, DWORD dwServiceType, DWORD dwServiceState,
            //      LPBYTE lpServices, DWORD cbBufSize, LPDWORD pcbBytesNeeded, LPDWORD lpServicesReturned,
            //      LPDWORD lpResumeHandle, LPCWSTR pszGroupName)
            Map.entry("EnumServicesStatusExW", "I(PIIIPIPPPP)"),
            // BOOL CloseServiceHandle(SC_HANDLE hSCObject)
            Map.entry("CloseServiceHandle", "I(P)"),
            // LONG WinVerifyTrust(HWND hwnd, GUID *pgActionID, LPVOID pWVTData)
            Map.entry("WinVerifyTrust", "I(PPP)"),
            // BOOL CryptCATAdminAcquireContext2(HCATADMIN *phCatAdmin, const GUID *pgSubsystem, PCWSTR pwszHashAlgorithm,
            //                                   PCCERT_STRONG_SIGN_PARA pStrongHashPolicy, DWORD dwFlags)
            Map.entry("CryptCATAdminAcquireContext2", "I(PPPPI)"),
            // BOOL CryptCATAdminCalcHashFromFileHandle2(HCATADMIN, HANDLE hFile, DWORD *pcbHash, BYTE *pbHash, DWORD dwFlags)
            Map.entry("CryptCATAdminCalcHashFromFileHandle2", "I(PPPPI)"),
            // HCATINFO CryptCATAdminEnumCatalogFromHash(HCATADMIN, BYTE *pbHash, DWORD cbHash, DWORD dwFlags, HCATINFO *phPrevCatInfo)
            Map.entry("CryptCATAdminEnumCatalogFromHash", "P(PPIIP)"),
            // BOOL CryptCATCatalogInfoFromContext(HCATINFO hCatInfo, CATALOG_INFO *psCatInfo, DWORD dwFlags)
            Map.entry("CryptCATCatalogInfoFromContext", "I(PPI)"),
            // BOOL CryptCATAdminReleaseCatalogContext(HCATADMIN, HCATINFO, DWORD dwFlags)
            Map.entry("CryptCATAdminReleaseCatalogContext", "I(PPI)"),
            // BOOL CryptCATAdminReleaseContext(HCATADMIN hCatAdmin, DWORD dwFlags)
            Map.entry("CryptCATAdminReleaseContext", "I(PI)"),
            // CRYPT_PROVIDER_DATA *WTHelperProvDataFromStateData(HANDLE hStateData)
            Map.entry("WTHelperProvDataFromStateData", "P(P)"),
            // CRYPT_PROVIDER_SGNR *WTHelperGetProvSignerFromChain(CRYPT_PROVIDER_DATA*, DWORD idxSigner, BOOL fCounterSigner, DWORD idxCounterSigner)
            Map.entry("WTHelperGetProvSignerFromChain", "P(PIII)"),
            // CRYPT_PROVIDER_CERT *WTHelperGetProvCertFromChain(CRYPT_PROVIDER_SGNR *pSgnr, DWORD idxCert)
            Map.entry("WTHelperGetProvCertFromChain", "P(PI)"),
            // DWORD CertGetNameStringW(PCCERT_CONTEXT, DWORD dwType, DWORD dwFlags, void *pvTypePara, LPWSTR pszNameString, DWORD cchNameString)
            Map.entry("CertGetNameStringW", "I(PIIPPI)"),
            // HANDLE CreateFileW(LPCWSTR, DWORD dwDesiredAccess, DWORD dwShareMode, LPSECURITY_ATTRIBUTES,
            //                    DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
            Map.entry("CreateFileW", "P(PIIPIIP)"),
            // DWORD GetFileVersionInfoSizeW(LPCWSTR lptstrFilename, LPDWORD lpdwHandle)
            Map.entry("GetFileVersionInfoSizeW", "I(PP)"),
            // BOOL GetFileVersionInfoW(LPCWSTR lptstrFilename, DWORD dwHandle, DWORD dwLen, LPVOID lpData)
            Map.entry("GetFileVersionInfoW", "I(PIIP)"),
            // BOOL VerQueryValueW(LPCVOID pBlock, LPCWSTR lpSubBlock, LPVOID *lplpBuffer, PUINT puLen)
            Map.entry("VerQueryValueW", "I(PPPP)"));
}
