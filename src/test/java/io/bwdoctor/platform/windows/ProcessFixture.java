package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Signature;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** windows-processes.tsv: a recorded Windows Server 2022 cloud VM process list with its expected verdicts. */
record ProcessFixture(WindowsProcess process, String expect, String why) {

    static List<ProcessFixture> load() {
        List<ProcessFixture> all = new ArrayList<>();
        for (String line : Fixtures.lines("windows-processes.tsv")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("pid")) continue;
            Signature signature = f[7].equals("-") ? null : SignatureResults.combine(hex(f[7]), value(f[9]),
                    f[8].equals("-") ? SignatureResults.NO_CATALOG : Integer.valueOf(hex(f[8])), value(f[9]),
                    value(f[10]), value(f[11]));
            all.add(new ProcessFixture(new WindowsProcess(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2],
                    value(f[4]), value(f[12]), value(f[5]),
                    f[6].equals("-") ? List.of() : Arrays.asList(f[6].split(",")), Instant.parse(f[3]), signature),
                    f[13], f[14]));
        }
        return all;
    }

    static List<WindowsProcess> processes() {
        return load().stream().map(ProcessFixture::process).toList();
    }

    private static String value(String s) {
        return s.equals("-") ? null : s;
    }

    private static int hex(String s) {
        return (int) Long.parseLong(s.substring(2), 16);
    }
}
