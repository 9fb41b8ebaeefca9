package io.bwdoctor.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses bandwidth caps as people write them: 5Mbps, 100M, 1.5Gbit/s, 800kbit, 2000000 (bits per second, SI). */
final class BitRate implements CommandLine.ITypeConverter<Long> {
    private static final Pattern RATE = Pattern.compile(
            "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(?:b|bit|bits|bps|bit/s|b/s)?\\s*", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        Matcher m = RATE.matcher(value);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a bit rate (for example 5Mbps, "
                    + "100M, 1.5Gbit)");
        }
        double number = Double.parseDouble(m.group(1));
        long scale = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1_000L;
            case "m" -> 1_000_000L;
            case "g" -> 1_000_000_000L;
            case "t" -> 1_000_000_000_000L;
            default -> 1L;
        };
        long bps = Math.round(number * scale);
        if (bps <= 0) {
            throw new CommandLine.TypeConversionException("the bit rate must be above zero");
        }
        return bps;
    }
}
