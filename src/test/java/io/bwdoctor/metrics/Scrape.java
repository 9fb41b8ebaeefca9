package io.bwdoctor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scrapes /metrics over HTTP and parses the Prometheus text format (0.0.4) into series. */
record Scrape(String text, List<Series> series) {
    record Series(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.get(key);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Scrape of(InetSocketAddress address) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + address.getPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return parse(response.body());
    }

    static Scrape parse(String text) {
        List<Series> series = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new TreeMap<>();
            if (line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    assertThat(line.charAt(eq + 1)).isEqualTo('"');
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char e = line.charAt(++j);
                            value.append(e == 'n' ? '\n' : e);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = line.substring(i).trim().split(" ");
            series.add(new Series(name, labels, Double.parseDouble(rest[0])));
        }
        return new Scrape(text, series);
    }

    List<Series> named(String name) {
        return series.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one series with this name and these label pairs (k1, v1, k2, v2...), or null. */
    Double value(String name, String... labelPairs) {
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            want.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<Series> matches = named(name).stream().filter(s -> s.labels().equals(new TreeMap<>(want))).toList();
        assertThat(matches.size()).as("series %s%s", name, want).isLessThanOrEqualTo(1);
        return matches.isEmpty() ? null : matches.getFirst().value();
    }
}
