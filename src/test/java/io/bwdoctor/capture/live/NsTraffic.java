package io.bwdoctor.capture.live;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Bounded traffic generators that tests run in a child JVM inside a namespace (see {@link NetnsHarness#java}).
 * Each prints one result line; exit code 0 on success.
 * <ul>
 *   <li>{@code udp DST PORT COUNT PAYLOAD}: sends COUNT datagrams of PAYLOAD bytes ({@link #payload} pattern)</li>
 *   <li>{@code recv PORT COUNT TIMEOUT_MS}: receives up to COUNT datagrams, prints how many arrived</li>
 *   <li>{@code inject DEVICE PCAP DSTMAC}: replays a capture file onto DEVICE with pcap_inject, each frame's
 *       destination MAC replaced by DSTMAC (so that the receiving kernel drops the frames as not for it)</li>
 *   <li>{@code open DEVICE}: opens a live capture and prints the exception message (permission test)</li>
 * </ul>
 */
public final class NsTraffic {
    private NsTraffic() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "udp" -> {
                udp(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]));
                System.out.println("sent " + args[3]);
            }
            case "recv" -> recv(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "inject" -> inject(args[1], Path.of(args[2]), HexFormat.ofDelimiter(":").parseHex(args[3]));
            case "open" -> open(args[1]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** Datagram i carries byte (i + k) & 0xff at payload offset k: a test can check captured bytes. */
    static byte[] payload(int i, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i + k);
        }
        return b;
    }

    /** Sends from the calling JVM's namespace; also used in-process by tests in the root namespace. */
    static void udp(InetAddress dst, int port, int count, int size) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < count; i++) {
                byte[] p = payload(i, size);
                s.send(new DatagramPacket(p, p.length, new InetSocketAddress(dst, port)));
            }
        }
    }

    private static void recv(int port, int count, int timeoutMillis) throws Exception {
        int got = 0;
        try (DatagramSocket s = new DatagramSocket(port)) {
            System.out.println("listening");
            System.out.flush();
            s.setSoTimeout(timeoutMillis);
            byte[] buf = new byte[65536];
            while (got < count) {
                try {
                    s.receive(new DatagramPacket(buf, buf.length));
                    got++;
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
        }
        System.out.println("received " + got);
    }

    private static void inject(String device, Path file, byte[] dstMac) throws Exception {
        try (LiveCapture out = LiveCapture.open(device, 0, LiveCapture.Options.DEFAULT.withFilter("ether proto 0"));
             LiveCapture in = LiveCapture.openOffline(file, 0, null);
             Arena arena = Arena.ofShared()) { // used on the reader's thread
            MemorySegment buf = arena.allocate(65536);
            long[] sent = {0, 0};
            in.start(new FrameSink() {
                @Override
                public void onFrame(Frame f) {
                    if (f.capturedLength != f.wireLength || f.capturedLength < 14) {
                        throw new IllegalStateException("cannot replay a truncated frame");
                    }
                    MemorySegment frame = buf.asSlice(0, f.capturedLength);
                    frame.copyFrom(f.data.asSlice(f.offset, f.capturedLength));
                    MemorySegment.copy(dstMac, 0, frame, ValueLayout.JAVA_BYTE, 0, 6);
                    try {
                        if (LibPcap.inject(out.handle(), frame) != f.capturedLength) {
                            throw new IllegalStateException("pcap_inject: " + LibPcap.getErr(out.handle()));
                        }
                    } catch (CaptureUnavailableException e) {
                        throw new IllegalStateException(e);
                    }
                    sent[0]++;
                    sent[1] += f.wireLength;
                }

                @Override
                public void onUnreadableRecord(String reason, int wireLength) {
                    throw new IllegalStateException(reason);
                }
            });
            if (!in.awaitEnd(Duration.ofSeconds(60))) {
                throw new IllegalStateException("replay did not finish");
            }
            if (in.failure() != null) {
                throw new IllegalStateException("replay failed", in.failure());
            }
            System.out.println("injected " + sent[0] + " " + sent[1]);
        }
    }

    private static void open(String device) {
        try (LiveCapture c = LiveCapture.open(device, 0, LiveCapture.Options.DEFAULT)) {
            System.out.println("opened " + c.source());
        } catch (CaptureUnavailableException e) {
            System.out.println("unavailable: " + e.getMessage());
            System.exit(3);
        } catch (CaptureException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(4);
        }
    }
}
