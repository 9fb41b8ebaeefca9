package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.ProcessInfo;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Completes what the process scanner knows with the facts the classifier needs: parent and package owner. */
public final class ProcessFactsReader {
    private final PackageOwners packages;
    private final Path proc;

    public ProcessFactsReader(PackageOwners packages) {
        this(packages, Path.of("/proc"));
    }

    ProcessFactsReader(PackageOwners packages, Path proc) {
        this.packages = packages;
        this.proc = proc;
    }

    public ProcessFacts facts(ProcessInfo p) {
        String parentName = null;
        String parentExe = null;
        if (p.ppid() > 0) {
            parentName = comm(p.ppid());
            parentExe = exe(p.ppid());
        }
        // a container's executable lives in its own file system: the host's package database cannot tell
        String owner = p.exe() == null || p.exeIsMemfd() || p.containerId() != null ? null : packages.owner(p.exe());
        return new ProcessFacts(Platform.LINUX, p.pid(), p.ppid(), p.name(),
                p.exeIsMemfd() && p.exe() != null && !p.exe().startsWith("/memfd:") ? "/memfd:" + p.exe() : p.exe(),
                p.exe() == null ? null : p.exeDeleted(), p.cmdline(), p.user(), parentName, parentExe, owner,
                p.systemdUnit(), p.containerId(), null);
    }

    private String comm(int pid) {
        try {
            return new String(Files.readAllBytes(proc.resolve(Integer.toString(pid)).resolve("comm")),
                    StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private String exe(int pid) {
        try {
            String target = Files.readSymbolicLink(proc.resolve(Integer.toString(pid)).resolve("exe")).toString();
            return target.endsWith(" (deleted)") ? target.substring(0, target.length() - 10) : target;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
