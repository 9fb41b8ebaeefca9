package io.bwdoctor.intel;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal MaxMind DB writer for test fixtures (format: https://maxmind.github.io/MaxMind-DB/): 24-bit records,
 * maps/strings/unsigned integers in the data section, no pointers. Networks are inserted in order; a later, more
 * specific network overrides part of an earlier one. {@code aliasIpv4} links ::ffff:0:0/96 to the IPv4 subtree as
 * MaxMind's own writer does. What it writes is read back by MaxMind's reader in the tests, so a writer bug shows.
 */
final class MmdbWriter {
    private static final byte[] MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd',
            '.', 'c', 'o', 'm'};

    private static final class Node {
        final Object[] child = new Object[2]; // Node, Integer (data offset) or null
    }

    private final int ipVersion;
    private final String databaseType;
    private final Node root = new Node();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Map<Object, Integer> dataOffsets = new LinkedHashMap<>();
    private boolean aliasIpv4;

    MmdbWriter(int ipVersion, String databaseType) {
        this.ipVersion = ipVersion;
        this.databaseType = databaseType;
    }

    MmdbWriter aliasIpv4() {
        aliasIpv4 = true;
        return this;
    }

    /** "192.0.2.0/24" or "2001:db8::/32"; IPv4 networks go under ::/96 in an IPv6 database. */
    MmdbWriter insert(String cidr, Map<String, Object> record) {
        String[] p = cidr.split("/");
        byte[] address = InetAddress.ofLiteral(p[0]).getAddress();
        int prefix = Integer.parseInt(p[1]);
        if (address.length == 4 && ipVersion == 6) {
            byte[] wide = new byte[16];
            System.arraycopy(address, 0, wide, 12, 4);
            address = wide;
            prefix += 96;
        }
        Integer offset = dataOffsets.computeIfAbsent(record, r -> {
            int at = data.size();
            encode(r, data);
            return at;
        });
        Node node = root;
        for (int depth = 0; depth < prefix - 1; depth++) {
            int bit = bit(address, depth);
            Object c = node.child[bit];
            if (!(c instanceof Node)) {
                Node split = new Node();
                split.child[0] = c;
                split.child[1] = c;
                node.child[bit] = split;
                c = split;
            }
            node = (Node) c;
        }
        node.child[bit(address, prefix - 1)] = offset;
        return this;
    }

    private static int bit(byte[] a, int i) {
        return (a[i >> 3] >> (7 - (i & 7))) & 1;
    }

    byte[] build() {
        if (aliasIpv4 && ipVersion == 6) {
            Node v4 = root; // node at ::/96
            for (int i = 0; i < 96 && v4 != null; i++) v4 = v4.child[0] instanceof Node n ? n : null;
            if (v4 != null) {
                Node n = root; // ::ffff:0:0/96 = 80 zero bits, 16 one bits
                for (int i = 0; i < 95; i++) {
                    int bit = i < 80 ? 0 : 1;
                    if (!(n.child[bit] instanceof Node)) n.child[bit] = new Node();
                    n = (Node) n.child[bit];
                }
                n.child[1] = v4;
            }
        }
        Map<Node, Integer> numbers = new IdentityHashMap<>();
        List<Node> order = new java.util.ArrayList<>();
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (numbers.containsKey(n)) continue;
            numbers.put(n, order.size());
            order.add(n);
            for (int b = 1; b >= 0; b--) if (n.child[b] instanceof Node c) stack.push(c);
        }
        int nodeCount = order.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : order) {
            for (int b = 0; b < 2; b++) {
                Object c = n.child[b];
                long value = c == null ? nodeCount : c instanceof Node cn ? numbers.get(cn) : nodeCount + 16L + (Integer) c;
                if (value >= 1 << 24) throw new IllegalStateException("too big for 24-bit records");
                out.write((int) (value >> 16));
                out.write((int) (value >> 8));
                out.write((int) value);
            }
        }
        out.writeBytes(new byte[16]);
        out.writeBytes(data.toByteArray());
        out.writeBytes(MARKER);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", (long) nodeCount);
        meta.put("record_size", 24L);
        meta.put("ip_version", (long) ipVersion);
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", 2L);
        meta.put("binary_format_minor_version", 0L);
        meta.put("build_epoch", BigInteger.valueOf(1_780_000_000L));
        meta.put("description", Map.of("en", "bwdoctor test database"));
        encode(meta, out);
        return out.toByteArray();
    }

    private static void encode(Object value, ByteArrayOutputStream out) {
        switch (value) {
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                control(2, b.length, out);
                out.writeBytes(b);
            }
            case Long l -> unsigned(l < 0 || l > 0xffff_ffffL ? 9 : 6, BigInteger.valueOf(l), out);
            case Integer i -> unsigned(6, BigInteger.valueOf(i), out);
            case BigInteger b -> unsigned(9, b, out);
            case Map<?, ?> m -> {
                control(7, m.size(), out);
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    encode(e.getKey(), out);
                    encode(e.getValue(), out);
                }
            }
            case List<?> list -> {
                control(11, list.size(), out);
                for (Object o : list) encode(o, out);
            }
            default -> throw new IllegalArgumentException("cannot encode " + value.getClass());
        }
    }

    private static void unsigned(int type, BigInteger v, ByteArrayOutputStream out) {
        byte[] b = v.signum() == 0 ? new byte[0] : v.toByteArray();
        if (b.length > 0 && b[0] == 0) b = java.util.Arrays.copyOfRange(b, 1, b.length);
        control(type, b.length, out);
        out.writeBytes(b);
    }

    private static void control(int type, int size, ByteArrayOutputStream out) {
        int sizeBits;
        byte[] extra;
        if (size < 29) {
            sizeBits = size;
            extra = new byte[0];
        } else if (size < 285) {
            sizeBits = 29;
            extra = new byte[] {(byte) (size - 29)};
        } else if (size < 65821) {
            sizeBits = 30;
            extra = new byte[] {(byte) ((size - 285) >> 8), (byte) (size - 285)};
        } else {
            throw new IllegalArgumentException("value too large for this test writer");
        }
        if (type <= 7) {
            out.write((type << 5) | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        out.writeBytes(extra);
    }
}
