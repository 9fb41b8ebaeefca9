package io.bwdoctor.guard;

import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.core.verdict.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the guard may do on its own to a process judged abnormal with high confidence: nothing (the default), say
 * what it would do (dry-run), or freeze it (SIGSTOP: it stops using the link at once, and stays in memory as
 * evidence for the admin, who decides to kill it). Every step is returned for the incident's record.
 */
final class Policy {
    static final double MIN_CONFIDENCE = 0.9;
    static final List<String> NAMES = List.of("none", "dry-run", "stop");

    private Policy() {}

    static List<String> apply(String policy, Diagnosis d, PrintStream log) {
        List<String> done = new ArrayList<>();
        if (policy == null || policy.equals("none")) {
            return done;
        }
        for (Diagnosis.ProcessReport p : d.processes()) {
            if (p.classification().verdict() != Verdict.ABNORMAL || p.exited()
                    || p.classification().confidence() < MIN_CONFIDENCE) {
                continue;
            }
            int pid = p.facts().pid();
            String what = "kill -STOP " + pid + " (" + p.facts().name() + ", abnormal " + p.classification().kind()
                    + ", confidence " + p.classification().confidence() + ")";
            if (policy.equals("dry-run")) {
                done.add("policy dry-run: would run " + what);
            } else {
                done.add("policy: ran " + what + ": " + stop(pid));
            }
            log.println("bwdoctor guard: " + Safe.terminal(done.getLast()));
        }
        return done;
    }

    private static String stop(int pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-STOP", Integer.toString(pid)).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes()).strip();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return "no answer";
            }
            return kill.exitValue() == 0 ? "frozen" : "failed: " + out;
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
