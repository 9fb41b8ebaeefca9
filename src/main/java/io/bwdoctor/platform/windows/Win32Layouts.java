package io.bwdoctor.platform.windows;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Process, service and code-signing structures for the Windows x64 ABI (LLP64: DWORD/LONG/BOOL 4 bytes, pointers and
 * handles 8, WCHAR 2), with the padding a C compiler inserts made explicit. Tests compare every offset and size with
 * the values the mingw-w64 headers give (src/test/resources/.../windows-layouts.tsv) and with the documentation.
 *
 * <p>Sources (learn.microsoft.com/windows/win32/api/..., checked 2026-11-30): tlhelp32/ns-tlhelp32-processentry32w;
 * winsvc/ns-winsvc-enum_service_status_processw and ns-winsvc-service_status_process; ntdef UNICODE_STRING
 * (USHORT Length, USHORT MaximumLength, PWSTR Buffer); winnt TOKEN_USER / SID_AND_ATTRIBUTES; minwinbase FILETIME;
 * wintrust/ns-wintrust-wintrust_data, ns-wintrust-wintrust_file_info, ns-wintrust-wintrust_catalog_info,
 * ns-wintrust-crypt_provider_cert; mscat CATALOG_INFO (DWORD cbStruct, WCHAR wszCatalogFile[MAX_PATH]).
 */
public final class Win32Layouts {
    private Win32Layouts() {}

    static final int MAX_PATH = 260;
    private static final ValueLayout.OfInt DWORD = JAVA_INT;
    private static final MemoryLayout PTR = ADDRESS;
    private static final MemoryLayout PAD4 = paddingLayout(4);

    public static final StructLayout PROCESSENTRY32W = structLayout(
            DWORD.withName("dwSize"), DWORD.withName("cntUsage"), DWORD.withName("th32ProcessID"), PAD4,
            JAVA_LONG.withName("th32DefaultHeapID"), DWORD.withName("th32ModuleID"), DWORD.withName("cntThreads"),
            DWORD.withName("th32ParentProcessID"), DWORD.withName("pcPriClassBase"), DWORD.withName("dwFlags"),
            sequenceLayout(MAX_PATH, JAVA_CHAR).withName("szExeFile"), PAD4)
            .withName("PROCESSENTRY32W");

    public static final StructLayout SERVICE_STATUS_PROCESS = structLayout(
            DWORD.withName("dwServiceType"), DWORD.withName("dwCurrentState"), DWORD.withName("dwControlsAccepted"),
            DWORD.withName("dwWin32ExitCode"), DWORD.withName("dwServiceSpecificExitCode"),
            DWORD.withName("dwCheckPoint"), DWORD.withName("dwWaitHint"), DWORD.withName("dwProcessId"),
            DWORD.withName("dwServiceFlags"))
            .withName("SERVICE_STATUS_PROCESS");

    public static final StructLayout ENUM_SERVICE_STATUS_PROCESSW = structLayout(
            PTR.withName("lpServiceName"), PTR.withName("lpDisplayName"),
            SERVICE_STATUS_PROCESS.withName("ServiceStatusProcess"), PAD4)
            .withName("ENUM_SERVICE_STATUS_PROCESSW");

    public static final StructLayout UNICODE_STRING = structLayout(
            JAVA_SHORT.withName("Length"), JAVA_SHORT.withName("MaximumLength"), PAD4, PTR.withName("Buffer"))
            .withName("UNICODE_STRING");

    public static final StructLayout SID_AND_ATTRIBUTES = structLayout(
            PTR.withName("Sid"), DWORD.withName("Attributes"), PAD4)
            .withName("SID_AND_ATTRIBUTES");

    public static final StructLayout TOKEN_USER = structLayout(SID_AND_ATTRIBUTES.withName("User"))
            .withName("TOKEN_USER");

    public static final StructLayout FILETIME = structLayout(
            DWORD.withName("dwLowDateTime"), DWORD.withName("dwHighDateTime"))
            .withName("FILETIME");

    public static final StructLayout GUID = structLayout(
            DWORD.withName("Data1"), JAVA_SHORT.withName("Data2"), JAVA_SHORT.withName("Data3"),
            sequenceLayout(8, JAVA_BYTE).withName("Data4"))
            .withName("GUID");

    public static final StructLayout WINTRUST_FILE_INFO = structLayout(
            DWORD.withName("cbStruct"), PAD4, PTR.withName("pcwszFilePath"), PTR.withName("hFile"),
            PTR.withName("pgKnownSubject"))
            .withName("WINTRUST_FILE_INFO");

    public static final StructLayout WINTRUST_CATALOG_INFO = structLayout(
            DWORD.withName("cbStruct"), DWORD.withName("dwCatalogVersion"), PTR.withName("pcwszCatalogFilePath"),
            PTR.withName("pcwszMemberTag"), PTR.withName("pcwszMemberFilePath"), PTR.withName("hMemberFile"),
            PTR.withName("pbCalculatedFileHash"), DWORD.withName("cbCalculatedFileHash"), PAD4,
            PTR.withName("pcCatalogContext"), PTR.withName("hCatAdmin"))
            .withName("WINTRUST_CATALOG_INFO");

    /** WINTRUST_DATA as declared for Windows 8 and later (with pSignatureSettings): 88 bytes on x64. */
    public static final StructLayout WINTRUST_DATA = structLayout(
            DWORD.withName("cbStruct"), PAD4, PTR.withName("pPolicyCallbackData"), PTR.withName("pSIPClientData"),
            DWORD.withName("dwUIChoice"), DWORD.withName("fdwRevocationChecks"), DWORD.withName("dwUnionChoice"),
            PAD4, PTR.withName("pFile"), DWORD.withName("dwStateAction"), PAD4, PTR.withName("hWVTStateData"),
            PTR.withName("pwszURLReference"), DWORD.withName("dwProvFlags"), DWORD.withName("dwUIContext"),
            PTR.withName("pSignatureSettings"))
            .withName("WINTRUST_DATA");

    public static final StructLayout CATALOG_INFO = structLayout(
            DWORD.withName("cbStruct"), sequenceLayout(MAX_PATH, JAVA_CHAR).withName("wszCatalogFile"))
            .withName("CATALOG_INFO");

    public static final StructLayout CRYPT_PROVIDER_CERT = structLayout(
            DWORD.withName("cbStruct"), PAD4, PTR.withName("pCert"), DWORD.withName("fCommercial"),
            DWORD.withName("fTrustedRoot"), DWORD.withName("fSelfSigned"), DWORD.withName("fTestCert"),
            DWORD.withName("dwRevokedReason"), DWORD.withName("dwConfidence"), DWORD.withName("dwError"), PAD4,
            PTR.withName("pTrustListContext"), DWORD.withName("fTrustListSignerCert"), PAD4,
            PTR.withName("pCtlContext"), DWORD.withName("dwCtlError"), DWORD.withName("fIsCyclic"),
            PTR.withName("pChainElement"))
            .withName("CRYPT_PROVIDER_CERT");

    /** Every structure, for the layout tests. */
    public static final java.util.List<StructLayout> ALL = java.util.List.of(PROCESSENTRY32W, SERVICE_STATUS_PROCESS,
            ENUM_SERVICE_STATUS_PROCESSW, UNICODE_STRING, SID_AND_ATTRIBUTES, TOKEN_USER, FILETIME, GUID,
            WINTRUST_FILE_INFO, WINTRUST_CATALOG_INFO, WINTRUST_DATA, CATALOG_INFO, CRYPT_PROVIDER_CERT);
}
