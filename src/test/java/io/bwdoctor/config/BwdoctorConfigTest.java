package io.bwdoctor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.core.verdict.Proc;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BwdoctorConfigTest {
    private static final Path FILE = Path.of("/etc/bwdoctor/bwdoctor.toml");

    private static BwdoctorConfig parse(String toml) throws ConfigException {
        return BwdoctorConfig.parse(Toml.read(new ByteArrayInputStream(toml.getBytes(StandardCharsets.UTF_8)),
                FILE.toString()), FILE);
    }

    @Test
    void readsEverySection() throws ConfigException {
        BwdoctorConfig c = parse("""
                [link]
                cap = "1Gbit"
                interfaces = ["eth0", "ens5"]
                country = "DE"

                [business]
                names = ["java", "nginx"]
                units = "app-*.service"
                users = ["deploy"]
                paths = ["/srv/*"]

                [intel]
                networks = "networks.txt"
                threat_lists = ["lists/firehol.netset", "/var/lib/bwdoctor/spamhaus.txt"]
                provider_internal = ["100.64.0.0/10"]
                data_dir = "/var/lib/bwdoctor"

                [rules]
                file = "rules.d/local.toml"

                [guard]
                threshold = "80%"
                for = "30s"
                """);
        assertThat(c.cap()).isEqualTo("1Gbit");
        assertThat(c.interfaces()).containsExactly("eth0", "ens5");
        assertThat(c.country()).isEqualTo("DE");
        assertThat(c.business().names()).containsExactly("java", "nginx");
        assertThat(c.business().units()).as("a single string is a list of one").containsExactly("app-*.service");
        assertThat(c.business().users()).containsExactly("deploy");
        assertThat(c.business().match(Proc.linux("x", "/srv/app/x").facts())).isEqualTo("path /srv/app/x");
        assertThat(c.networksFile()).as("relative to the config file").isEqualTo(Path.of("/etc/bwdoctor/networks.txt"));
        assertThat(c.threatLists()).containsExactly(Path.of("/etc/bwdoctor/lists/firehol.netset"),
                Path.of("/var/lib/bwdoctor/spamhaus.txt"));
        assertThat(c.providerInternal()).containsExactly("100.64.0.0/10");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/bwdoctor"));
        assertThat(c.rulesFile()).isEqualTo(Path.of("/etc/bwdoctor/rules.d/local.toml"));
        assertThat(c.guard()).containsEntry("threshold", "80%").containsEntry("for", "30s");
        assertThat(c.source()).isEqualTo(FILE);
    }

    @Test
    void everythingIsOptional() throws ConfigException {
        BwdoctorConfig c = parse("");
        assertThat(c.cap()).isNull();
        assertThat(c.interfaces()).isEmpty();
        assertThat(c.networksFile()).isNull();
        assertThat(c.rulesFile()).isNull();
        assertThat(c.business().match(Proc.linux("java", "/usr/bin/java").facts())).isNull();
        assertThat(c.guard()).isEmpty();
        assertThat(BwdoctorConfig.empty().business().names()).isEmpty();
    }

    @Test
    void numbersAreAcceptedWhereTextIsExpected() throws ConfigException {
        assertThat(parse("[link]\ncap = 1000000000\n").cap()).isEqualTo("1000000000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "link = \"eth0\"                    | [link] must be a table",
            "guard = [1, 2]                    | [guard] must be a table",
            "[link]\\ncap = [\"1G\"]             | link.cap must be a single value",
            "[link]\\ncountry = {code = \"DE\"}  | link.country must be a single value",
            "[link]\\ninterfaces = 2            | link.interfaces must be a list of strings",
            "[business]\\nnames = {a = 1}       | business.names must be a list of strings",
            "[rules]\\nfile = [\"a\", \"b\"]     | rules.file must be a single value"})
    void wrongTypesNameTheFileAndTheKey(String toml, String message) {
        assertThatThrownBy(() -> parse(toml.replace("\\n", "\n") + "\n")).isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": " + message);
    }

    @Test
    void invalidTomlNamesTheFileAndLine() {
        assertThatThrownBy(() -> parse("[link]\ncap = \"1G\"\ncap = = 2\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": not valid TOML: ").hasMessageContaining("line 3");
    }
}
