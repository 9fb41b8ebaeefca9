package io.bwdoctor.intel;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Network;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import io.bwdoctor.core.attribution.IpWords;
import io.bwdoctor.core.intel.GeoKind;
import io.bwdoctor.core.intel.GeoTable;
import io.bwdoctor.core.intel.GeoTableBuilder;
import io.bwdoctor.core.intel.IpRange;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a MaxMind DB file (GeoLite2/GeoIP2 Country, City or ASN; DB-IP lite; ip-location-db; IPinfo's free country
 * and ASN files) into a {@link GeoTable}, walking every network of its search tree.
 */
final class MmdbImport {
    private static final int MAX_NETWORKS = 10_000_000;

    private MmdbImport() {}

    record Result(GeoTable table, String databaseType, String built) {}

    /** {@code kind} null: decide from the database type, else from the first record with data. */
    static Result read(Path file, GeoKind kind) throws IOException {
        try (Reader reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache(1 << 16))) {
            Metadata meta = reader.getMetadata();
            if (meta.ipVersion() != 4 && meta.ipVersion() != 6)
                throw new IOException("MaxMind DB declares IP version " + meta.ipVersion());
            GeoKind chosen = kind != null ? kind : detect(meta.databaseType(), reader);
            GeoTableBuilder builder = new GeoTableBuilder(chosen);
            @SuppressWarnings({"rawtypes", "unchecked"})
            Networks<Map> networks = reader.networks(false, Map.class);
            while (networks.hasNext()) {
                @SuppressWarnings("unchecked")
                DatabaseRecord<Map<String, Object>> record = (DatabaseRecord<Map<String, Object>>) (Object) networks.next();
                if (builder.records() >= MAX_NETWORKS) throw new IOException("more than " + MAX_NETWORKS + " networks");
                IpRange range = range(record.network());
                Map<String, Object> data = record.data();
                if (range == null || data == null) {
                    builder.skip();
                } else if (chosen == GeoKind.COUNTRY) {
                    builder.addCountry(range, country(data));
                } else {
                    Long asn = asn(data);
                    if (asn == null) builder.skip();
                    else builder.addAsn(range, asn, organisation(data));
                }
            }
            String built = meta.buildTime() == null ? null : meta.buildTime().toString();
            return new Result(builder.build(), meta.databaseType(), built);
        } catch (IOException | com.maxmind.db.InvalidNetworkException e) {
            throw new IOException("not a readable MaxMind DB: " + e.getMessage(), e);
        } catch (RuntimeException e) { // the reader reports corrupt trees and data as various runtime exceptions
            throw new IOException("not a readable MaxMind DB: " + e, e);
        }
    }

    private static GeoKind detect(String databaseType, Reader reader)
            throws IOException, com.maxmind.db.InvalidNetworkException {
        String type = databaseType == null ? "" : databaseType.toLowerCase(Locale.ROOT);
        boolean asn = type.contains("asn"), country = type.contains("country") || type.contains("city");
        if (asn != country) return asn ? GeoKind.ASN : GeoKind.COUNTRY;
        @SuppressWarnings({"rawtypes", "unchecked"})
        Networks<Map> networks = reader.networks(false, Map.class);
        while (networks.hasNext()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = networks.next().data();
            if (data == null || data.isEmpty()) continue;
            boolean hasAsn = asn(data) != null, hasCountry = country(data) != null;
            if (hasAsn && hasCountry)
                throw new IOException("the database has both country and ASN data; say which with --kind");
            if (hasAsn) return GeoKind.ASN;
            if (hasCountry) return GeoKind.COUNTRY;
            throw new IOException("the database (type '" + databaseType + "') has neither country nor ASN fields");
        }
        throw new IOException("the database has no networks");
    }

    private static IpRange range(Network network) {
        InetAddress a = network.networkAddress();
        int prefix = network.prefixLength();
        int max = a instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > max) return null;
        return IpRange.network(max == 32 ? 4 : 6, IpWords.hi(a), IpWords.lo(a), prefix);
    }

    /** country.iso_code (MaxMind, DB-IP), registered_country.iso_code, country_code (ip-location-db), country (IPinfo). */
    private static String country(Map<String, Object> data) {
        for (String key : new String[] {"country", "registered_country"}) {
            Object v = data.get(key);
            if (v instanceof Map<?, ?> m && m.get("iso_code") instanceof String s) return s;
            if (v instanceof String s && key.equals("country")) return s;
        }
        return data.get("country_code") instanceof String s ? s : null;
    }

    /** autonomous_system_number (MaxMind, DB-IP, ip-location-db) or asn "AS123" (IPinfo). */
    private static Long asn(Map<String, Object> data) {
        Object v = data.get("autonomous_system_number");
        if (v instanceof Long l) return l;
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof BigInteger b && b.bitLength() < 63) return b.longValue();
        if (data.get("asn") instanceof String s && s.matches("(?i)(AS)?\\d{1,10}"))
            return Long.parseLong(s.replaceFirst("(?i)^AS", ""));
        return null;
    }

    private static String organisation(Map<String, Object> data) {
        if (data.get("autonomous_system_organization") instanceof String s) return s;
        return data.get("as_name") instanceof String s ? s : "";
    }
}
