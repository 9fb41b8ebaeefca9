package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets that can send ICMP from user space, from /proc/net/{raw,raw6,icmp,icmp6} of the calling thread's
 * network namespace (the kernel offers no sock_diag for them here): raw sockets of protocol ICMP/ICMPv6 and "ping"
 * datagram sockets. Their inodes lead to the processes that ping.
 */
public final class IcmpSockets {
    private IcmpSockets() {}

    /** Inodes of the sockets that can send ICMP (version 4) or ICMPv6 (version 6). */
    public static List<Long> inodes(int ipVersion) throws IOException {
        List<Long> inodes = new ArrayList<>();
        String suffix = ipVersion == 6 ? "6" : "";
        int protocol = ipVersion == 6 ? 58 : 1;
        read("raw" + suffix, protocol, inodes);
        read("icmp" + suffix, -1, inodes);
        return inodes;
    }

    /** Parses one table; for raw sockets the local "port" is the protocol, which must match unless -1. */
    private static void read(String table, int protocol, List<Long> inodes) throws IOException {
        String text;
        try {
            text = Files.readString(Path.of("/proc/thread-self/net", table));
        } catch (NoSuchFileException e) {
            return; // no IPv6, or no ping sockets in this kernel
        }
        parse(text, protocol, inodes);
    }

    static void parse(String text, int protocol, List<Long> inodes) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue; // the header, or a line we do not understand
            }
            try {
                String local = f[1];
                int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                long inode = Long.parseLong(f[9]);
                if ((protocol < 0 || port == protocol) && inode != 0) {
                    inodes.add(inode);
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // left out rather than guessed
            }
        }
    }
}
