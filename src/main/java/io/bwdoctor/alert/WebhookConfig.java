package io.bwdoctor.alert;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where and how the webhook posts. Only {@link #url} is required; the rest has defaults that keep a flapping link from
 * flooding a chat channel (6 posts per 10 minutes) and bound each delivery to about 30 seconds (3 attempts, 5 s
 * request timeout, 2 s then 8 s between attempts).
 *
 * @param headerName  optional header carrying a secret token (e.g. "Authorization"), with {@code headerValue}
 * @param host        the host name put in the payload
 * @param maxPosts    at most this many posts per {@code window}; further events are counted and reported by the next post
 * @param attempts    tries per event when the server answers 5xx or does not answer in time
 * @param backoff     wait before the second attempt; each later wait is 4 times the previous one
 */
public record WebhookConfig(URI url, String headerName, String headerValue, String host, int maxPosts,
                            Duration window, int attempts, Duration backoff, Duration connectTimeout,
                            Duration requestTimeout, int queueCapacity) {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public WebhookConfig {
        if (url == null || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException("webhook URL must be http:// or https:// with a host name");
        }
        if ((headerName == null) != (headerValue == null)) {
            throw new IllegalArgumentException("webhook header needs both a name and a value");
        }
        if (headerName != null) {
            if (!TOKEN.matcher(headerName).matches()) {
                throw new IllegalArgumentException("webhook header name is not a valid HTTP header name");
            }
            if (headerValue.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new IllegalArgumentException("webhook header value contains control characters");
            }
            try {
                HttpRequest.newBuilder(url).header(headerName, headerValue);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook header " + headerName + " cannot be set by bwdoctor");
            }
        }
        if (maxPosts < 1 || attempts < 1 || attempts > 10 || queueCapacity < 1) {
            throw new IllegalArgumentException("webhook limits must be positive (attempts at most 10)");
        }
        for (Duration d : new Duration[] {window, backoff, connectTimeout, requestTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("webhook durations must be given and not negative");
            }
        }
        host = host == null ? HostName.local() : host;
    }

    /** The defaults for a URL, as described above. */
    public static WebhookConfig of(URI url) {
        return new WebhookConfig(url, null, null, null, 6, Duration.ofMinutes(10), 3, Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(5), 64);
    }

    public WebhookConfig withHeader(String name, String value) {
        return new WebhookConfig(url, name, value, host, maxPosts, window, attempts, backoff, connectTimeout,
                requestTimeout, queueCapacity);
    }

    public WebhookConfig withRateLimit(int posts, Duration per) {
        return new WebhookConfig(url, headerName, headerValue, host, posts, per, attempts, backoff, connectTimeout,
                requestTimeout, queueCapacity);
    }

    public WebhookConfig withRetry(int tries, Duration firstBackoff, Duration timeout) {
        return new WebhookConfig(url, headerName, headerValue, host, maxPosts, window, tries, firstBackoff,
                connectTimeout.compareTo(timeout) < 0 ? connectTimeout : timeout, timeout, queueCapacity);
    }

    public WebhookConfig withQueueCapacity(int capacity) {
        return new WebhookConfig(url, headerName, headerValue, host, maxPosts, window, attempts, backoff,
                connectTimeout, requestTimeout, capacity);
    }

    public WebhookConfig withHost(String name) {
        return new WebhookConfig(url, headerName, headerValue, name, maxPosts, window, attempts, backoff,
                connectTimeout, requestTimeout, queueCapacity);
    }

    /**
     * Never prints the secret header value, nor the URL's path and query: chat services put their secret there
     * (https://hooks.example/services/T0/B0/SECRET).
     */
    @Override
    public String toString() {
        return "WebhookConfig[url=" + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":"
                + url.getPort()) + "/..." + (headerName == null ? "" : ", header=" + headerName + ": ***")
                + ", maxPosts=" + maxPosts + "/" + window + ", attempts=" + attempts + "]";
    }
}
