package io.bwdoctor.platform.windows;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Microsoft C runtime's argument rules (learn.microsoft.com "Parsing C command-line arguments" examples). */
class CommandLineTest {
    @Test
    void documentedExamples() {
        assertThat(CommandLine.split("prog \"a b c\" d e")).containsExactly("prog", "a b c", "d", "e");
        assertThat(CommandLine.split("prog \"ab\\\"c\" \"\\\\\" d")).containsExactly("prog", "ab\"c", "\\", "d");
        assertThat(CommandLine.split("prog a\\\\\\b d\"e f\"g h")).containsExactly("prog", "a\\\\\\b", "de fg", "h");
        assertThat(CommandLine.split("prog a\\\\\\\"b c d")).containsExactly("prog", "a\\\"b", "c", "d");
        assertThat(CommandLine.split("prog a\\\\\\\\\"b c\" d e")).containsExactly("prog", "a\\\\b c", "d", "e");
        assertThat(CommandLine.split("prog a\"b\"\" c d")).containsExactly("prog", "ab\" c d");
    }

    @Test
    void programNameKeepsBackslashesAndQuotedSpaces() {
        assertThat(CommandLine.split("\"C:\\Program Files\\Amazon\\SSM\\amazon-ssm-agent.exe\" -register"))
                .containsExactly("C:\\Program Files\\Amazon\\SSM\\amazon-ssm-agent.exe", "-register");
        assertThat(CommandLine.split("C:\\Windows\\system32\\svchost.exe -k netsvcs -p"))
                .containsExactly("C:\\Windows\\system32\\svchost.exe", "-k", "netsvcs", "-p");
        assertThat(CommandLine.split("")).isEmpty();
        assertThat(CommandLine.split(null)).isEmpty();
        assertThat(CommandLine.split("\"unterminated program")).containsExactly("unterminated program");
    }
}
