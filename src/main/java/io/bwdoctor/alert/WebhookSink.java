package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.text.Safe;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Posts each event as JSON (see {@link WebhookPayload}, docs/ALERTS.md) to a configured URL, from its own thread:
 * the guard's calls only put the event in a bounded queue and never wait (a full queue drops the event, counted).
 * Each event is tried up to {@link WebhookConfig#attempts()} times when the server answers 5xx or does not answer in
 * time, and never again after a 4xx (a bad URL or token does not get better by repeating it). At most
 * {@link WebhookConfig#maxPosts()} events are posted per {@link WebhookConfig#window()}; the others are counted, and
 * the next post carries all such counts in its "missed" object.
 */
public final class WebhookSink implements AlertSink {
    static final String OPENED = "incident_opened", CLOSED = "incident_closed";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private record Event(String name, Incident incident, long millis) {}

    /** Totals since start. {@code pending} = events queued or being posted. */
    public record Stats(long delivered, long failed, long rateLimited, long queueFull, long requests, int pending) {}

    private final WebhookConfig config;
    private final PrintStream warnings;
    private final LongSupplier nanoClock;
    private final BlockingQueue<Event> queue;
    private final HttpClient client;
    private final Thread worker;
    private final long[] postTimes;
    private int postCount, postNext;
    private volatile boolean closing;
    private volatile boolean busy;
    private final AtomicLong delivered = new AtomicLong(), failed = new AtomicLong(), rateLimited = new AtomicLong(),
            queueFull = new AtomicLong(), requests = new AtomicLong();
    /** Counts not yet reported in a delivered post; the queue-full one is bumped by the caller's thread. */
    private final AtomicLong missedRateLimited = new AtomicLong(), missedQueueFull = new AtomicLong(),
            missedFailed = new AtomicLong();

    public WebhookSink(WebhookConfig config, PrintStream warnings) {
        this(config, warnings, System::nanoTime);
    }

    WebhookSink(WebhookConfig config, PrintStream warnings, LongSupplier nanoClock) {
        this.config = config;
        this.warnings = warnings;
        this.nanoClock = nanoClock;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.postTimes = new long[config.maxPosts()];
        this.client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
        this.worker = Thread.ofPlatform().daemon().name("bwdoctor-webhook").unstarted(this::run);
        worker.start();
    }

    @Override
    public void opened(Incident incident) {
        enqueue(OPENED, incident);
    }

    @Override
    public void closed(Incident incident) {
        enqueue(CLOSED, incident);
    }

    public Stats stats() {
        return new Stats(delivered.get(), failed.get(), rateLimited.get(), queueFull.get(), requests.get(),
                queue.size() + (busy ? 1 : 0));
    }

    private void enqueue(String name, Incident incident) {
        if (closing || !queue.offer(new Event(name, incident, System.currentTimeMillis()))) {
            queueFull.incrementAndGet();
            missedQueueFull.incrementAndGet();
        }
    }

    private void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                Event event = queue.poll(100, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                busy = true;
                try {
                    deliver(event);
                } finally {
                    busy = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Event event) throws InterruptedException {
        if (!takePostSlot()) {
            rateLimited.incrementAndGet();
            missedRateLimited.incrementAndGet();
            return;
        }
        long rl = missedRateLimited.get(), qf = missedQueueFull.get(), fl = missedFailed.get();
        String body = WebhookPayload.json(event.name(), config.host(), event.millis(), event.incident(),
                new WebhookPayload.Missed(rl, qf, fl));
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "bwdoctor")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (config.headerName() != null) {
            request.header(config.headerName(), config.headerValue());
        }
        String problem = post(request.build());
        if (problem == null) {
            delivered.incrementAndGet();
            missedRateLimited.addAndGet(-rl);
            missedQueueFull.addAndGet(-qf);
            missedFailed.addAndGet(-fl);
        } else {
            failed.incrementAndGet();
            missedFailed.incrementAndGet();
            warnings.println("bwdoctor: webhook " + event.name() + " for incident " + event.incident().id()
                    + " not delivered: " + problem);
            warnings.flush();
        }
    }

    /** Posts with retries; null when delivered, else why not (one line). */
    private String post(HttpRequest request) throws InterruptedException {
        long wait = config.backoff().toMillis();
        String problem = null;
        for (int attempt = 1; attempt <= config.attempts(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(wait);
                wait *= 4;
            }
            requests.incrementAndGet();
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 200 && status < 300) {
                    return null;
                }
                problem = "HTTP " + status;
                if (status < 500) {
                    return problem + " (not retried)";
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + Safe.terminal(e.getMessage()));
            }
        }
        return problem + " after " + config.attempts() + " attempts";
    }

    /** Sliding window over the start times of the last maxPosts posts. */
    private boolean takePostSlot() {
        long now = nanoClock.getAsLong();
        if (postCount == postTimes.length) {
            long oldest = postTimes[postNext];
            if (now - oldest < config.window().toNanos()) {
                return false;
            }
        } else {
            postCount++;
        }
        postTimes[postNext] = now;
        postNext = (postNext + 1) % postTimes.length;
        return true;
    }

    /** Delivers what is queued for up to 10 seconds, then gives up on the rest. */
    @Override
    public void close() {
        close(CLOSE_GRACE);
    }

    void close(Duration grace) {
        closing = true;
        try {
            worker.join(grace);
            if (worker.isAlive()) {
                worker.interrupt();
                client.shutdownNow();
                worker.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.shutdownNow();
        }
    }
}
