package io.bwdoctor.intel;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Reverse DNS names for remote addresses, only when the user asks (diagnose --rdns): each lookup is bounded by a short
 * timeout and a list is resolved in parallel on a few daemon threads. Uses the system resolver (which confirms the
 * name maps back to the address); a lookup still blocked in the resolver after its timeout is abandoned, not waited
 * for. Never call it on a hot path.
 */
public final class ReverseDns {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final int MAX_THREADS = 8;

    private static final Function<InetAddress, String> SYSTEM = a -> {
        String name = a.getCanonicalHostName();
        return name.equals(a.getHostAddress()) ? null : name; // the literal back means "no name"
    };

    private ReverseDns() {}

    /** The name of the address, or empty if there is none or it took longer than {@code timeout}. */
    public static Optional<String> lookup(InetAddress address, Duration timeout) {
        return Optional.ofNullable(lookupAll(List.of(address), timeout).get(address));
    }

    /** Names of the addresses that have one, each bounded by {@code timeout}; whole call bounded by
     *  timeout x ceil(n / {@value #MAX_THREADS}). */
    public static Map<InetAddress, String> lookupAll(Collection<InetAddress> addresses, Duration timeout) {
        return lookupAll(addresses, timeout, SYSTEM);
    }

    static Map<InetAddress, String> lookupAll(Collection<InetAddress> addresses, Duration timeout,
                                              Function<InetAddress, String> resolver) {
        List<InetAddress> distinct = addresses.stream().distinct().toList();
        Map<InetAddress, String> names = new LinkedHashMap<>();
        if (distinct.isEmpty()) return names;
        int threads = Math.min(MAX_THREADS, distinct.size());
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "bwdoctor-rdns");
            t.setDaemon(true); // a resolver call stuck past its timeout must not keep the JVM alive
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemons);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (InetAddress a : distinct) futures.add(pool.submit(() -> resolver.apply(a)));
            long rounds = (distinct.size() + threads - 1) / threads;
            long deadline = System.nanoTime() + timeout.toNanos() * rounds;
            for (int i = 0; i < distinct.size(); i++) {
                try {
                    String name = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (name != null && !name.isEmpty()) names.put(distinct.get(i), name);
                } catch (TimeoutException | ExecutionException e) {
                    futures.get(i).cancel(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return names;
    }
}
