package io.bwdoctor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Against a JDK HttpServer on 127.0.0.1 that answers what each test scripts. */
class WebhookSinkTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Received(String body, String token, String contentType) {}

    /** Status codes to answer in turn (the last one repeats); and an optional delay before answering. */
    private volatile int[] script = {200};
    private volatile long delayMillis;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream warn = new PrintStream(warnings, true, StandardCharsets.UTF_8);
    private HttpServer server;
    private WebhookSink sink;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/hook", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (sink != null) {
            sink.close(Duration.ofMillis(200));
        }
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int n = received.size();
        received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Token"),
                exchange.getRequestHeaders().getFirst("Content-Type")));
        if (delayMillis > 0) {
            try {
                release.await(delayMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int[] s = script;
        exchange.sendResponseHeaders(s[Math.min(n, s.length - 1)], -1);
        exchange.close();
    }

    private WebhookConfig config() {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        return WebhookConfig.of(url).withHost("web-1").withRetry(3, Duration.ofMillis(10), Duration.ofSeconds(5));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private void awaitIdle() throws InterruptedException {
        await(() -> sink.stats().pending() == 0);
    }

    @Test
    void postsTheDocumentedPayloadWithTheSecretHeader() throws Exception {
        sink = new WebhookSink(config().withHeader("X-Token", "s3cret"), warn);
        sink.opened(Incidents.open(7));
        sink.closed(Incidents.closed(7));
        awaitIdle();

        assertThat(received).hasSize(2);
        assertThat(received.getFirst().token()).isEqualTo("s3cret");
        assertThat(received.getFirst().contentType()).isEqualTo("application/json");
        JsonNode opened = JSON.readTree(received.get(0).body());
        assertThat(opened.get("version").asInt()).isEqualTo(1);
        assertThat(opened.get("event").asString()).isEqualTo("incident_opened");
        assertThat(opened.get("host").asString()).isEqualTo("web-1");
        assertThat(opened.get("summary").asString()).startsWith("incident 7 opened on eth0: peak 970 Mb/s");
        JsonNode incident = opened.get("incident");
        assertThat(incident.propertyNames()).containsExactly("id", "start", "end", "iface", "cap_bps",
                "peak_utilisation", "peak_bps", "culprits", "actions");
        assertThat(incident.get("id").asLong()).isEqualTo(7);
        assertThat(incident.get("start").asString()).isEqualTo("2026-11-30T12:00:00Z");
        assertThat(incident.get("end").isNull()).isTrue();
        assertThat(incident.get("iface").asString()).isEqualTo("eth0");
        assertThat(incident.get("cap_bps").asLong()).isEqualTo(1_000_000_000L);
        assertThat(incident.get("peak_utilisation").asDouble()).isEqualTo(0.97);
        assertThat(incident.get("peak_bps").asLong()).isEqualTo(970_000_000L);
        JsonNode culprit = incident.get("culprits").get(0);
        assertThat(culprit.propertyNames()).containsExactly("pid", "name", "exe", "verdict", "confidence",
                "evidence", "tx_bytes", "rx_bytes");
        assertThat(culprit.get("pid").asInt()).isEqualTo(4242);
        assertThat(culprit.get("verdict").asString()).isEqualTo("backup");
        assertThat(culprit.get("evidence").get(1).asString()).isEqualTo("writes to 203.0.113.7:873");
        assertThat(culprit.get("tx_bytes").asLong()).isEqualTo(90_000_000_000L);
        assertThat(incident.get("actions").get(0).asString()).isEqualTo("rate-limit rsync with --bwlimit");
        assertThat(opened.get("missed").toString()).isEqualTo("{\"rate_limited\":0,\"queue_full\":0,\"failed\":0}");

        JsonNode closed = JSON.readTree(received.get(1).body());
        assertThat(closed.get("event").asString()).isEqualTo("incident_closed");
        assertThat(closed.get("incident").get("end").asString()).isEqualTo("2026-11-30T12:05:12Z");
        assertThat(sink.stats().delivered()).isEqualTo(2);
    }

    @Test
    void hostileStringsAreSanitizedInsideValidJson() throws Exception {
        sink = new WebhookSink(config(), warn);
        sink.opened(Incidents.hostile(3));
        awaitIdle();

        JsonNode incident = JSON.readTree(received.getFirst().body()).get("incident");
        assertThat(incident.get("cap_bps").isNull()).isTrue();
        assertThat(incident.get("culprits").get(0).get("name").asString())
                .isEqualTo("x\\x1b]0;pwned\\x07\\x0aFAKE LINE");
        assertThat(incident.get("culprits").get(0).get("exe").asString()).isEqualTo("/tmp/\\u{202e}exe");
        assertThat(incident.get("culprits").get(0).get("evidence").get(0).asString()).isEqualTo("a\"b\\c");
    }

    @Test
    void retriesAfter503ThenSucceeds() throws Exception {
        script = new int[] {503, 200};
        sink = new WebhookSink(config(), warn);
        sink.opened(Incidents.open(1));
        awaitIdle();

        assertThat(received).hasSize(2);
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        assertThat(sink.stats()).extracting(WebhookSink.Stats::delivered, WebhookSink.Stats::failed,
                WebhookSink.Stats::requests).containsExactly(1L, 0L, 2L);
        assertThat(warnings.size()).isZero();
    }

    @Test
    void gives503UpAfterTheConfiguredAttempts() throws Exception {
        script = new int[] {503};
        sink = new WebhookSink(config(), warn);
        sink.opened(Incidents.open(1));
        awaitIdle();

        assertThat(received).hasSize(3);
        assertThat(sink.stats().failed()).isEqualTo(1);
        assertThat(warnings.toString(StandardCharsets.UTF_8))
                .contains("webhook incident_opened for incident 1 not delivered: HTTP 503 after 3 attempts");
    }

    @Test
    void doesNotRetry400AndTheNextPostCountsTheFailure() throws Exception {
        script = new int[] {400, 200};
        sink = new WebhookSink(config(), warn);
        sink.opened(Incidents.open(1));
        awaitIdle();
        assertThat(received).hasSize(1);
        assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("HTTP 400 (not retried)");

        sink.closed(Incidents.closed(1));
        awaitIdle();
        assertThat(received).hasSize(2);
        assertThat(JSON.readTree(received.get(1).body()).get("missed").get("failed").asLong()).isEqualTo(1);
    }

    @Test
    void timeoutsAreRetriedWithinTheBound() throws Exception {
        delayMillis = 2_000;
        sink = new WebhookSink(config().withRetry(2, Duration.ofMillis(10), Duration.ofMillis(200)), warn);
        long start = System.nanoTime();
        sink.opened(Incidents.open(1));
        awaitIdle();

        assertThat(received).hasSize(2);
        assertThat(sink.stats().failed()).isEqualTo(1);
        assertThat(System.nanoTime() - start).isLessThan(1_800_000_000L);
        assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("HttpTimeoutException");
    }

    @Test
    void rateLimitSuppressesAndTheNextPostSaysHowMany() throws Exception {
        AtomicLong clock = new AtomicLong();
        sink = new WebhookSink(config().withRateLimit(2, Duration.ofMinutes(10)), warn, clock::get);
        for (int i = 1; i <= 5; i++) {
            sink.opened(Incidents.open(i));
        }
        await(() -> sink.stats().delivered() + sink.stats().rateLimited() == 5);
        assertThat(received).hasSize(2);
        assertThat(sink.stats().rateLimited()).isEqualTo(3);

        clock.addAndGet(Duration.ofMinutes(9).toNanos());
        sink.opened(Incidents.open(6)); // window still full
        await(() -> sink.stats().rateLimited() == 4);

        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        sink.opened(Incidents.open(7));
        await(() -> sink.stats().delivered() == 3);
        JsonNode third = JSON.readTree(received.get(2).body());
        assertThat(third.get("incident").get("id").asLong()).isEqualTo(7);
        assertThat(third.get("missed").get("rate_limited").asLong()).isEqualTo(4);

        clock.addAndGet(Duration.ofMinutes(10).toNanos());
        sink.opened(Incidents.open(8));
        await(() -> sink.stats().delivered() == 4);
        assertThat(JSON.readTree(received.get(3).body()).get("missed").get("rate_limited").asLong()).isZero();
    }

    @Test
    void slowServerNeverBlocksTheCallerAndQueueOverflowIsCounted() throws Exception {
        delayMillis = 5_000;
        sink = new WebhookSink(config().withQueueCapacity(2), warn);
        long start = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            sink.opened(Incidents.open(i));
        }
        long callerNanos = System.nanoTime() - start;

        assertThat(callerNanos).as("10 events handed over while the server stalls 5 s").isLessThan(1_000_000_000L);
        await(() -> received.size() == 1); // the worker is stuck on the first post
        long overflow = sink.stats().queueFull();
        assertThat(overflow).isBetween(7L, 8L); // 1 taken by the worker (unless it was late) + 2 queued

        release.countDown();
        awaitIdle();
        assertThat(sink.stats().delivered()).isEqualTo(10 - overflow);
        long reported = 0; // each overflow is reported by exactly one delivered post (the first, or the next)
        for (Received r : received) {
            reported += JSON.readTree(r.body()).get("missed").get("queue_full").asLong();
        }
        assertThat(reported).isEqualTo(overflow);
    }

    @Test
    void configRejectsWhatCannotWorkAndNeverPrintsTheSecret() {
        assertThatThrownBy(() -> WebhookConfig.of(URI.create("file:///etc/passwd")))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> WebhookConfig.of(URI.create("http://h/")).withHeader("X-Token", "a\r\nHost: evil"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> WebhookConfig.of(URI.create("http://h/")).withHeader("Bad Name", "v"))
                .hasMessageContaining("not a valid HTTP header name");
        assertThatThrownBy(() -> WebhookConfig.of(URI.create("http://h/")).withHeader("Host", "v"))
                .hasMessageContaining("cannot be set");
        assertThat(WebhookConfig.of(URI.create("https://hooks.example:8443/services/T0/B0/s3cret?token=s3cret"))
                .withHeader("Authorization", "Bearer s3cret"))
                .asString().contains("https://hooks.example:8443/...", "Authorization: ***").doesNotContain("s3cret");
    }
}
