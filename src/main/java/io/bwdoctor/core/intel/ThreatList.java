package io.bwdoctor.core.intel;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IP block list as parsed from text: FireHOL/ipset "netset" files ({@code #} comments, one address or CIDR per
 * line), Spamhaus DROP legacy text ({@code CIDR ; SBLnnn}, {@code ;} comments), Spamhaus DROP JSON lines, and lists
 * with extra columns after the address (IPsum's {@code IP<TAB>count}). {@code date} is the date the file's header
 * states (null if none); {@code entries} counts the entries read.
 */
public record ThreatList(String name, String date, int entries, FlatRanges ipv4, FlatRanges ipv6) {
    private static final int MAX_ENTRIES = 5_000_000;
    private static final Pattern DATE_FIELD = Pattern.compile(
            "(this file date|source file date|last-modified|last modified|last update[d]?|updated|generated(?: on)?|date)"
                    + "\\s*:\\s*(.+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_DATE = Pattern.compile("\\d{4}[-/]\\d{2}[-/]\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2})?)?");
    private static final Pattern JSON_CIDR = Pattern.compile("\"cidr\"\\s*:\\s*\"([^\"]{1,64})\"");
    private static final Pattern JSON_TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*(\\d{1,12})");

    /** Parses a whole list; a line that is neither comment nor address fails the list, naming the line. */
    public static ThreatList parse(String name, Iterable<String> lines) {
        RangeBuilder v4 = new RangeBuilder(), v6 = new RangeBuilder();
        String date = null;
        int dateRank = Integer.MAX_VALUE; // lower = more authoritative header field
        int entries = 0, number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty()) continue;
            try {
                if (line.charAt(0) == '#' || line.charAt(0) == ';') {
                    String text = line.substring(1).strip();
                    int rank = dateRank(text);
                    if (rank < dateRank) {
                        String found = dateIn(text, rank);
                        if (found != null) {
                            date = found;
                            dateRank = rank;
                        }
                    }
                    continue;
                }
                String entry;
                if (line.charAt(0) == '{') { // Spamhaus DROP JSON lines; the last one is metadata
                    Matcher cidr = JSON_CIDR.matcher(line);
                    if (!cidr.find()) {
                        Matcher ts = JSON_TIMESTAMP.matcher(line);
                        if (ts.find() && dateRank > 0) {
                            date = java.time.Instant.ofEpochSecond(Long.parseLong(ts.group(1))).toString();
                            dateRank = 0;
                        }
                        continue;
                    }
                    entry = cidr.group(1);
                } else {
                    int end = 0;
                    while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != ';'
                            && line.charAt(end) != '#' && line.charAt(end) != ',') end++;
                    entry = line.substring(0, end);
                }
                IpRange range = IpRange.parse(entry);
                if (++entries > MAX_ENTRIES) throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
                (range.version() == 4 ? v4 : v6).add(range, 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(IpRange.clip(name) + " line " + number + ": " + e.getMessage(), e);
            }
        }
        return new ThreatList(name, date, entries, v4.build(), v6.build());
    }

    private static int dateRank(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith("this file date")) return 1;
        if (t.startsWith("last-modified") || t.startsWith("last modified") || t.startsWith("last update")) return 2;
        if (t.startsWith("source file date")) return 3;
        if (t.startsWith("generated") || t.startsWith("updated") || t.startsWith("date")) return 4;
        return ANY_DATE.matcher(text).find() ? 5 : Integer.MAX_VALUE;
    }

    private static String dateIn(String text, int rank) {
        String value;
        if (rank <= 4) {
            Matcher m = DATE_FIELD.matcher(text);
            if (!m.lookingAt()) return null;
            value = m.group(2).strip();
        } else {
            Matcher m = ANY_DATE.matcher(text);
            if (!m.find()) return null;
            value = m.group();
        }
        value = value.replaceAll("[^\\x20-\\x7e]", "?");
        return value.length() > 64 ? value.substring(0, 64) : value;
    }
}
