package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.List;

import static io.bwdoctor.platform.windows.IpHelperLayouts.offset;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Authenticode facts of one file: WinVerifyTrust (WINTRUST_ACTION_GENERIC_VERIFY_V2, no UI, no revocation fetch) on
 * the embedded signature; when there is none, the system catalogs (CryptCATAdmin* with SHA256, then WinVerifyTrust
 * on the catalog member); the signer's simple display name (WTHelper* → CertGetNameStringW); CompanyName and
 * FileDescription from the version resource. What the results mean is decided in {@link SignatureResults}.
 * Windows only; the sequence follows Microsoft's documented examples but has not been run on Windows yet.
 */
final class Authenticode {
    static final String WINTRUST_ACTION_GENERIC_VERIFY_V2 = "{00AAC56B-CD44-11d0-8CC2-00C04FC295EE}";
    static final int WTD_UI_NONE = 2;
    static final int WTD_REVOKE_NONE = 0;
    static final int WTD_CHOICE_FILE = 1;
    static final int WTD_CHOICE_CATALOG = 2;
    static final int WTD_STATEACTION_VERIFY = 1;
    static final int WTD_STATEACTION_CLOSE = 2;
    static final int WTD_CACHE_ONLY_URL_RETRIEVAL = 0x1000; // never fetch from the network while verifying
    static final int CERT_NAME_SIMPLE_DISPLAY_TYPE = 4;
    static final int GENERIC_READ = 0x80000000;
    static final int FILE_SHARE_ALL = 0x7;
    static final int OPEN_EXISTING = 3;

    Signature verify(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = arena.allocate(16, 4);
            action.copyFrom(MemorySegment.ofArray(Win32Decoders.guid(WINTRUST_ACTION_GENERIC_VERIFY_V2)));
            MemorySegment file = WindowsProcesses.wide(arena, path);

            MemorySegment fileInfo = arena.allocate(Win32Layouts.WINTRUST_FILE_INFO);
            setInt(fileInfo, Win32Layouts.WINTRUST_FILE_INFO, "cbStruct", (int) Win32Layouts.WINTRUST_FILE_INFO.byteSize());
            setPtr(fileInfo, Win32Layouts.WINTRUST_FILE_INFO, "pcwszFilePath", file);
            String[] signer = new String[1];
            int embedded = trust(arena, action, WTD_CHOICE_FILE, fileInfo, signer);
            String embeddedSigner = signer[0];

            Integer catalog = SignatureResults.NO_CATALOG;
            String catalogSigner = null;
            if (SignatureResults.tryCatalog(embedded)) {
                signer[0] = null;
                catalog = catalog(arena, action, path, file, signer);
                catalogSigner = signer[0];
            }
            return SignatureResults.combine(embedded, embeddedSigner, catalog, catalogSigner,
                    version(arena, file, "CompanyName"), version(arena, file, "FileDescription"));
        }
    }

    /** WinVerifyTrust with state kept for the signer lookup, then closed. */
    private int trust(Arena arena, MemorySegment action, int unionChoice, MemorySegment info, String[] signer) {
        StructLayout l = Win32Layouts.WINTRUST_DATA;
        MemorySegment data = arena.allocate(l);
        setInt(data, l, "cbStruct", (int) l.byteSize());
        setInt(data, l, "dwUIChoice", WTD_UI_NONE);
        setInt(data, l, "fdwRevocationChecks", WTD_REVOKE_NONE);
        setInt(data, l, "dwUnionChoice", unionChoice);
        setPtr(data, l, "pFile", info);
        setInt(data, l, "dwStateAction", WTD_STATEACTION_VERIFY);
        setInt(data, l, "dwProvFlags", WTD_CACHE_ONLY_URL_RETRIEVAL);
        int result = Win32.callInt("WinVerifyTrust", Win32.INVALID_HANDLE_VALUE, action, data);
        MemorySegment state = data.get(ADDRESS, offset(l, "hWVTStateData"));
        if (result == SignatureResults.ERROR_SUCCESS && state.address() != 0) {
            signer[0] = signerName(arena, state);
        }
        setInt(data, l, "dwStateAction", WTD_STATEACTION_CLOSE);
        Win32.callInt("WinVerifyTrust", Win32.INVALID_HANDLE_VALUE, action, data);
        return result;
    }

    private static String signerName(Arena arena, MemorySegment state) {
        MemorySegment provider = Win32.callPointer("WTHelperProvDataFromStateData", state);
        if (provider.address() == 0) return null;
        MemorySegment sgnr = Win32.callPointer("WTHelperGetProvSignerFromChain", provider, 0, 0, 0);
        if (sgnr.address() == 0) return null;
        MemorySegment cert = Win32.callPointer("WTHelperGetProvCertFromChain", sgnr, 0)
                .reinterpret(Win32Layouts.CRYPT_PROVIDER_CERT.byteSize());
        if (cert.address() == 0) return null;
        MemorySegment context = cert.get(ADDRESS, offset(Win32Layouts.CRYPT_PROVIDER_CERT, "pCert"));
        MemorySegment name = arena.allocate(2 * 256);
        int chars = Win32.callInt("CertGetNameStringW", context, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0,
                MemorySegment.NULL, name, 256);
        return chars <= 1 ? null : Win32Decoders.wide(name, 0, 256);
    }

    /** The catalog result for the file, or NO_CATALOG when no catalog lists its SHA256 hash. */
    private Integer catalog(Arena arena, MemorySegment action, String path, MemorySegment file, String[] signer) {
        MemorySegment adminOut = arena.allocate(ADDRESS);
        if (Win32.callInt("CryptCATAdminAcquireContext2", adminOut, MemorySegment.NULL,
                WindowsProcesses.wide(arena, "SHA256"), MemorySegment.NULL, 0) == 0) return SignatureResults.NO_CATALOG;
        MemorySegment admin = adminOut.get(ADDRESS, 0);
        MemorySegment handle = Win32.callPointer("CreateFileW", file, GENERIC_READ, FILE_SHARE_ALL,
                MemorySegment.NULL, OPEN_EXISTING, 0, MemorySegment.NULL);
        MemorySegment catalogInfo = MemorySegment.NULL;
        try {
            if (Win32.invalid(handle)) return SignatureResults.NO_CATALOG;
            MemorySegment hash = arena.allocate(64);
            MemorySegment hashLength = arena.allocate(JAVA_INT);
            hashLength.set(JAVA_INT, 0, 64);
            if (Win32.callInt("CryptCATAdminCalcHashFromFileHandle2", admin, handle, hashLength, hash, 0) == 0) {
                return SignatureResults.NO_CATALOG;
            }
            int length = Math.min(64, hashLength.get(JAVA_INT, 0));
            catalogInfo = Win32.callPointer("CryptCATAdminEnumCatalogFromHash", admin, hash, length, 0,
                    MemorySegment.NULL);
            if (catalogInfo.address() == 0) return SignatureResults.NO_CATALOG;
            StructLayout ci = Win32Layouts.CATALOG_INFO;
            MemorySegment info = arena.allocate(ci);
            setInt(info, ci, "cbStruct", (int) ci.byteSize());
            if (Win32.callInt("CryptCATCatalogInfoFromContext", catalogInfo, info, 0) == 0) {
                return SignatureResults.NO_CATALOG;
            }
            StructLayout wc = Win32Layouts.WINTRUST_CATALOG_INFO;
            MemorySegment member = arena.allocate(wc);
            setInt(member, wc, "cbStruct", (int) wc.byteSize());
            setPtr(member, wc, "pcwszCatalogFilePath", info.asSlice(offset(ci, "wszCatalogFile")));
            setPtr(member, wc, "pcwszMemberTag", WindowsProcesses.wide(arena,
                    Win32Decoders.memberTag(hash.asSlice(0, length).toArray(JAVA_BYTE))));
            setPtr(member, wc, "pcwszMemberFilePath", file);
            setPtr(member, wc, "hMemberFile", handle);
            setPtr(member, wc, "pbCalculatedFileHash", hash);
            setInt(member, wc, "cbCalculatedFileHash", length);
            setPtr(member, wc, "hCatAdmin", admin);
            return trust(arena, action, WTD_CHOICE_CATALOG, member, signer);
        } finally {
            if (catalogInfo.address() != 0) {
                Win32.callInt("CryptCATAdminReleaseCatalogContext", admin, catalogInfo, 0);
            }
            Win32.close(handle);
            Win32.callInt("CryptCATAdminReleaseContext", admin, 0);
        }
    }

    /** A string of the version resource, or null. */
    private static String version(Arena arena, MemorySegment file, String name) {
        MemorySegment ignored = arena.allocate(JAVA_INT);
        int size = Win32.callInt("GetFileVersionInfoSizeW", file, ignored);
        if (size <= 0 || size > 1 << 24) return null;
        MemorySegment block = arena.allocate(size, 8);
        if (Win32.callInt("GetFileVersionInfoW", file, 0, size, block) == 0) return null;
        MemorySegment pointer = arena.allocate(ADDRESS);
        MemorySegment length = arena.allocate(JAVA_INT);
        MemorySegment translations = MemorySegment.NULL;
        if (Win32.callInt("VerQueryValueW", block, WindowsProcesses.wide(arena, "\\VarFileInfo\\Translation"),
                pointer, length) != 0) {
            translations = pointer.get(ADDRESS, 0).reinterpret(Math.min(length.get(JAVA_INT, 0), 64));
        }
        List<String> queries = Win32Decoders.versionQueries(translations, name);
        for (String q : queries) {
            if (Win32.callInt("VerQueryValueW", block, WindowsProcesses.wide(arena, q), pointer, length) != 0
                    && length.get(JAVA_INT, 0) > 0) {
                long chars = Math.min(length.get(JAVA_INT, 0), 1024);
                String value = Win32Decoders.wide(pointer.get(ADDRESS, 0).reinterpret(2 * chars), 0, chars).strip();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static void setInt(MemorySegment s, StructLayout l, String field, int value) {
        s.set(JAVA_INT, offset(l, field), value);
    }

    private static void setPtr(MemorySegment s, StructLayout l, String field, MemorySegment value) {
        s.set(ADDRESS, offset(l, field), value);
    }

}
