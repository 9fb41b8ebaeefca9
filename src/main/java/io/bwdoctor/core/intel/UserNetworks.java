package io.bwdoctor.core.intel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The user's own named networks (office, VPC, partners), from lines of {@code CIDR name [country=XX] [asn=N]
 * [scope=private|public]} with {@code #} comments. A lookup returns the most specific (longest-prefix) network
 * holding the address. A country or ASN given here overrides the geo data for that range, also for special-purpose
 * addresses such as the documentation ranges; a scope overrides the address class.
 */
public final class UserNetworks {
    private static final int MAX_NAME = 64;
    private static final int MAX_NETWORKS = 100_000;
    private static final UserNetworks NONE = new UserNetworks(List.of());

    /** One named network; country, asn and scope are null when the file does not give them. */
    public record Network(IpRange range, String name, String country, Long asn, AddressClass scope) {}

    private final List<Network> networks;
    private final Ipv4Ranges ipv4;
    private final Ipv6Ranges ipv6;

    private UserNetworks(List<Network> networks) {
        this.networks = networks;
        RangeBuilder v4 = new RangeBuilder(), v6 = new RangeBuilder();
        for (int i = 0; i < networks.size(); i++) (networks.get(i).range().version() == 4 ? v4 : v6).add(networks.get(i).range(), i);
        this.ipv4 = v4.build().toIpv4(networks.size());
        this.ipv6 = v6.build().toIpv6(networks.size());
    }

    public static UserNetworks none() {
        return NONE;
    }

    public static UserNetworks of(List<Network> networks) {
        return networks.isEmpty() ? NONE : new UserNetworks(List.copyOf(networks));
    }

    /** Parses the file's lines; a malformed line fails the whole file with its line number. */
    public static UserNetworks parse(Iterable<String> lines) {
        List<Network> out = new ArrayList<>();
        Set<IpRange> seen = new HashSet<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) continue;
            try {
                Network n = parseLine(line);
                if (!seen.add(n.range())) throw new IllegalArgumentException("network listed twice");
                if (out.size() >= MAX_NETWORKS) throw new IllegalArgumentException("more than " + MAX_NETWORKS + " networks");
                out.add(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
            }
        }
        return of(out);
    }

    private static Network parseLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length < 2) throw new IllegalArgumentException("want 'CIDR name [country=XX] [asn=N] [scope=private|public]'");
        IpRange range = IpRange.parse(f[0]);
        String name = f[1];
        if (name.indexOf('=') >= 0 || name.length() > MAX_NAME || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f))
            throw new IllegalArgumentException("name '" + IpRange.clip(name) + "' must be printable ASCII without '=', "
                    + "at most " + MAX_NAME + " characters");
        String country = null;
        Long asn = null;
        AddressClass scope = null;
        for (int i = 2; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            String key = eq < 0 ? f[i] : f[i].substring(0, eq).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : f[i].substring(eq + 1);
            switch (key) {
                case "country" -> {
                    if (!value.matches("[A-Za-z]{2}")) throw new IllegalArgumentException("country must be two letters");
                    country = value.toUpperCase(Locale.ROOT);
                }
                case "asn" -> {
                    String digits = value.regionMatches(true, 0, "AS", 0, 2) ? value.substring(2) : value;
                    if (!digits.matches("\\d{1,10}") || Long.parseLong(digits) > 0xffff_ffffL)
                        throw new IllegalArgumentException("asn must be a number from 0 to 4294967295");
                    asn = Long.parseLong(digits);
                }
                case "scope" -> scope = switch (value.toLowerCase(Locale.ROOT)) {
                    case "private" -> AddressClass.PRIVATE;
                    case "public" -> AddressClass.PUBLIC;
                    default -> throw new IllegalArgumentException("scope must be private or public");
                };
                default -> throw new IllegalArgumentException("unknown field '" + IpRange.clip(f[i])
                        + "' (want country=, asn= or scope=)");
            }
        }
        return new Network(range, name, country, asn, scope);
    }

    /** The most specific network holding the address, or null. IPv4-mapped IPv6 is looked up as IPv4. */
    public Network find(int version, long hi, long lo) {
        int i;
        if (version == 4 || (hi == 0 && (lo >>> 32) == 0xffffL)) i = ipv4.find(lo & 0xffff_ffffL);
        else i = ipv6.find(hi, lo);
        return i < 0 ? null : networks.get(i);
    }

    public List<Network> networks() {
        return networks;
    }

    /** Ranges declared {@code scope=public}: addresses the user wants treated as Internet addresses. */
    public List<IpRange> publicRanges() {
        return networks.stream().filter(n -> n.scope() == AddressClass.PUBLIC).map(Network::range).toList();
    }

    public int size() {
        return networks.size();
    }
}
