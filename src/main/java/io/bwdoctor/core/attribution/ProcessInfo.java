package io.bwdoctor.core.attribution;

import java.time.Instant;
import java.util.List;

/**
 * Facts about one process, as far as they could be read (a process may exit mid-read: then later fields are
 * null/empty). Strings come from the system and are untrusted: escape them before display.
 *
 * @param pid          process id
 * @param ppid         parent process id; -1 when unknown
 * @param uid          real user id; -1 when unknown
 * @param user         user name for uid, or null when unknown
 * @param name         short command name (Linux comm, at most 15 bytes; may be changed by the process itself)
 * @param cmdline      arguments; empty for kernel threads, zombies or when unreadable; may be truncated
 * @param exe          path of the executable without the " (deleted)" marker; null when unreadable (kernel threads,
 *                     insufficient privileges)
 * @param exeDeleted   the executable file was deleted or replaced after the process started
 * @param exeIsMemfd   the executable lives only in memory (memfd), a fileless-malware trait
 * @param startTime    when the process started; null when unknown. Together with pid this identifies a process
 * @param cgroup       control group path; null when unknown
 * @param systemdUnit  the systemd unit the process runs in (e.g. "nginx.service"); null when none
 * @param containerId  the container id (usually 64 hex digits) when the process runs in a container; null otherwise
 * @param netnsInode   inode of the network namespace; 0 when unknown
 */
public record ProcessInfo(int pid, int ppid, int uid, String user, String name, List<String> cmdline,
                          String exe, boolean exeDeleted, boolean exeIsMemfd, Instant startTime,
                          String cgroup, String systemdUnit, String containerId, long netnsInode) {
    public ProcessInfo {
        cmdline = List.copyOf(cmdline);
    }
}
