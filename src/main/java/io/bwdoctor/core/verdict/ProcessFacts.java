package io.bwdoctor.core.verdict;

import java.util.List;

/**
 * Everything the classifier may know about a process's identity, gathered by a platform adapter. Each fact is null
 * when it could not be read (the rules then neither fire nor clear on it). Strings are raw system data.
 *
 * @param name          the name the kernel shows (Linux comm, Windows image name)
 * @param exe           full executable path, without the kernel's " (deleted)" suffix
 * @param exeDeleted    the executable file was unlinked after the process started (Linux)
 * @param cmdline       arguments as started (argv), possibly rewritten by the process itself
 * @param parentName    name of the parent process, or null when the parent is gone or unknown
 * @param parentExe     executable of the parent process
 * @param packageOwner  distro package owning exe ("openssh-server"); "" = checked, owned by none; null = not checked
 * @param unit          systemd unit (Linux) or service name (Windows) the process runs under, or null
 * @param container     container id, or null on the host
 * @param signature     code-signing facts (Windows), or null
 */
public record ProcessFacts(Platform platform, int pid, int ppid, String name, String exe, Boolean exeDeleted,
                           List<String> cmdline, String user, String parentName, String parentExe,
                           String packageOwner, String unit, String container, Signature signature) {
    public ProcessFacts {
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
    }
}
