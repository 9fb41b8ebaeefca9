package io.bwdoctor.metrics;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves /metrics (Prometheus text and OpenMetrics formats, chosen by the scraper's Accept header) on the JDK's HTTP
 * server. Listens on 127.0.0.1:9567 unless told otherwise: metrics name processes, so they are not offered to the
 * network by default (docs/FLEET.md shows how a fleet reaches them).
 */
public final class MetricsServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9567;

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static MetricsServer start(InetSocketAddress listen, PrometheusRegistry registry) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(listen, 16);
        } catch (IOException e) {
            throw new IOException("cannot listen for metrics on " + describe(listen) + ": " + e.getMessage()
                    + " (is another bwdoctor or exporter using the port? choose one with --metrics-listen)", e);
        }
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/", exchange -> {
            byte[] body = "bwdoctor metrics are at /metrics\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    /** The address actually bound (the port is resolved when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Parses a listen address: "PORT", "IPV4:PORT", "[IPV6]:PORT" or "localhost:PORT". Only IP literals (and
     * localhost), so that starting the guard never waits for DNS; a bare port means 127.0.0.1.
     */
    public static InetSocketAddress parseListen(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("metrics listen address is empty (expected HOST:PORT, e.g. 127.0.0.1:"
                    + DEFAULT_PORT + ")");
        }
        String s = text.strip();
        String host = DEFAULT_HOST, port = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw bad(text, "an IPv6 address is written [ADDRESS]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else if (s.indexOf(':') >= 0) {
            if (s.indexOf(':') != s.lastIndexOf(':')) {
                throw bad(text, "an IPv6 address is written [ADDRESS]:PORT");
            }
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(text, "the port must be a number");
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw bad(text, "the port must be 0..65535");
        }
        InetAddress address;
        try {
            address = host.equalsIgnoreCase("localhost") ? InetAddress.getLoopbackAddress() : InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw bad(text, "the host must be an IP address (or localhost)");
        }
        return new InetSocketAddress(address, portNumber);
    }

    private static IllegalArgumentException bad(String text, String why) {
        String shown = io.bwdoctor.core.text.Safe.terminal(text);
        return new IllegalArgumentException("bad metrics listen address \"" + (shown.length() > 80
                ? shown.substring(0, 80) + "..." : shown) + "\": " + why);
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
