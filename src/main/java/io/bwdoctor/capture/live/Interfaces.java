package io.bwdoctor.capture.live;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static io.bwdoctor.capture.live.LibPcap.EVERYTHING;

/** The interfaces libpcap/Npcap can capture on, with their addresses (to tell sent from received traffic). */
@SuppressWarnings("restricted") // walks libpcap's device list at raw addresses
public final class Interfaces {
    private static final int PCAP_IF_LOOPBACK = 0x1;
    private static final int PCAP_IF_UP = 0x2;
    private static final int PCAP_IF_RUNNING = 0x4;
    private static final int PCAP_IF_WIRELESS = 0x8;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = LibPcap.WINDOWS ? 23 : LibPcap.MAC ? 30 : 10;
    private static final int MAX_DEVICES = 65_536;
    private static final int MAX_ADDRESSES = 65_536;

    /** One address of an interface; {@code prefixLength} is -1 when libpcap gives no netmask. */
    public record Address(InetAddress address, int prefixLength) {}

    /**
     * @param name        what {@link LiveCapture#open} takes; raw bytes from the system (may hold any character)
     * @param description libpcap's description (Npcap: the adapter's friendly name), or ""
     */
    public record Device(String name, String description, boolean up, boolean running, boolean loopback,
                         boolean wireless, List<Address> addresses) {
        public Device {
            addresses = List.copyOf(addresses);
        }
    }

    private Interfaces() {}

    /** pcap_findalldevs: every capturable interface, including pseudo-devices such as "any" on Linux. */
    public static List<Device> list() throws CaptureException {
        LibPcap.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment listOut = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment errbuf = arena.allocate(LibPcap.ERRBUF_SIZE);
            if (LibPcap.findAllDevs(listOut, errbuf) != 0) {
                throw new CaptureException("cannot list network interfaces: "
                        + LibPcap.printable(LibPcap.cString(errbuf)));
            }
            long first = LibPcap.pointerAt(listOut, 0);
            try {
                return walkDevices(first);
            } finally {
                if (first != 0) {
                    LibPcap.freeAllDevs(MemorySegment.ofAddress(first));
                }
            }
        }
    }

    // struct pcap_if { pcap_if *next; char *name; char *description; pcap_addr *addresses; bpf_u_int32 flags; }
    private static List<Device> walkDevices(long dev) {
        long ptr = ValueLayout.ADDRESS.byteSize();
        List<Device> devices = new ArrayList<>();
        while (dev != 0 && devices.size() < MAX_DEVICES) {
            String name = string(LibPcap.pointerAt(EVERYTHING, dev + ptr));
            String description = string(LibPcap.pointerAt(EVERYTHING, dev + 2 * ptr));
            List<Address> addresses = walkAddresses(LibPcap.pointerAt(EVERYTHING, dev + 3 * ptr));
            int flags = EVERYTHING.get(ValueLayout.JAVA_INT_UNALIGNED, dev + 4 * ptr);
            devices.add(new Device(name, description, (flags & PCAP_IF_UP) != 0, (flags & PCAP_IF_RUNNING) != 0,
                    (flags & PCAP_IF_LOOPBACK) != 0, (flags & PCAP_IF_WIRELESS) != 0, addresses));
            dev = LibPcap.pointerAt(EVERYTHING, dev);
        }
        return devices;
    }

    // struct pcap_addr { pcap_addr *next; sockaddr *addr; sockaddr *netmask; sockaddr *broadaddr; sockaddr *dstaddr; }
    private static List<Address> walkAddresses(long a) {
        long ptr = ValueLayout.ADDRESS.byteSize();
        List<Address> out = new ArrayList<>();
        for (int n = 0; a != 0 && n < MAX_ADDRESSES; n++) {
            InetAddress address = inet(LibPcap.pointerAt(EVERYTHING, a + ptr));
            if (address != null) {
                out.add(new Address(address, prefixLength(LibPcap.pointerAt(EVERYTHING, a + 2 * ptr))));
            }
            a = LibPcap.pointerAt(EVERYTHING, a);
        }
        return out;
    }

    /** sa_family: 16 bits at offset 0, except on BSD/macOS (sa_len byte, then an 8-bit family). */
    private static int family(long sa) {
        return LibPcap.MAC ? EVERYTHING.get(ValueLayout.JAVA_BYTE, sa + 1) & 0xff
                : EVERYTHING.get(ValueLayout.JAVA_SHORT_UNALIGNED, sa) & 0xffff;
    }

    /** sockaddr_in (address at 4) or sockaddr_in6 (address at 8, scope id at 24); null for other families. */
    private static InetAddress inet(long sa) {
        if (sa == 0) {
            return null;
        }
        int family = family(sa);
        try {
            if (family == AF_INET) {
                return InetAddress.getByAddress(EVERYTHING.asSlice(sa + 4, 4).toArray(ValueLayout.JAVA_BYTE));
            }
            if (family == AF_INET6) {
                byte[] bytes = EVERYTHING.asSlice(sa + 8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = EVERYTHING.get(ValueLayout.JAVA_INT_UNALIGNED, sa + 24);
                return scope != 0 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0x80
                        ? Inet6Address.getByAddress(null, bytes, scope) : InetAddress.getByAddress(bytes);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: the lengths are 4 and 16
        }
        return null; // AF_PACKET link-layer addresses and the like
    }

    /** Leading one bits of a netmask, or -1 if there is none or it is not contiguous. */
    private static int prefixLength(long sa) {
        InetAddress mask = inet(sa);
        if (mask == null) {
            return -1;
        }
        int bits = 0;
        boolean zeroSeen = false;
        for (byte b : mask.getAddress()) {
            for (int i = 7; i >= 0; i--) {
                boolean one = (b >> i & 1) != 0;
                if (one && zeroSeen) {
                    return -1;
                }
                if (one) {
                    bits++;
                } else {
                    zeroSeen = true;
                }
            }
        }
        return bits;
    }

    private static String string(long pointer) {
        return LibPcap.cString(MemorySegment.ofAddress(pointer));
    }
}
