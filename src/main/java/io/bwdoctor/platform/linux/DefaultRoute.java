package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The interface of the IPv4 default route (the uplink a cloud VM's cap applies to), from /proc/net/route. */
public final class DefaultRoute {
    private DefaultRoute() {}

    public static Optional<String> iface() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/thread-self/net/route")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> parse(List<String> lines) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 7 && f[1].equals("00000000") && f[7].equals("00000000")) {
                return Optional.of(f[0]);
            }
        }
        return Optional.empty();
    }
}
