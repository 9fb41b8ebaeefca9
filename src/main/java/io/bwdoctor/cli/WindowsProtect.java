package io.bwdoctor.cli;

import io.bwdoctor.core.text.Safe;
import io.bwdoctor.platform.windows.WindowsQosProtection;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * `protect` / `unprotect` on Windows: QoS policies (DSCP marking of the management ports; with --cap, all other
 * outbound traffic throttled just under the cap, which is what keeps room for RDP). Not run on real Windows yet.
 */
final class WindowsProtect {
    private WindowsProtect() {}

    static int run(List<Integer> ports, Long capBps, Long seconds, PrintStream out) {
        WindowsQosProtection qos = WindowsQosProtection.onThisHost(new WindowsQosProtection.Settings(ports, 46,
                capBps == null ? 0 : Math.max(8_000, capBps * 90 / 100)));
        try {
            qos.apply();
        } catch (IOException | InterruptedException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return 1;
        }
        Thread hook = new Thread(() -> removeQuietly(qos, out));
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("bwdoctor: protecting ports " + ports + ": " + Safe.terminal(qos.limits()));
        out.println("  " + (seconds == null ? "press Ctrl-C to stop" : "removing in " + seconds + " s (or on Ctrl-C)"));
        out.flush();
        ProtectCommand.holdFor(seconds);
        Runtime.getRuntime().removeShutdownHook(hook);
        return removeQuietly(qos, out) ? 0 : 1;
    }

    static int removeAll(PrintStream out) {
        return removeQuietly(WindowsQosProtection.onThisHost(WindowsQosProtection.Settings.defaults()), out) ? 0 : 1;
    }

    private static boolean removeQuietly(WindowsQosProtection qos, PrintStream out) {
        try {
            qos.remove();
            out.println("bwdoctor: removed the bwdoctor QoS policies");
            return true;
        } catch (IOException | InterruptedException e) {
            System.err.println("bwdoctor: could not remove the QoS policies: " + Safe.terminal(e.getMessage())
                    + " (run `bwdoctor unprotect`)");
            return false;
        }
    }
}
