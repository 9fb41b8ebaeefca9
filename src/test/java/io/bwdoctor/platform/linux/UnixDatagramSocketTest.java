package io.bwdoctor.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixDatagramSocketTest {
    @TempDir
    Path dir;

    @Test
    void datagramsArriveWholeAndInOrder() throws Exception {
        String path = dir.resolve("sock").toString();
        byte[] buffer = new byte[UnixDatagramSocket.MAX_DATAGRAM];
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(path);
             UnixDatagramSocket sender = UnixDatagramSocket.open()) {
            assertThat(Files.exists(Path.of(path))).isTrue();
            assertThat(receiver.receive(buffer)).isEqualTo(-1);
            byte[] big = "x".repeat(UnixDatagramSocket.MAX_DATAGRAM).getBytes(StandardCharsets.US_ASCII);
            assertThat(sender.send("first".getBytes(StandardCharsets.US_ASCII), 5, path)).isZero();
            assertThat(sender.send(big, big.length, path)).isZero();
            assertThat(sender.send("third, cut".getBytes(StandardCharsets.US_ASCII), 5, path)).isZero();

            assertThat(new String(buffer, 0, receiver.receive(buffer), StandardCharsets.US_ASCII)).isEqualTo("first");
            assertThat(receiver.receive(buffer)).isEqualTo(big.length);
            assertThat(new String(buffer, 0, receiver.receive(buffer), StandardCharsets.US_ASCII)).isEqualTo("third");
            assertThat(receiver.receive(buffer)).isEqualTo(-1);
        }
    }

    @Test
    void errorsAreErrnosOrClearExceptions() throws Exception {
        String path = dir.resolve("sock").toString();
        try (UnixDatagramSocket sender = UnixDatagramSocket.open()) {
            int errno = sender.send(new byte[1], 1, dir.resolve("nobody").toString());
            assertThat(errno).isEqualTo(UnixDatagramSocket.ENOENT);
            assertThat(UnixDatagramSocket.errnoName(errno)).isEqualTo("ENOENT");
            assertThatThrownBy(() -> sender.send(new byte[1], 1, "/" + "a".repeat(107)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..107 bytes");
            assertThatThrownBy(() -> sender.send(new byte[1], 1, "a\0b")).hasMessageContaining("without NUL");
            try (UnixDatagramSocket first = UnixDatagramSocket.bind(path)) {
                assertThatThrownBy(() -> UnixDatagramSocket.bind(path)).isInstanceOf(NetlinkException.class)
                        .hasMessageStartingWith("bind(" + path + ")");
            }
            sender.close();
            assertThatThrownBy(() -> sender.send(new byte[1], 1, path)).hasMessageContaining("closed");
        }
    }
}
