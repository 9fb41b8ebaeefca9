package io.bwdoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A `bwdoctor top --raw` child process for tests: started, awaited until its first refresh (capture and resolver
 * are up, however slow the machine), then stopped with SIGINT, which makes it print a final object and exit 0.
 */
final class LiveRun {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstLine = new CountDownLatch(1);
    private final Thread reader;

    private LiveRun(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    firstLine.countDown();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static LiveRun start(List<String> command) throws IOException, InterruptedException {
        LiveRun run = new LiveRun(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        assertThat(run.firstLine.await(60, TimeUnit.SECONDS)).as("bwdoctor printed its first refresh").isTrue();
        return run;
    }

    /** Sends SIGINT, waits for the exit (code 0) and returns every line printed. */
    List<String> stop() throws IOException, InterruptedException {
        return stop("INT");
    }

    /** Sends the signal (INT, TERM), waits for the exit (code 0) and returns every line printed. */
    List<String> stop(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(process.exitValue()).as("bwdoctor's exit code after SIG%s", signal).isZero();
        return List.copyOf(lines);
    }
}
