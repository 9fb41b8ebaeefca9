package io.bwdoctor.cli;

import io.bwdoctor.core.flow.View;
import picocli.CommandLine;

/** Parses `--by` values case-insensitively, with a message that lists the choices. */
final class ViewConverter implements CommandLine.ITypeConverter<View> {
    @Override
    public View convert(String value) {
        for (View v : View.values()) {
            if (v.label().equalsIgnoreCase(value)) {
                return v;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of conversation, pair, host, "
                + "port, protocol");
    }
}
