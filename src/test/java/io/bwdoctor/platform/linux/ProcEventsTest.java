package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.ProcessInfo;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The process connector (refused with EPERM inside user namespaces and, for non-root users, on older kernels). */
class ProcEventsTest {
    static final int OWN_PID = (int) ProcessHandle.current().pid();

    @Test
    void reportsForkExecAndExitOfAChild() throws Exception {
        Set<String> events = ConcurrentHashMap.newKeySet();
        try (ProcEvents connector = ProcEvents.start(new ProcEvents.Listener() {
            @Override
            public void forked(int parentPid, int childPid) {
                events.add("fork " + parentPid + " " + childPid);
            }

            @Override
            public void executed(int pid) {
                events.add("exec " + pid);
            }

            @Override
            public void exited(int pid, int exitStatus) {
                events.add("exit " + pid + " " + exitStatus);
            }
        })) {
            Thread.sleep(50); // the subscription is asynchronous: let it settle before the child starts
            Process child = new ProcessBuilder("sh", "-c", "exit 3").start();
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
            long pid = child.pid();
            Set<String> expected = Set.of("fork " + OWN_PID + " " + pid, "exec " + pid, "exit " + pid + " " + (3 << 8));
            for (int i = 0; i < 200 && !events.containsAll(expected); i++) Thread.sleep(10);
            assertThat(events).containsAll(expected);
            assertThat(connector.failure()).isNull();
        }
    }

    @Test
    void factsCapturedAtExecOutliveTheProcess() throws Exception {
        try (ProcScanner procs = new ProcScanner(); ProcEvents watch = procs.captureExecs()) {
            Thread.sleep(50);
            Process child = new ProcessBuilder("sleep", "0.2").start();
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessHandle.of(child.pid())).isEmpty(); // reaped: /proc knows it no more
            ProcessInfo gone = procs.describe((int) child.pid()).orElseThrow();
            assertThat(gone.name()).isEqualTo("sleep");
            assertThat(gone.cmdline()).containsExactly("sleep", "0.2");
            assertThat(gone.exe()).endsWith("/sleep");
            assertThat(gone.ppid()).isEqualTo(OWN_PID);
            assertThat(watch.failure()).isNull();
        }
    }
}
