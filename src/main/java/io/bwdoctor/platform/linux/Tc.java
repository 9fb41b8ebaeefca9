package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's `tc` and `ip` (optionally in a named network namespace), bounded in time and output. */
final class Tc {
    private static final long TIMEOUT_SECONDS = 15;
    private static final int MAX_OUTPUT = 1 << 20;

    /** Exit code, stdout and stderr of one command. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        String why() {
            String text = (err.isBlank() ? out : err).strip().replace('\n', ' ');
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    private final String netns;

    Tc(String netns) {
        this.netns = netns;
    }

    String netns() {
        return netns;
    }

    Result tc(List<String> args) throws ProtectionException {
        return run("tc", args);
    }

    Result ip(List<String> args) throws ProtectionException {
        return run("ip", args);
    }

    /** Runs tc with ARGS and fails with tc's own message unless it exits with 0. */
    String tcOk(List<String> args) throws ProtectionException {
        Result r = tc(args);
        if (!r.ok()) {
            throw new ProtectionException("tc " + String.join(" ", args) + ": " + r.why());
        }
        return r.out();
    }

    private Result run(String tool, List<String> args) throws ProtectionException {
        List<String> cmd = new ArrayList<>(List.of(tool));
        if (netns != null) {
            cmd.addAll(List.of("-n", netns));
        }
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new ProtectionException("cannot run " + tool + " (install iproute2): " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            String[] texts = {"", ""};
            Thread outReader = Thread.ofVirtual().start(() -> texts[0] = read(p.getInputStream()));
            Thread errReader = Thread.ofVirtual().start(() -> texts[1] = read(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ProtectionException(tool + " did not finish within " + TIMEOUT_SECONDS + " s: "
                        + String.join(" ", cmd));
            }
            outReader.join(TimeUnit.SECONDS.toMillis(5));
            errReader.join(TimeUnit.SECONDS.toMillis(5));
            return new Result(p.exitValue(), texts[0], texts[1]);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new ProtectionException("cannot talk to " + tool + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProtectionException("interrupted while running " + tool);
        }
    }

    /** Reads at most 1 MiB (the rest is drained and dropped so that the tool never blocks on a full pipe). */
    private static String read(java.io.InputStream in) {
        try (in) {
            byte[] head = in.readNBytes(MAX_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(head, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
