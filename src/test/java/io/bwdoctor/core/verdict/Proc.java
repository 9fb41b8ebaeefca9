package io.bwdoctor.core.verdict;

import java.util.List;

/**
 * Test builder for {@link ProcessFacts}: a Linux process started by systemd, as root, not in a container, whose
 * executable exists and belongs to no package; each method changes one fact.
 */
public final class Proc {
    private Platform platform = Platform.LINUX;
    private int pid = 4242;
    private int ppid = 1;
    private String name;
    private String exe;
    private Boolean deleted = false;
    private List<String> cmdline;
    private String user = "root";
    private String parent = "systemd";
    private String parentExe = "/usr/lib/systemd/systemd";
    private String owner = "";
    private String unit;
    private String container;
    private Signature signature;

    private Proc(String name, String exe) {
        this.name = name;
        this.exe = exe;
        this.cmdline = exe == null ? List.of() : List.of(exe);
    }

    public static Proc linux(String name, String exe) {
        return new Proc(name, exe);
    }

    public static Proc windows(String name, String exe) {
        Proc p = new Proc(name, exe);
        p.platform = Platform.WINDOWS;
        p.owner = null;
        p.parent = "services.exe";
        p.parentExe = "C:\\Windows\\System32\\services.exe";
        p.user = "NT AUTHORITY\\SYSTEM";
        return p;
    }

    /** A genuine kernel thread: no executable, empty command line, child of kthreadd, no package to ask about. */
    public static Proc kernelThread(String name) {
        Proc p = new Proc(name, null);
        p.deleted = null;
        p.owner = null;
        p.ppid = 2;
        p.parent = "kthreadd";
        p.parentExe = null;
        return p;
    }

    public Proc name(String v) { name = v; return this; }
    public Proc pid(int v) { pid = v; return this; }
    public Proc exe(String v) { exe = v; return this; }
    public Proc deleted(Boolean v) { deleted = v; return this; }
    public Proc cmdline(String... v) { cmdline = List.of(v); return this; }
    public Proc user(String v) { user = v; return this; }
    public Proc parent(String name, String exe) { parent = name; parentExe = exe; return this; }
    /** The owning package; "" = owned by none, null = not known. */
    public Proc owner(String v) { owner = v; return this; }
    public Proc unit(String v) { unit = v; return this; }
    public Proc container(String v) { container = v; return this; }
    public Proc signature(Signature v) { signature = v; return this; }

    public ProcessFacts facts() {
        return new ProcessFacts(platform, pid, ppid, name, exe, deleted, cmdline, user, parent, parentExe, owner, unit,
                container, signature);
    }

    public Subject subject() {
        return new Subject(facts(), TrafficFacts.NONE, null);
    }

    public Subject subject(Net traffic) {
        return new Subject(facts(), traffic.facts(), null);
    }

    public Subject declared(String as, Net traffic) {
        return new Subject(facts(), traffic.facts(), as);
    }
}
