package io.bwdoctor.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Decodes a frame down to its outermost IP conversation (addresses, protocol, ports) and, when it is a tunnel
 * (IP-in-IP, 6in4, GRE, VXLAN, Geneve, Teredo, GTP-U), its innermost one. Pure, allocation-free, never throws on
 * any input: what cannot be decoded is reported as a {@link SkipReason}. One instance per capture thread.
 *
 * <p>Rules follow what tshark counts, so that conformance can be checked: a frame whose IP header is unreadable is
 * skipped; a frame whose TCP/UDP header is cut or malformed keeps its IP pair but has no ports; headers quoted in
 * ICMP errors are never read.
 */
public final class PacketDecoder {
    private static final int MAX_IPV6_EXTENSIONS = 16;

    private final LinkDecoder link = new LinkDecoder();
    private final LinkResult linkResult = new LinkResult();
    private final IpLayer scratch = new IpLayer();
    private final FragmentPorts fragmentPorts = new FragmentPorts();
    private long nonFirstFragments;
    private long nonFirstFragmentsMatched;

    public void decode(Frame f, DecodedPacket out) {
        out.clear();
        MemorySegment s = f.data;
        link.decode(f.linkType, s, f.offset, f.capturedLength, linkResult);
        out.packetType = linkResult.packetType;
        switch (linkResult.kind) {
            case LinkResult.TRUNCATED -> {
                out.skipReason = SkipReason.LINK_TRUNCATED;
                return;
            }
            case LinkResult.MALFORMED -> {
                out.skipReason = SkipReason.LINK_MALFORMED;
                return;
            }
            case LinkResult.UNSUPPORTED -> {
                out.skipReason = SkipReason.LINK_UNSUPPORTED;
                return;
            }
            case LinkResult.NON_IP -> {
                out.kind = DecodedPacket.Kind.NON_IP;
                out.etherType = linkResult.etherType;
                return;
            }
            default -> { }
        }
        long end = f.offset + f.capturedLength;
        SkipReason problem = parseIp(s, linkResult.networkOffset, end, linkResult.kind, out.outer);
        if (problem != null) {
            out.skipReason = problem;
            return;
        }
        out.kind = DecodedPacket.Kind.IP;
        IpLayer outer = out.outer;
        if (outer.fragment) {
            if (outer.firstFragment) {
                if (outer.hasPorts()) {
                    fragmentPorts.remember(outer, f.timestampNanos);
                }
            } else {
                nonFirstFragments++;
                if (fragmentPorts.recall(outer, f.timestampNanos)) {
                    nonFirstFragmentsMatched++;
                }
            }
        }
        decodeTunnels(s, out);
    }

    /** Fragments after the first one seen so far, and how many of them got their first fragment's ports. */
    public long nonFirstFragments() {
        return nonFirstFragments;
    }

    public long nonFirstFragmentsMatched() {
        return nonFirstFragmentsMatched;
    }

    private SkipReason parseIp(MemorySegment s, long off, long end, int expectedVersion, IpLayer ip) {
        if (end - off < 1) {
            return SkipReason.IP_TRUNCATED;
        }
        int version = Bytes.u8(s, off) >>> 4;
        if (version != expectedVersion) {
            return SkipReason.IP_BAD_VERSION;
        }
        return version == 4 ? parseIpv4(s, off, end, ip) : parseIpv6(s, off, end, ip);
    }

    private SkipReason parseIpv4(MemorySegment s, long off, long end, IpLayer ip) {
        if (end - off < 20) {
            return SkipReason.IP_TRUNCATED;
        }
        int headerLength = (Bytes.u8(s, off) & 0x0f) * 4;
        if (headerLength < 20) {
            return SkipReason.IPV4_BAD_HEADER_LENGTH;
        }
        if (end - off < headerLength) {
            return SkipReason.IP_TRUNCATED;
        }
        int totalLength = Bytes.u16(s, off + 2);
        long declaredEnd;
        if (totalLength == 0) {
            declaredEnd = end; // segmentation offload: the kernel hands over a super-packet with length 0
        } else if (totalLength < headerLength) {
            return SkipReason.IPV4_BAD_TOTAL_LENGTH;
        } else {
            declaredEnd = off + totalLength;
        }
        int flagsAndOffset = Bytes.u16(s, off + 6);
        boolean moreFragments = (flagsAndOffset & 0x2000) != 0;
        int fragmentOffset = flagsAndOffset & 0x1fff;
        ip.version = 4;
        ip.protocol = Bytes.u8(s, off + 9);
        ip.srcHi = 0;
        ip.srcLo = Bytes.u32(s, off + 12);
        ip.dstHi = 0;
        ip.dstLo = Bytes.u32(s, off + 16);
        ip.fragment = moreFragments || fragmentOffset != 0;
        ip.firstFragment = fragmentOffset == 0;
        ip.fragmentId = Bytes.u16(s, off + 4);
        ip.l4Offset = off + headerLength;
        ip.l4End = Math.min(end, declaredEnd);
        if (ip.firstFragment) {
            parseTransport(s, ip, declaredEnd);
        }
        return null;
    }

    private SkipReason parseIpv6(MemorySegment s, long off, long end, IpLayer ip) {
        if (end - off < 40) {
            return SkipReason.IP_TRUNCATED;
        }
        int payloadLength = Bytes.u16(s, off + 4);
        long declaredEnd = payloadLength == 0 ? end : off + 40 + payloadLength; // 0: jumbogram or offload
        long capEnd = Math.min(end, declaredEnd);
        ip.version = 6;
        ip.srcHi = Bytes.i64(s, off + 8);
        ip.srcLo = Bytes.i64(s, off + 16);
        ip.dstHi = Bytes.i64(s, off + 24);
        ip.dstLo = Bytes.i64(s, off + 32);
        ip.firstFragment = true;
        int next = Bytes.u8(s, off + 6);
        long p = off + 40;
        boolean more = true;
        for (int i = 0; more && ip.firstFragment && i < MAX_IPV6_EXTENSIONS; i++) {
            switch (next) {
                case 0, 43, 60, 135, 139, 140 -> { // hop-by-hop, routing, destination, mobility, HIP, shim6
                    if (capEnd - p < 2) {
                        more = false;
                    } else {
                        int len = (Bytes.u8(s, p + 1) + 1) * 8;
                        next = Bytes.u8(s, p);
                        p += len;
                    }
                }
                case 51 -> { // authentication header: length in 4-byte units, minus 2
                    if (capEnd - p < 2) {
                        more = false;
                    } else {
                        int len = (Bytes.u8(s, p + 1) + 2) * 4;
                        next = Bytes.u8(s, p);
                        p += len;
                    }
                }
                case 44 -> {
                    if (capEnd - p < 8) {
                        more = false;
                    } else {
                        int offsetAndFlags = Bytes.u16(s, p + 2);
                        ip.fragment = true;
                        ip.firstFragment = (offsetAndFlags >>> 3) == 0;
                        ip.fragmentId = Bytes.u32(s, p + 4);
                        next = Bytes.u8(s, p);
                        p += 8;
                    }
                }
                default -> more = false;
            }
        }
        ip.protocol = next;
        ip.l4Offset = Math.min(p, capEnd);
        ip.l4End = capEnd;
        if (ip.firstFragment && p <= capEnd) {
            parseTransport(s, ip, declaredEnd);
        }
        return null;
    }

    /** Reads ports when the transport header is whole; otherwise leaves the layer without ports. */
    private static void parseTransport(MemorySegment s, IpLayer ip, long declaredEnd) {
        long p = ip.l4Offset;
        long avail = ip.l4End - p;
        switch (ip.protocol) {
            case 6 -> {
                if (avail < 20) {
                    return;
                }
                int dataOffset = (Bytes.u8(s, p + 12) >>> 4) * 4;
                if (dataOffset < 20 || dataOffset > declaredEnd - p) {
                    return;
                }
                setPorts(s, ip, p, p + dataOffset);
                ip.tcpFlags = Bytes.u8(s, p + 13);
            }
            case 17, 136 -> { // UDP, UDP-Lite
                if (avail >= 8) {
                    setPorts(s, ip, p, p + 8);
                }
            }
            case 132 -> { // SCTP common header
                if (avail >= 12) {
                    setPorts(s, ip, p, p + 12);
                }
            }
            case 33 -> { // DCCP generic header
                if (avail >= 12) {
                    setPorts(s, ip, p, p + ((Bytes.u8(s, p + 4) & 0xff) * 4L));
                }
            }
            default -> { }
        }
    }

    private static void setPorts(MemorySegment s, IpLayer ip, long p, long payload) {
        ip.srcPort = Bytes.u16(s, p);
        ip.dstPort = Bytes.u16(s, p + 2);
        ip.payloadOffset = Math.min(payload, ip.l4End);
        ip.payloadLength = (int) Math.max(0, ip.l4End - ip.payloadOffset);
    }

    private void decodeTunnels(MemorySegment s, DecodedPacket out) {
        IpLayer current = out.outer;
        while (out.innerCount < out.inner.length && current.firstFragment) {
            Tunnel found = innerLayer(s, current, scratch);
            if (found == Tunnel.NONE) {
                return;
            }
            if (out.tunnel == Tunnel.NONE) {
                out.tunnel = found;
            }
            current = out.inner[out.innerCount++];
            current.copyFrom(scratch);
        }
    }

    /** Parses the layer carried inside {@code ip} into {@code inner}; returns the tunnel kind or NONE. */
    private Tunnel innerLayer(MemorySegment s, IpLayer ip, IpLayer inner) {
        long p = ip.l4Offset;
        long end = ip.l4End;
        inner.clear();
        return switch (ip.protocol) {
            case 4 -> parseIp(s, p, end, 4, inner) == null ? Tunnel.IP_IN_IP : Tunnel.NONE;
            case 41 -> parseIp(s, p, end, 6, inner) == null ? Tunnel.SIX_IN_FOUR : Tunnel.NONE;
            case 47 -> gre(s, p, end, inner);
            case 17 -> ip.hasPorts() ? udpTunnel(s, ip, inner) : Tunnel.NONE;
            default -> Tunnel.NONE;
        };
    }

    private Tunnel udpTunnel(MemorySegment s, IpLayer ip, IpLayer inner) {
        long p = ip.payloadOffset;
        long end = ip.l4End;
        if (isPort(ip, 4789)) { // VXLAN: 8-byte header with the I flag, then Ethernet
            if (end - p >= 8 && (Bytes.u8(s, p) & 0x08) != 0) {
                return ethernet(s, p + 8, end, inner) ? Tunnel.VXLAN : Tunnel.NONE;
            }
        } else if (isPort(ip, 6081)) { // Geneve
            if (end - p >= 8 && (Bytes.u8(s, p) >>> 6) == 0) {
                long body = p + 8 + (Bytes.u8(s, p) & 0x3f) * 4L;
                return byEtherType(s, Bytes.u16(s, p + 2), body, end, inner) ? Tunnel.GENEVE : Tunnel.NONE;
            }
        } else if (isPort(ip, 3544)) {
            return teredo(s, p, end, inner);
        } else if (isPort(ip, 2152)) {
            return gtpU(s, p, end, inner);
        }
        return Tunnel.NONE;
    }

    private static boolean isPort(IpLayer ip, int port) {
        return ip.srcPort == port || ip.dstPort == port;
    }

    private Tunnel teredo(MemorySegment s, long p, long end, IpLayer inner) {
        for (int i = 0; i < 2 && end - p >= 2; i++) {
            int indicator = Bytes.u16(s, p);
            if (indicator == 0x0001 && end - p >= 4) { // authentication: id and auth lengths, nonce, confirmation
                p += 4 + Bytes.u8(s, p + 2) + Bytes.u8(s, p + 3) + 9;
            } else if (indicator == 0x0000) { // origin indication
                p += 8;
            } else {
                break;
            }
        }
        if (end - p < 40 || (Bytes.u8(s, p) >>> 4) != 6) {
            return Tunnel.NONE;
        }
        return parseIpv6(s, p, end, inner) == null ? Tunnel.TEREDO : Tunnel.NONE;
    }

    private Tunnel gtpU(MemorySegment s, long p, long end, IpLayer inner) {
        if (end - p < 8) {
            return Tunnel.NONE;
        }
        int flags = Bytes.u8(s, p);
        if ((flags >>> 5) != 1 || (flags & 0x10) == 0 || Bytes.u8(s, p + 1) != 0xff) {
            return Tunnel.NONE; // not GTPv1-U carrying user data (G-PDU)
        }
        long q = p + 8;
        if ((flags & 0x07) != 0) {
            if (end - q < 4) {
                return Tunnel.NONE;
            }
            int nextExt = (flags & 0x04) != 0 ? Bytes.u8(s, q + 3) : 0;
            q += 4;
            for (int i = 0; nextExt != 0 && i < 8; i++) {
                if (end - q < 1) {
                    return Tunnel.NONE;
                }
                int len = Bytes.u8(s, q) * 4;
                if (len == 0 || end - q < len) {
                    return Tunnel.NONE;
                }
                nextExt = Bytes.u8(s, q + len - 1);
                q += len;
            }
        }
        return byVersionNibble(s, q, end, inner) ? Tunnel.GTP_U : Tunnel.NONE;
    }

    private Tunnel gre(MemorySegment s, long p, long end, IpLayer inner) {
        if (end - p < 4) {
            return Tunnel.NONE;
        }
        int flags = Bytes.u16(s, p);
        int protocol = Bytes.u16(s, p + 2);
        int version = flags & 0x7;
        long body;
        if (version == 0) {
            body = p + 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0)
                    + ((flags & 0x1000) != 0 ? 4 : 0);
        } else if (version == 1) { // enhanced GRE (PPTP): key always, optional sequence and acknowledgment
            body = p + 8 + ((flags & 0x1000) != 0 ? 4 : 0) + ((flags & 0x0080) != 0 ? 4 : 0);
        } else {
            return Tunnel.NONE;
        }
        boolean ok = switch (protocol) {
            case 0x6558 -> ethernet(s, body, end, inner);
            case 0x88BE -> ethernet(s, body + 8, end, inner);   // ERSPAN type II
            case 0x22EB -> ethernet(s, body + 12, end, inner);  // ERSPAN type III (no platform sub-header)
            case 0x880B -> ppp(s, body, end, inner);
            default -> byEtherType(s, protocol, body, end, inner);
        };
        return ok ? Tunnel.GRE : Tunnel.NONE;
    }

    private boolean ppp(MemorySegment s, long p, long end, IpLayer inner) {
        if (end - p >= 2 && Bytes.u8(s, p) == 0xff && Bytes.u8(s, p + 1) == 0x03) {
            p += 2;
        }
        if (end - p < 1) {
            return false;
        }
        int protocol;
        if ((Bytes.u8(s, p) & 1) != 0) { // protocol field compressed to one byte
            protocol = Bytes.u8(s, p);
            p += 1;
        } else {
            if (end - p < 2) {
                return false;
            }
            protocol = Bytes.u16(s, p);
            p += 2;
        }
        return switch (protocol) {
            case 0x21 -> parseIp(s, p, end, 4, inner) == null;
            case 0x57 -> parseIp(s, p, end, 6, inner) == null;
            default -> false;
        };
    }

    private boolean ethernet(MemorySegment s, long p, long end, IpLayer inner) {
        if (p > end) {
            return false;
        }
        link.decodeEthernet(s, p, end, linkResult);
        return (linkResult.kind == LinkResult.IPV4 || linkResult.kind == LinkResult.IPV6)
                && parseIp(s, linkResult.networkOffset, end, linkResult.kind, inner) == null;
    }

    private boolean byEtherType(MemorySegment s, int etherType, long p, long end, IpLayer inner) {
        return switch (etherType) {
            case LinkDecoder.ETHERTYPE_IPV4 -> p <= end && parseIp(s, p, end, 4, inner) == null;
            case LinkDecoder.ETHERTYPE_IPV6 -> p <= end && parseIp(s, p, end, 6, inner) == null;
            case 0x6558 -> ethernet(s, p, end, inner);
            default -> false;
        };
    }

    private boolean byVersionNibble(MemorySegment s, long p, long end, IpLayer inner) {
        if (end - p < 1) {
            return false;
        }
        int version = Bytes.u8(s, p) >>> 4;
        return (version == 4 || version == 6) && parseIp(s, p, end, version, inner) == null;
    }
}
