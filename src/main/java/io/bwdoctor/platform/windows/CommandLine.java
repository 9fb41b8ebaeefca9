package io.bwdoctor.platform.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Windows command line into arguments the way the Microsoft C runtime (and CommandLineToArgvW) does:
 * whitespace separates arguments outside quotes; 2n backslashes before a quote give n backslashes and the quote
 * toggles quoting; 2n+1 backslashes before a quote give n backslashes and a literal quote; other backslashes are
 * literal; "" inside quotes is a literal quote. The program name (first argument) ends at the first whitespace or
 * at its closing quote, with no backslash processing. A process may set any command line it likes: this only tells
 * how a normal program would read it.
 */
public final class CommandLine {
    private CommandLine() {}

    public static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        if (line == null || line.isEmpty()) return args;
        int i = 0, n = line.length();
        // program name
        StringBuilder arg = new StringBuilder();
        if (line.charAt(0) == '"') {
            i = 1;
            while (i < n && line.charAt(i) != '"') arg.append(line.charAt(i++));
            i++; // closing quote
        } else {
            while (i < n && !Character.isWhitespace(line.charAt(i))) arg.append(line.charAt(i++));
        }
        args.add(arg.toString());
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            if (i >= n) break;
            arg = new StringBuilder();
            boolean quoted = false;
            while (i < n) {
                char c = line.charAt(i);
                if (!quoted && (c == ' ' || c == '\t')) break;
                if (c == '\\') {
                    int slashes = 0;
                    while (i < n && line.charAt(i) == '\\') {
                        slashes++;
                        i++;
                    }
                    if (i < n && line.charAt(i) == '"') {
                        arg.append("\\".repeat(slashes / 2));
                        if (slashes % 2 == 1) {
                            arg.append('"');
                            i++;
                        }
                    } else {
                        arg.append("\\".repeat(slashes));
                    }
                } else if (c == '"') {
                    if (quoted && i + 1 < n && line.charAt(i + 1) == '"') {
                        arg.append('"');
                        i += 2;
                    } else {
                        quoted = !quoted;
                        i++;
                    }
                } else {
                    arg.append(c);
                    i++;
                }
            }
            args.add(arg.toString());
        }
        return args;
    }
}
