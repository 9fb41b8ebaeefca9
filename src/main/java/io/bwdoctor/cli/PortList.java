package io.bwdoctor.cli;

import io.bwdoctor.core.protect.ManagementPorts;
import java.util.List;
import picocli.CommandLine;

/** A `--ports ssh,rdp,2222` style option value; bad names end as a usage error (exit 2) naming the bad entry. */
record PortList(List<Integer> ports) {
    static final String DEFAULT = "ssh,rdp";

    /** picocli converter, for any command that takes a management port list. */
    static final class Converter implements CommandLine.ITypeConverter<PortList> {
        @Override
        public PortList convert(String value) {
            try {
                return new PortList(ManagementPorts.parse(value));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    String text() {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
