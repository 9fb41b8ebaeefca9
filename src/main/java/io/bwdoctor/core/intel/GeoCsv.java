package io.bwdoctor.core.intel;

import java.util.ArrayList;
import java.util.List;

/**
 * ip-location-db CSV rows: {@code start,end,country} (country data) or {@code start,end,asn,organisation} (ASN data),
 * addresses as literals, RFC 4180 quoting. Fed one line at a time; a header line is allowed first.
 */
public final class GeoCsv {
    private static final int MAX_LINE = 4096;

    private final GeoTableBuilder builder;
    private long lineNumber;

    public GeoCsv(GeoTableBuilder builder) {
        this.builder = builder;
    }

    /** Which kind a file holds, judged from its first data line (3 fields: country, 4 with a number: ASN). */
    public static GeoKind detect(String line) {
        List<String> f = fields(line);
        if (f.size() == 3) return GeoKind.COUNTRY;
        if (f.size() == 4 && isAsn(f.get(2))) return GeoKind.ASN;
        throw new IllegalArgumentException("not an ip-location-db country (start,end,country) or ASN "
                + "(start,end,asn,organisation) CSV row: " + IpRange.clip(line));
    }

    /** Adds one line; throws with the line number when it is malformed. Empty lines are ignored. */
    public void accept(String line) {
        lineNumber++;
        if (line.isBlank()) return;
        try {
            List<String> f = fields(line);
            if (lineNumber == 1 && !f.isEmpty() && looksLikeHeader(f.get(0))) return;
            int want = builder.kind() == GeoKind.COUNTRY ? 3 : 4;
            if (f.size() != want)
                throw new IllegalArgumentException("has " + f.size() + " fields, want " + want + " for "
                        + builder.kind().key() + " data");
            IpRange range = IpRange.between(f.get(0).strip(), f.get(1).strip());
            if (builder.kind() == GeoKind.COUNTRY) {
                builder.addCountry(range, f.get(2));
            } else {
                if (!isAsn(f.get(2))) throw new IllegalArgumentException("'" + IpRange.clip(f.get(2)) + "' is not an AS number");
                builder.addAsn(range, Long.parseLong(strip(f.get(2))), f.get(3));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    private static boolean looksLikeHeader(String first) {
        return !first.isEmpty() && Character.isLetter(first.charAt(0)) && first.indexOf(':') < 0
                && !first.strip().matches("[0-9a-fA-F]+");
    }

    private static boolean isAsn(String s) {
        String t = strip(s);
        return !t.isEmpty() && t.length() <= 10 && t.chars().allMatch(c -> c >= '0' && c <= '9')
                && Long.parseLong(t) <= 0xffff_ffffL;
    }

    private static String strip(String s) {
        String t = s.strip();
        return t.regionMatches(true, 0, "AS", 0, 2) ? t.substring(2) : t;
    }

    /** Splits one CSV line; quoted fields may contain commas and doubled quotes. */
    static List<String> fields(String line) {
        if (line.length() > MAX_LINE) throw new IllegalArgumentException("line longer than " + MAX_LINE + " characters");
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c != '\r') {
                if (wasQuoted) throw new IllegalArgumentException("text after a closing quote");
                field.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException("unterminated quote");
        out.add(field.toString());
        return out;
    }
}
