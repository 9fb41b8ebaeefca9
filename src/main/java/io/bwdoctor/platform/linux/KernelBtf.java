package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Member offsets of kernel structs, read from the kernel's own type information (/sys/kernel/btf/vmlinux), so that
 * an eBPF program can read struct fields without compiling against kernel headers. The file comes from the kernel
 * but is parsed defensively: every offset and count is bounds-checked.
 */
final class KernelBtf {
    static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final int MAGIC = 0xeB9F;
    private static final int KIND_STRUCT = 4, KIND_UNION = 5;

    private final ByteBuffer types;
    private final ByteBuffer strings;
    /** Byte position of each type id's record in {@link #types}; index 0 (void) unused. */
    private final int[] typeAt;

    private KernelBtf(ByteBuffer types, ByteBuffer strings, int[] typeAt) {
        this.types = types;
        this.strings = strings;
        this.typeAt = typeAt;
    }

    static KernelBtf read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.nativeOrder());
        if (all.length < 24 || (b.getShort(0) & 0xffff) != MAGIC) {
            throw new IOException(file + " is not BTF");
        }
        int hdrLen = b.getInt(4);
        long typeOff = hdrLen + (long) b.getInt(8), typeLen = b.getInt(12) & 0xffffffffL;
        long strOff = hdrLen + (long) b.getInt(16), strLen = b.getInt(20) & 0xffffffffL;
        if (hdrLen < 24 || typeOff + typeLen > all.length || strOff + strLen > all.length) {
            throw new IOException(file + ": BTF sections out of bounds");
        }
        ByteBuffer types = b.slice((int) typeOff, (int) typeLen).order(ByteOrder.nativeOrder());
        ByteBuffer strings = b.slice((int) strOff, (int) strLen);
        int[] at = new int[1024];
        int count = 1;
        for (int p = 0; p + 12 <= types.limit(); count++) {
            if (count == at.length) {
                at = java.util.Arrays.copyOf(at, at.length * 2);
            }
            at[count] = p;
            int info = types.getInt(p + 4);
            int vlen = info & 0xffff, kind = (info >>> 24) & 0x1f;
            p += 12 + switch (kind) {
                case 1, 14, 17 -> 4;                 // INT, VAR, DECL_TAG
                case 3 -> 12;                         // ARRAY
                case 4, 5, 15, 19 -> 12 * vlen;       // STRUCT, UNION, DATASEC, ENUM64
                case 6, 13 -> 8 * vlen;               // ENUM, FUNC_PROTO
                case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0;
                default -> throw new IOException(file + ": unknown BTF kind " + kind);
            };
        }
        return new KernelBtf(types, strings, java.util.Arrays.copyOf(at, count));
    }

    /**
     * Byte offsets of the named members of a struct, looking through anonymous structs and unions. Members that are
     * bit fields or absent are missing from the result.
     */
    Map<String, Integer> memberOffsets(String struct) throws IOException {
        for (int id = 1; id < typeAt.length; id++) {
            int kind = (types.getInt(typeAt[id] + 4) >>> 24) & 0x1f;
            if (kind == KIND_STRUCT && struct.equals(name(types.getInt(typeAt[id])))) {
                Map<String, Integer> out = new HashMap<>();
                collect(id, 0, out, 0);
                return out;
            }
        }
        throw new IOException("struct " + struct + " not in kernel BTF");
    }

    private void collect(int id, int base, Map<String, Integer> out, int depth) {
        int p = typeAt[id];
        int info = types.getInt(p + 4);
        boolean bitfields = info < 0; // kind_flag: offsets carry bit-field sizes in the top byte
        for (int i = 0, vlen = info & 0xffff; i < vlen; i++) {
            int m = p + 12 + 12 * i;
            int nameOff = types.getInt(m), type = types.getInt(m + 4), offset = types.getInt(m + 8);
            int bits = bitfields ? offset & 0xffffff : offset;
            boolean isBitfield = bitfields && (offset >>> 24) != 0;
            if (isBitfield || bits % 8 != 0) {
                continue;
            }
            if (nameOff == 0) {
                int t = type > 0 && type < typeAt.length ? (types.getInt(typeAt[type] + 4) >>> 24) & 0x1f : 0;
                if ((t == KIND_STRUCT || t == KIND_UNION) && depth < 8) {
                    collect(type, base + bits / 8, out, depth + 1);
                }
            } else {
                out.putIfAbsent(name(nameOff), base + bits / 8);
            }
        }
    }

    private String name(int off) {
        if (off <= 0 || off >= strings.limit()) {
            return "";
        }
        int end = off;
        while (end < strings.limit() && strings.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - off];
        strings.get(off, b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
