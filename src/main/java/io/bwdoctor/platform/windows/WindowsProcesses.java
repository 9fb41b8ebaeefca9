package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads the process list with everything the classifier needs: Toolhelp snapshot (PID, parent PID, image name),
 * then per process with PROCESS_QUERY_LIMITED_INFORMATION: image path, command line, token user, creation time;
 * the services each process hosts; signature facts of each image (cached per file). A field that cannot be read
 * (protected process, access denied, exited) stays null. Windows only.
 */
public final class WindowsProcesses {
    static final int TH32CS_SNAPPROCESS = 0x2;
    static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    static final int TOKEN_QUERY = 0x8;
    static final int TOKEN_USER_CLASS = 1;
    static final int PROCESS_COMMAND_LINE_INFORMATION = 60;
    static final int STATUS_INFO_LENGTH_MISMATCH = 0xC0000004;
    static final int STATUS_BUFFER_TOO_SMALL = 0xC0000023;
    static final int STATUS_BUFFER_OVERFLOW = 0x80000005;
    static final int SC_MANAGER_ENUMERATE_SERVICE = 0x4;
    static final int SC_ENUM_PROCESS_INFO = 0;
    static final int SERVICE_WIN32 = 0x30;
    static final int SERVICE_ACTIVE = 0x1;
    static final int ERROR_MORE_DATA = 234;

    private final SignatureCache signatures = new SignatureCache(4096);
    private final Authenticode authenticode = new Authenticode();

    public WindowsProcesses() {
        if (!Windows.IS_WINDOWS) {
            throw new UnsupportedOperationException("the Windows process reader needs Windows");
        }
    }

    /** Every process now running. */
    public List<WindowsProcess> list() throws WindowsApiException {
        Map<Integer, List<String>> services = services();
        List<WindowsProcess> all = new ArrayList<>();
        for (Win32Decoders.ProcessEntry e : snapshot()) {
            all.add(describe(e, services.getOrDefault(e.pid(), List.of())));
        }
        return all;
    }

    List<Win32Decoders.ProcessEntry> snapshot() throws WindowsApiException {
        List<Win32Decoders.ProcessEntry> entries = new ArrayList<>();
        MemorySegment snap = Win32.callPointer("CreateToolhelp32Snapshot", TH32CS_SNAPPROCESS, 0);
        if (Win32.invalid(snap)) {
            throw new WindowsApiException("CreateToolhelp32Snapshot", -1, "cannot list processes");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entry = arena.allocate(Win32Layouts.PROCESSENTRY32W);
            entry.set(JAVA_INT, 0, (int) Win32Layouts.PROCESSENTRY32W.byteSize()); // dwSize
            for (int ok = Win32.callInt("Process32FirstW", snap, entry); ok != 0;
                 ok = Win32.callInt("Process32NextW", snap, entry)) {
                entries.add(Win32Decoders.processEntry(entry));
            }
        } finally {
            Win32.close(snap);
        }
        return entries;
    }

    private WindowsProcess describe(Win32Decoders.ProcessEntry e, List<String> services) {
        String exe = null, cmdline = null, user = null;
        Instant start = null;
        MemorySegment process = e.pid() == 0 ? MemorySegment.NULL
                : Win32.callPointer("OpenProcess", PROCESS_QUERY_LIMITED_INFORMATION, 0, e.pid());
        if (!Win32.invalid(process)) {
            try (Arena arena = Arena.ofConfined()) {
                exe = imagePath(arena, process);
                start = creationTime(arena, process);
                cmdline = commandLine(arena, process);
                user = user(arena, process);
            } finally {
                Win32.close(process);
            }
        }
        Signature signature = exe == null ? null : signature(exe);
        return new WindowsProcess(e.pid(), e.ppid(), e.exeFile(), exe, cmdline, user, services, start, signature);
    }

    private static String imagePath(Arena arena, MemorySegment process) {
        int chars = 32768;
        MemorySegment buffer = arena.allocate(2L * chars);
        MemorySegment size = arena.allocate(JAVA_INT);
        size.set(JAVA_INT, 0, chars);
        if (Win32.callInt("QueryFullProcessImageNameW", process, 0, buffer, size) == 0) return null;
        return Win32Decoders.wide(buffer, 0, Math.min(chars, size.get(JAVA_INT, 0)));
    }

    private static Instant creationTime(Arena arena, MemorySegment process) {
        MemorySegment times = arena.allocate(Win32Layouts.FILETIME.byteSize() * 4, 8);
        long ft = Win32Layouts.FILETIME.byteSize();
        if (Win32.callInt("GetProcessTimes", process, times, times.asSlice(ft), times.asSlice(2 * ft),
                times.asSlice(3 * ft)) == 0) return null;
        return Win32Decoders.fileTime(times.get(JAVA_LONG, 0));
    }

    private static String commandLine(Arena arena, MemorySegment process) {
        int length = 4096;
        for (int attempt = 0; attempt < 4; attempt++) {
            MemorySegment buffer = arena.allocate(length, 8);
            MemorySegment returned = arena.allocate(JAVA_INT);
            int status = Win32.callInt("NtQueryInformationProcess", process, PROCESS_COMMAND_LINE_INFORMATION,
                    buffer, length, returned);
            if (status == 0) return Win32Decoders.commandLine(buffer, buffer.address());
            if (status != STATUS_INFO_LENGTH_MISMATCH && status != STATUS_BUFFER_TOO_SMALL
                    && status != STATUS_BUFFER_OVERFLOW) return null;
            length = Math.max(length * 2, returned.get(JAVA_INT, 0));
            if (length > 1 << 20) return null; // a command line is at most 32767 characters
        }
        return null;
    }

    private static String user(Arena arena, MemorySegment process) {
        MemorySegment tokenOut = arena.allocate(ADDRESS);
        if (Win32.callInt("OpenProcessToken", process, TOKEN_QUERY, tokenOut) == 0) return null;
        MemorySegment token = tokenOut.get(ADDRESS, 0);
        try {
            MemorySegment info = arena.allocate(256, 8);
            MemorySegment returned = arena.allocate(JAVA_INT);
            if (Win32.callInt("GetTokenInformation", token, TOKEN_USER_CLASS, info, 256, returned) == 0) return null;
            MemorySegment sid = info.get(ADDRESS, 0); // TOKEN_USER.User.Sid
            MemorySegment name = arena.allocate(512), domain = arena.allocate(512);
            MemorySegment nameLength = arena.allocate(JAVA_INT), domainLength = arena.allocate(JAVA_INT);
            nameLength.set(JAVA_INT, 0, 256);
            domainLength.set(JAVA_INT, 0, 256);
            MemorySegment use = arena.allocate(JAVA_INT);
            if (Win32.callInt("LookupAccountSidW", MemorySegment.NULL, sid, name, nameLength, domain, domainLength,
                    use) == 0) return null;
            String d = Win32Decoders.wide(domain, 0, 256), n = Win32Decoders.wide(name, 0, 256);
            return d.isEmpty() ? n : d + "\\" + n;
        } finally {
            Win32.close(token);
        }
    }

    /** Service names by hosting PID; empty when the service manager cannot be asked. */
    Map<Integer, List<String>> services() {
        MemorySegment scm = Win32.callPointer("OpenSCManagerW", MemorySegment.NULL, MemorySegment.NULL,
                SC_MANAGER_ENUMERATE_SERVICE);
        if (Win32.invalid(scm)) return Map.of();
        try (Arena arena = Arena.ofConfined()) {
            int size = 64 * 1024;
            for (int attempt = 0; attempt < 4; attempt++) {
                MemorySegment buffer = arena.allocate(size, 8);
                MemorySegment needed = arena.allocate(JAVA_INT), returned = arena.allocate(JAVA_INT);
                MemorySegment resume = arena.allocate(JAVA_INT);
                int ok = Win32.callInt("EnumServicesStatusExW", scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32,
                        SERVICE_ACTIVE, buffer, size, needed, returned, resume, MemorySegment.NULL);
                if (ok != 0) {
                    return Win32Decoders.servicesByPid(buffer, buffer.address(), returned.get(JAVA_INT, 0));
                }
                size = Math.max(size * 2, needed.get(JAVA_INT, 0) + 4096);
            }
            return Map.of();
        } finally {
            Win32.callInt("CloseServiceHandle", scm);
        }
    }

    /** Signature facts of an image, verified once per file version. */
    Signature signature(String exe) {
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(exe), BasicFileAttributes.class);
            SignatureCache.FileKey key = new SignatureCache.FileKey(exe, a.size(), a.lastModifiedTime().toMillis());
            return signatures.get(key, k -> authenticode.verify(exe));
        } catch (java.io.IOException | RuntimeException e) {
            return Signature.UNKNOWN;
        }
    }

    static MemorySegment wide(Arena arena, String s) {
        byte[] bytes = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
        MemorySegment m = arena.allocate(bytes.length, 2);
        m.copyFrom(MemorySegment.ofArray(bytes));
        return m;
    }

}
