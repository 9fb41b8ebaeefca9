package io.bwdoctor.platform.windows;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Buffers from Windows APIs are data bwdoctor did not write: whatever they hold, the decoders either return or
 * throw IllegalArgumentException with a message; they never read outside the buffer (a heap segment of exactly the
 * fuzzed bytes, so any such read throws IndexOutOfBoundsException and fails the test). JAZZER_FUZZ=1 to fuzz for
 * real; otherwise a short regression pass.
 */
class WindowsDecodersFuzzTest {
    private static final long BASE = 0x000001D2C3A40000L;

    @FuzzTest(maxDuration = "30s")
    void decodersOnlyRefuseCleanly(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 7);
        int count = data.consumeInt(-2, 64);
        long skew = data.consumeLong(-4096, 4096);
        byte[] bytes = data.consumeRemainingAsBytes();
        MemorySegment s = MemorySegment.ofArray(bytes);
        try {
            switch (which) {
                case 0, 1, 2, 3 -> {
                    IpHelperTables.Kind kind = IpHelperTables.Kind.values()[which];
                    IpHelperTables.decode(kind, s).forEach(IpHelperTables::toSocketRecord);
                }
                case 4 -> Win32Decoders.commandLine(s, BASE + skew);
                case 5 -> Win32Decoders.servicesByPid(s, BASE + skew, count);
                case 6 -> Win32Decoders.processEntry(s);
                default -> {
                    TcpEStats.readData(s);
                    Win32Decoders.versionQueries(s, "CompanyName");
                }
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal without a message", e);
            }
        }
    }
}
