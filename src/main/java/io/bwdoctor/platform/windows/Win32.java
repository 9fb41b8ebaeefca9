package io.bwdoctor.platform.windows;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Thin FFM binding to the Win32 functions for processes, services, Authenticode and version resources. Handles are
 * looked up on first use and only on Windows. Every descriptor is checked against its documented C prototype in
 * WindowsLayoutTest (DWORD/BOOL/LONG/NTSTATUS/enums = 32-bit int; HANDLE and pointers = ADDRESS).
 */
@SuppressWarnings("restricted") // the native boundary for Windows process and signature facts
final class Win32 {
    private Win32() {}

    private static FunctionDescriptor fn(java.lang.foreign.MemoryLayout ret, java.lang.foreign.MemoryLayout... args) {
        return FunctionDescriptor.of(ret, args);
    }

    private static final java.lang.foreign.MemoryLayout P = ADDRESS, I = JAVA_INT;

    /** function → descriptor; the DLL each lives in is in {@link #LIBRARY}. */
    static final Map<String, FunctionDescriptor> DESCRIPTORS = Map.ofEntries(
            Map.entry("CreateToolhelp32Snapshot", fn(P, I, I)),
            Map.entry("Process32FirstW", fn(I, P, P)),
            Map.entry("Process32NextW", fn(I, P, P)),
            Map.entry("OpenProcess", fn(P, I, I, I)),
            Map.entry("CloseHandle", fn(I, P)),
            Map.entry("QueryFullProcessImageNameW", fn(I, P, I, P, P)),
            Map.entry("GetProcessTimes", fn(I, P, P, P, P, P)),
            Map.entry("CreateFileW", fn(P, P, I, I, P, I, I, P)),
            Map.entry("NtQueryInformationProcess", fn(I, P, I, P, I, P)),
            Map.entry("OpenProcessToken", fn(I, P, I, P)),
            Map.entry("GetTokenInformation", fn(I, P, I, P, I, P)),
            Map.entry("LookupAccountSidW", fn(I, P, P, P, P, P, P, P)),
            Map.entry("OpenSCManagerW", fn(P, P, P, I)),
            Map.entry("EnumServicesStatusExW", fn(I, P, I, I, I, P, I, P, P, P, P)),
            Map.entry("CloseServiceHandle", fn(I, P)),
            Map.entry("WinVerifyTrust", fn(I, P, P, P)),
            Map.entry("CryptCATAdminAcquireContext2", fn(I, P, P, P, P, I)),
            Map.entry("CryptCATAdminCalcHashFromFileHandle2", fn(I, P, P, P, P, I)),
            Map.entry("CryptCATAdminEnumCatalogFromHash", fn(P, P, P, I, I, P)),
            Map.entry("CryptCATCatalogInfoFromContext", fn(I, P, P, I)),
            Map.entry("CryptCATAdminReleaseCatalogContext", fn(I, P, P, I)),
            Map.entry("CryptCATAdminReleaseContext", fn(I, P, I)),
            Map.entry("WTHelperProvDataFromStateData", fn(P, P)),
            Map.entry("WTHelperGetProvSignerFromChain", fn(P, P, I, I, I)),
            Map.entry("WTHelperGetProvCertFromChain", fn(P, P, I)),
            Map.entry("CertGetNameStringW", fn(I, P, I, I, P, P, I)),
            Map.entry("GetFileVersionInfoSizeW", fn(I, P, P)),
            Map.entry("GetFileVersionInfoW", fn(I, P, I, I, P)),
            Map.entry("VerQueryValueW", fn(I, P, P, P, P)));

    static final Map<String, String> LIBRARY = Map.ofEntries(
            Map.entry("CreateToolhelp32Snapshot", "kernel32"), Map.entry("Process32FirstW", "kernel32"),
            Map.entry("Process32NextW", "kernel32"), Map.entry("OpenProcess", "kernel32"),
            Map.entry("CloseHandle", "kernel32"), Map.entry("QueryFullProcessImageNameW", "kernel32"),
            Map.entry("GetProcessTimes", "kernel32"), Map.entry("CreateFileW", "kernel32"),
            Map.entry("NtQueryInformationProcess", "ntdll"),
            Map.entry("OpenProcessToken", "advapi32"), Map.entry("GetTokenInformation", "advapi32"),
            Map.entry("LookupAccountSidW", "advapi32"), Map.entry("OpenSCManagerW", "advapi32"),
            Map.entry("EnumServicesStatusExW", "advapi32"), Map.entry("CloseServiceHandle", "advapi32"),
            Map.entry("WinVerifyTrust", "wintrust"), Map.entry("CryptCATAdminAcquireContext2", "wintrust"),
            Map.entry("CryptCATAdminCalcHashFromFileHandle2", "wintrust"),
            Map.entry("CryptCATAdminEnumCatalogFromHash", "wintrust"),
            Map.entry("CryptCATCatalogInfoFromContext", "wintrust"),
            Map.entry("CryptCATAdminReleaseCatalogContext", "wintrust"),
            Map.entry("CryptCATAdminReleaseContext", "wintrust"),
            Map.entry("WTHelperProvDataFromStateData", "wintrust"),
            Map.entry("WTHelperGetProvSignerFromChain", "wintrust"),
            Map.entry("WTHelperGetProvCertFromChain", "wintrust"),
            Map.entry("CertGetNameStringW", "crypt32"),
            Map.entry("GetFileVersionInfoSizeW", "version"), Map.entry("GetFileVersionInfoW", "version"),
            Map.entry("VerQueryValueW", "version"));

    private static final class Api {
        static final Map<String, MethodHandle> HANDLES = new HashMap<>();

        static {
            if (!Windows.IS_WINDOWS) {
                throw new UnsupportedOperationException("Win32 process and signature APIs need Windows");
            }
            Linker linker = Linker.nativeLinker();
            Map<String, SymbolLookup> libraries = new HashMap<>();
            DESCRIPTORS.forEach((name, descriptor) -> {
                SymbolLookup lib = libraries.computeIfAbsent(LIBRARY.get(name),
                        dll -> SymbolLookup.libraryLookup(dll + ".dll", Arena.global()));
                HANDLES.put(name, linker.downcallHandle(lib.findOrThrow(name), descriptor));
            });
        }
    }

    /** Calls a function; arguments are Integer or MemorySegment as its descriptor says. */
    static Object call(String function, Object... args) {
        try {
            return Api.HANDLES.get(function).invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(function + " failed", t);
        }
    }

    static int callInt(String function, Object... args) {
        return (Integer) call(function, args);
    }

    static MemorySegment callPointer(String function, Object... args) {
        return (MemorySegment) call(function, args);
    }

    static final MemorySegment INVALID_HANDLE_VALUE = MemorySegment.ofAddress(-1L);

    static boolean invalid(MemorySegment handle) {
        return handle.address() == 0 || handle.address() == -1L;
    }

    static void close(MemorySegment handle) {
        if (!invalid(handle)) {
            callInt("CloseHandle", handle);
        }
    }
}
