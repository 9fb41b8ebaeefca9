package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a Windows process list to the classifier's {@link ProcessFacts}. Pure. The parent is the process listed under
 * the parent PID only if it started before the child: Windows reuses PIDs, and a PID whose process exited (as for
 * csrss, wininit and winlogon, whose smss.exe instance exits) may belong to a later, unrelated process.
 */
public final class WindowsProcessFacts {
    private WindowsProcessFacts() {}

    public static List<ProcessFacts> of(List<WindowsProcess> processes) {
        Map<Integer, WindowsProcess> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        List<ProcessFacts> facts = new ArrayList<>(processes.size());
        for (WindowsProcess p : processes) {
            WindowsProcess parent = parent(p, byPid);
            facts.add(new ProcessFacts(Platform.WINDOWS, p.pid(), p.ppid(), p.name(), p.exe(), null,
                    CommandLine.split(p.cmdline()), p.user(), parent == null ? null : parent.name(),
                    parent == null ? null : parent.exe(), null,
                    p.services().isEmpty() ? null : String.join(",", p.services()), null, p.signature()));
        }
        return facts;
    }

    /** The live parent, or null when it exited (its PID is free or taken by a younger process). */
    static WindowsProcess parent(WindowsProcess child, Map<Integer, WindowsProcess> byPid) {
        if (child.ppid() == child.pid() || child.pid() == 0 || child.pid() == 4 && child.ppid() == 0) return null;
        WindowsProcess parent = byPid.get(child.ppid());
        if (parent == null) return null;
        if (parent.start() != null && child.start() != null && parent.start().isAfter(child.start())) return null;
        return parent;
    }
}
