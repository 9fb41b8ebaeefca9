package io.bwdoctor.cli;

import io.bwdoctor.core.text.Safe;
import io.bwdoctor.platform.linux.Protection;
import io.bwdoctor.platform.linux.ProtectionException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bwdoctor unprotect`: undoes protections that a crashed or killed `bwdoctor protect` left behind. */
@Command(name = "unprotect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Removes the priority scheme that `bwdoctor protect` installed and puts back the saved "
                + "configuration, from the state files in /run/bwdoctor (for after a crash or kill -9).",
                "By hand: tc qdisc del dev IF root (gives the kernel's default back)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:undone (or nothing to undo)", "1:could not undo (the reason is printed)", "2:bad usage"})
final class UnprotectCommand implements Callable<Integer> {
    @Option(names = {"-i", "--iface"}, paramLabel = "IF", description = "Only this interface (default: all "
            + "recorded).")
    String iface;

    @Option(names = "--netns", paramLabel = "NAME", description = "With --iface: the interface is in this named "
            + "network namespace.")
    String netns;

    @Option(names = "--state-dir", paramLabel = "DIR", hidden = true, description = "Where the saved configurations "
            + "are (default /run/bwdoctor).")
    Path stateDir = Protection.DEFAULT_STATE_DIR;

    @Override
    public Integer call() {
        if (io.bwdoctor.engine.Platforms.current() == io.bwdoctor.engine.Platforms.Os.WINDOWS) {
            return WindowsProtect.removeAll(System.out);
        }
        try {
            List<String> done = iface == null ? Protection.removeAllLeftovers(stateDir)
                    : Protection.removeLeftover(iface, stateDir, netns);
            if (done.isEmpty()) {
                System.out.println("bwdoctor: nothing to undo" + (iface == null ? "" : " on " + Safe.terminal(iface))
                        + " (no protection recorded in " + Safe.terminal(stateDir.toString()) + ")");
            }
            done.forEach(line -> System.out.println("bwdoctor: " + Safe.terminal(line)));
            return 0;
        } catch (ProtectionException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return 1;
        }
    }
}
