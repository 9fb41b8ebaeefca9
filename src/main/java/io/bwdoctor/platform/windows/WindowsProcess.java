package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;

import java.time.Instant;
import java.util.List;

/**
 * One process as the Windows adapters read it, before interpretation. Any field but pid may be null/empty when it
 * could not be read (protected processes, access denied, the process exited).
 *
 * @param name      image name from the process snapshot (PROCESSENTRY32W.szExeFile)
 * @param exe       full image path (QueryFullProcessImageNameW, Win32 form)
 * @param cmdline   the raw command line (NtQueryInformationProcess ProcessCommandLineInformation)
 * @param user      "DOMAIN\name" of the process token's user
 * @param services  services hosted by the process (EnumServicesStatusExW), in the order Windows listed them
 * @param start     creation time (GetProcessTimes)
 * @param signature Authenticode and version facts of exe
 */
public record WindowsProcess(int pid, int ppid, String name, String exe, String cmdline, String user,
                             List<String> services, Instant start, Signature signature) {
    public WindowsProcess {
        services = services == null ? List.of() : List.copyOf(services);
    }
}
