package io.bwdoctor.platform.linux;

import io.bwdoctor.core.attribution.SocketRecord;
import io.bwdoctor.core.attribution.Transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Test traffic on loopback only: connected TCP pairs with known byte counts, closed by {@link #close()}. */
final class Loopback implements AutoCloseable {
    /** One connection: the client sent {@code bytes} bytes, the server read them all. */
    record Pair(SocketChannel client, SocketChannel server, int bytes, int clientPort, int serverPort) {
        boolean isClient(SocketRecord r) {
            return r.transport() == Transport.TCP && r.localPort() == clientPort && r.remotePort() == serverPort;
        }

        boolean isServer(SocketRecord r) {
            return r.transport() == Transport.TCP && r.localPort() == serverPort && r.remotePort() == clientPort;
        }
    }

    final ServerSocketChannel listener;
    final List<Pair> pairs = new ArrayList<>();

    /** Opens n connections to {@code address}; client i sends i*100+1 bytes. family null = JVM default. */
    Loopback(ProtocolFamily family, InetAddress address, int n) throws IOException {
        listener = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        try {
            listener.bind(new InetSocketAddress(address, 0), n);
            for (int i = 0; i < n; i++) {
                SocketChannel client = family == null ? SocketChannel.open() : SocketChannel.open(family);
                client.connect(listener.getLocalAddress());
                SocketChannel server = listener.accept();
                pairs.add(new Pair(client, server, i * 100 + 1, port(client), port(server)));
            }
            for (Pair p : pairs) {
                ByteBuffer out = ByteBuffer.allocate(p.bytes);
                while (out.hasRemaining()) p.client.write(out);
            }
            for (Pair p : pairs) {
                ByteBuffer in = ByteBuffer.allocate(p.bytes);
                while (in.hasRemaining()) {
                    if (p.server.read(in) < 0) throw new IOException("early EOF");
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    private static int port(SocketChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    public void close() {
        for (Pair p : pairs) {
            closeQuietly(p.client);
            closeQuietly(p.server);
        }
        closeQuietly(listener);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort in cleanup
        }
    }

    /** Socket inodes of this JVM read with plain java.nio, independently of the code under test. */
    static Set<Long> ownSocketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the directory stream's own fd, or a descriptor closed during the listing
                }
            }
        }
        return inodes;
    }
}
