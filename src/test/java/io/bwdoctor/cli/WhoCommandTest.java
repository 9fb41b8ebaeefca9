package io.bwdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** `who` finds this JVM's own loopback connection, by address, by network and by port, with TCP byte counts. */
class WhoCommandTest {
    @Test
    void findsTheProcessBehindAConnection() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"),
                "the socket table is read through Linux netlink");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write(new byte[12345]);
            out.flush();
            InputStream in = accepted.getInputStream();
            assertThat(in.readNBytes(12345)).hasSize(12345);
            long self = ProcessHandle.current().pid();
            for (String target : new String[] {"127.0.0.1", "127.0.0.0/8", Integer.toString(server.getLocalPort())}) {
                AnalyzeCommandTest.Run run = AnalyzeCommandTest.run("who", target, "--json");
                assertThat(run.exit()).as(run.err()).isZero();
                JsonNode json = JsonMapper.builder().build().readTree(run.out());
                boolean sawSender = false;
                for (JsonNode c : json.get("connections")) {
                    if (c.get("remote").asString().endsWith(":" + server.getLocalPort())
                            && c.get("protocol").asString().equals("tcp")) {
                        assertThat(c.get("pid").asLong()).isEqualTo(self);
                        assertThat(c.get("bytes_sent").asLong()).isEqualTo(12345);
                        sawSender = true;
                    }
                }
                assertThat(sawSender).as("the client socket for target %s in %s", target, run.out()).isTrue();
            }
            AnalyzeCommandTest.Run table = AnalyzeCommandTest.run("who", Integer.toString(server.getLocalPort()));
            assertThat(table.out()).contains("PID", Long.toString(self), "12.3 KB");
        }
    }
}
