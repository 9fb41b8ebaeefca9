package io.bwdoctor.cli;

import io.bwdoctor.core.text.Safe;
import io.bwdoctor.platform.linux.Protection;
import io.bwdoctor.platform.linux.ProtectionException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bwdoctor protect`: management traffic leaves first while this runs; everything is put back when it stops. */
@Command(name = "protect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Keeps SSH and RDP usable while the uplink is saturated: packets from or to the management "
                + "ports leave the interface before everything else. Runs in the foreground and puts the previous "
                + "configuration back on exit, Ctrl-C or SIGTERM (after a crash: bwdoctor unprotect).",
                "With --cap (the provider's limit) all egress is shaped to 95 % of it, so that the queue forms on "
                + "this host, where the priority applies; without it the priority only helps when this interface "
                + "itself is the bottleneck. Does nothing for inbound saturation. See docs/PROTECT.md.",
                "Needs root (it changes the interface's queueing discipline with tc)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:protected, and the previous configuration put back",
                "1:could not install or remove the protection (the reason is printed)", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  sudo bwdoctor protect --iface eth0 --cap 100Mbit", "  sudo bwdoctor protect --iface eth0 "
                + "--ports ssh,2222 --seconds 600"})
final class ProtectCommand implements Callable<Integer> {
    @Option(names = {"-i", "--iface"}, paramLabel = "IF", required = true, description = "The uplink interface.")
    String iface;

    @Option(names = "--ports", paramLabel = "LIST", defaultValue = PortList.DEFAULT, converter = PortList.Converter.class,
            description = "Management ports, by name (ssh=22, rdp=3389) or number, comma-separated "
                    + "(default: ${DEFAULT-VALUE}). Matched as source or destination, TCP and UDP, IPv4 and IPv6.")
    PortList ports;

    @Option(names = "--cap", paramLabel = "RATE", converter = BitRate.class,
            description = "The provider's bandwidth cap (for example 100Mbit, 1G): egress is shaped to 95 % of it.")
    Long cap;

    @Option(names = "--force", description = "Replace an egress configuration that is not a kernel default (it is "
            + "saved first and put back on exit).")
    boolean force;

    @Option(names = "--seconds", paramLabel = "N", description = "Remove the protection after N seconds "
            + "(default: run until stopped).")
    Long seconds;

    @Option(names = "--netns", paramLabel = "NAME", description = "The interface is in this named network namespace.")
    String netns;

    @Option(names = "--state-dir", paramLabel = "DIR", hidden = true, description = "Where the saved configuration "
            + "goes (default /run/bwdoctor).")
    Path stateDir;

    /** Waits {@code seconds} (null: until the process is stopped; the shutdown hooks then undo the protection). */
    static void holdFor(Long seconds) {
        try {
            CountDownLatch never = new CountDownLatch(1);
            if (seconds == null) {
                never.await();
            } else {
                never.await(seconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (seconds != null && seconds <= 0) {
            System.err.println("bwdoctor: --seconds must be above zero");
            return Main.EXIT_USAGE;
        }
        if (io.bwdoctor.engine.Platforms.current() == io.bwdoctor.engine.Platforms.Os.WINDOWS) {
            return WindowsProtect.run(ports.ports(), cap, seconds, out);
        }
        Protection protection;
        try {
            protection = Protection.apply(new Protection.Request(iface, ports.ports(), cap, force, stateDir, netns));
        } catch (ProtectionException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return 1;
        }
        Thread hook = protection.removeOnExit(line -> out.println("bwdoctor: " + Safe.terminal(line)));
        out.println("bwdoctor: protecting " + Safe.terminal(iface) + " (ports " + ports.text() + ")");
        protection.installed().forEach(line -> out.println("  " + Safe.terminal(line)));
        out.println("  previous configuration saved in " + Safe.terminal(protection.stateFile().toString()) + "; "
                + (seconds == null ? "press Ctrl-C to stop" : "removing in " + seconds + " s (or on Ctrl-C)"));
        out.flush();
        holdFor(seconds);
        try {
            protection.remove().forEach(line -> out.println("bwdoctor: " + Safe.terminal(line)));
            return 0;
        } catch (ProtectionException e) {
            System.err.println("bwdoctor: could not undo the protection: " + Safe.terminal(e.getMessage())
                    + " (run `bwdoctor unprotect`)");
            return 1;
        } finally {
            Protection.cancelRemoveOnExit(hook);
        }
    }
}
