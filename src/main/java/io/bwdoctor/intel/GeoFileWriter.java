package io.bwdoctor.intel;

import io.bwdoctor.core.intel.FlatRanges;
import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.intel.GeoTable;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes a {@link GeoTable} in the format of the bundled files (described in scripts/build-geo-data.py). */
final class GeoFileWriter {
    private GeoFileWriter() {}

    static void write(GeoTable table, OutputStream target) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(target, 1 << 16),
                1 << 16))) {
            out.writeBytes("BWDI");
            out.writeByte(1);
            out.writeByte(table.kind().code());
            out.writeInt(table.labelCount());
            for (int i = 0; i < table.labelCount(); i++) {
                if (table.kind() == GeoKind.ASN) out.writeInt((int) table.asns()[i]);
                byte[] text = table.names()[i].getBytes(StandardCharsets.UTF_8);
                if (text.length > 0xffff) throw new IOException("label " + i + " is longer than 65535 bytes");
                out.writeShort(text.length);
                out.write(text);
            }
            FlatRanges v4 = table.ipv4();
            out.writeInt(v4.size());
            for (int i = 0; i < v4.size(); i++) out.writeInt((int) v4.startLo(i));
            for (int i = 0; i < v4.size(); i++) out.writeInt((int) v4.endLo(i));
            for (int i = 0; i < v4.size(); i++) out.writeInt(v4.label(i));
            FlatRanges v6 = table.ipv6();
            out.writeInt(v6.size());
            for (int i = 0; i < v6.size(); i++) out.writeLong(v6.startHi(i));
            for (int i = 0; i < v6.size(); i++) out.writeLong(v6.startLo(i));
            for (int i = 0; i < v6.size(); i++) out.writeLong(v6.endHi(i));
            for (int i = 0; i < v6.size(); i++) out.writeLong(v6.endLo(i));
            for (int i = 0; i < v6.size(); i++) out.writeInt(v6.label(i));
        }
    }
}
