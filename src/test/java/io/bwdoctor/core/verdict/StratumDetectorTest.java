package io.bwdoctor.core.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StratumDetectorTest {
    private static String method(byte[] payload) {
        return StratumDetector.method(MemorySegment.ofArray(payload), 0, payload.length);
    }

    private static String method(String payload) {
        return method(payload.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void xmrigLogin() {
        assertThat(method("{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"4AdUndX\","
                + "\"pass\":\"x\",\"agent\":\"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\",\"algo\":"
                + "[\"rx/0\"]}}\n")).isEqualTo("login");
    }

    @Test
    void xmrigSubmitKeepaliveAndPoolJob() {
        assertThat(method("{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"1\","
                + "\"job_id\":\"7\",\"nonce\":\"be0a0000\"}}\n")).isEqualTo("submit");
        assertThat(method("{\"id\":5,\"jsonrpc\":\"2.0\",\"method\":\"keepalived\",\"params\":{\"id\":\"1\"}}\n"))
                .isEqualTo("keepalived");
        assertThat(method("{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"0e0e\"}}\n"))
                .isEqualTo("job");
    }

    @Test
    void classicStratum() {
        assertThat(method("{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"cgminer/4.10\"]}\n"))
                .isEqualTo("mining.subscribe");
        assertThat(method("{\"params\": [\"wallet.rig\", \"x\"], \"id\": 2, \"method\": \"mining.authorize\"}\n"))
                .isEqualTo("mining.authorize");
        assertThat(method("{\"params\":[\"w\",\"j\",\"00\",\"5f\",\"1a\"],\"id\":4,\"method\":\"mining.submit\"}"))
                .isEqualTo("mining.submit");
        assertThat(method("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[16384]}"))
                .isEqualTo("mining.set_difficulty");
        assertThat(method("{\"id\":3,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}"))
                .isEqualTo("mining.extranonce.subscribe");
    }

    @Test
    void spacesAroundTheColon() {
        assertThat(method("{\"id\":1,\"method\"  :   \"login\",\"params\":{}}")).isEqualTo("login");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"method\":\"GET\",\"path\":\"/api/v1/items\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"params\":[\"0x0\"],\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"submitOrder\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"login_user\",\"params\":{}}",
            "{\"id\":1,\"result\":{\"id\":\"1\",\"job\":{\"blob\":\"0e0e\"},\"status\":\"OK\"}}",
            "{\"user\":\"login\",\"action\":\"submit\",\"note\":\"mining.subscribe\"}",
            "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "POST /rpc HTTP/1.1\r\n\r\n{\"method\":\"login\"}",
            " {\"id\":1,\"method\":\"login\",\"params\":{}}"})
    void otherPayloadsAreNotStratum(String payload) {
        assertThat(method(payload)).isNull();
    }

    @Test
    void tlsIsNotStratum() {
        byte[] clientHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, 0x7b, 0x7b,
            0x22, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x22};
        assertThat(method(clientHello)).isNull();
    }

    @Test
    void shortPayloadsAreNotStratum() {
        assertThat(method("{\"method\":\"job\"")).as("15 bytes").isNull();
        assertThat(method("{\"method\":\"job\"}")).as("16 bytes").isEqualTo("job");
        assertThat(method("{")).isNull();
        assertThat(method(new byte[0])).isNull();
    }

    @Test
    void onlyTheFirst512BytesAreRead() {
        String head = "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"pass\":\"";
        String padded = head + "x".repeat(3000) + "\"}}";
        assertThat(method(padded)).as("method early in a long payload").isEqualTo("login");

        String late = "{\"params\":{\"pad\":\"" + "x".repeat(600) + "\"},\"method\":\"login\"}";
        assertThat(method(late)).as("method past 512 bytes is not looked for").isNull();

        String straddling = "{\"pad\":\"" + "x".repeat(512 - 8 - 2 - 12) + "\",\"method\":\"login\"}";
        assertThat(straddling.indexOf("\"login\"")).isLessThan(512).isGreaterThan(505);
        assertThat(method(straddling)).as("value cut at 512 bytes").isNull();
    }

    @Test
    void readsFromTheOffsetAndNoFurtherThanLength() {
        byte[] frame = new byte[54 + 80];
        // the bytes before the payload (headers) hold a decoy that must not be seen
        byte[] decoy = ("{\"method\":\"login\",\"pad\":\"" + "x".repeat(54)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(decoy, 0, frame, 0, 54);
        byte[] payload = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(payload, 0, frame, 54, payload.length);
        MemorySegment segment = MemorySegment.ofArray(frame);
        assertThat(StratumDetector.method(segment, 0, frame.length)).as("the decoy is Stratum").isEqualTo("login");
        assertThat(StratumDetector.method(segment, 54, payload.length)).isEqualTo("mining.subscribe");
        assertThat(StratumDetector.method(segment.asSlice(10), 44, payload.length)).isEqualTo("mining.subscribe");
        assertThat(StratumDetector.method(segment, 53, payload.length + 1)).as("payload starts one byte early")
                .isNull();
        assertThat(StratumDetector.method(segment, 54, 30)).as("method value beyond length").isNull();
    }

    @Test
    void lengthBeyondTheSegmentReadsOnlyWhatIsThere() {
        byte[] payload = "{\"id\":1,\"method\":\"login\"}".getBytes(StandardCharsets.US_ASCII);
        MemorySegment segment = MemorySegment.ofArray(payload);
        assertThat(StratumDetector.method(segment, 0, 65535)).isEqualTo("login");
        assertThat(StratumDetector.method(segment, payload.length, 100)).as("offset at the end").isNull();
        assertThat(StratumDetector.method(segment, payload.length + 5, 100)).as("offset past the end").isNull();
    }

    @Test
    void allocatesNothingPerPayload() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported(), "the JVM cannot count allocated bytes per thread");
        var counter = (com.sun.management.ThreadMXBean) threads;
        MemorySegment login = MemorySegment.ofArray(("{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":"
                + "{\"pass\":\"" + "x".repeat(600) + "\"}}").getBytes(StandardCharsets.US_ASCII));
        MemorySegment other = MemorySegment.ofArray(("{\"jsonrpc\":\"2.0\",\"method\":\"eth_call\",\"params\":"
                + "[\"" + "0".repeat(600) + "\"]}").getBytes(StandardCharsets.US_ASCII));
        int found = 0;
        long before = counter.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            found += StratumDetector.method(login, 0, (int) login.byteSize()) != null ? 1 : 0;
            found += StratumDetector.method(other, 0, (int) other.byteSize()) != null ? 1 : 0;
        }
        long allocated = counter.getCurrentThreadAllocatedBytes() - before;
        assertThat(found).isEqualTo(10_000);
        assertThat(allocated).as("bytes allocated by 20,000 calls").isLessThan(64 * 1024);
    }
}
