package io.bwdoctor.core.verdict;

import static io.bwdoctor.core.intel.AddressClass.METADATA;
import static io.bwdoctor.core.intel.AddressClass.PRIVATE;
import static io.bwdoctor.core.intel.AddressClass.PUBLIC;
import static io.bwdoctor.core.verdict.Net.traffic;
import static io.bwdoctor.core.verdict.Proc.linux;
import static io.bwdoctor.core.verdict.Proc.windows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionsTest {
    private static final Signature MICROSOFT = new Signature(Signature.Status.SIGNED, "Microsoft Windows", true,
            "Microsoft Corporation", "Host Process");
    private static final Signature UNSIGNED = new Signature(Signature.Status.UNSIGNED, null, false, null, null);

    /** One vocabulary key: a value, a subject it holds for, and one it does not. */
    record KeyCase(String key, Object value, Subject holds, Subject fails) {}

    private static Map<String, String> test(String key, Object value, Subject s) {
        return Conditions.of(key, value).test(s);
    }

    private static Subject nginx() {
        return linux("nginx", "/usr/sbin/nginx").owner("nginx").user("www-data").unit("nginx.service").subject();
    }

    private static Subject tmp() {
        return linux("x", "/tmp/.x/x").user("nobody").deleted(true).parent("bash", "/usr/bin/bash").subject();
    }

    static List<KeyCase> cases() {
        List<KeyCase> c = new ArrayList<>();
        c.add(new KeyCase("name", List.of("ngin?", "httpd"), nginx(), tmp()));
        c.add(new KeyCase("name_not", "nginx", tmp(), nginx()));
        c.add(new KeyCase("exe", "/usr/sbin/*", nginx(), tmp()));
        c.add(new KeyCase("exe_not", "/usr/sbin/*", tmp(), nginx()));
        c.add(new KeyCase("parent", "systemd", nginx(), tmp()));
        c.add(new KeyCase("parent_not", "systemd", tmp(), nginx()));
        c.add(new KeyCase("parent_exe_not", "/usr/lib/systemd/*", tmp(), nginx()));
        c.add(new KeyCase("user", "www-data", nginx(), tmp()));
        c.add(new KeyCase("user_not", "www-data", tmp(), nginx()));
        c.add(new KeyCase("unit", "*.service", nginx(), tmp()));
        c.add(new KeyCase("signer", "Microsoft *", windows("svchost.exe", "C:\\Windows\\System32\\svchost.exe")
                .signature(MICROSOFT).subject(), windows("svchost.exe", "C:\\Users\\a\\svchost.exe")
                .signature(UNSIGNED).subject()));
        c.add(new KeyCase("exe_under", List.of("/tmp", "/dev/shm"), tmp(), nginx()));
        c.add(new KeyCase("exe_not_under", "/tmp", nginx(), tmp()));
        c.add(new KeyCase("exe_hidden_dir", true, tmp(), nginx()));
        c.add(new KeyCase("exe_known", true, nginx(), Proc.kernelThread("kworker/0:1").subject()));
        c.add(new KeyCase("exe_deleted", true, tmp(), nginx()));
        c.add(new KeyCase("name_differs_from_exe", true, linux("kworker", "/tmp/x").subject(), nginx()));
        c.add(new KeyCase("cmdline_bracketed", true, linux("x", "/tmp/x").cmdline("[kworker/0:1]").subject(),
                nginx()));
        c.add(new KeyCase("cmdline_contains", List.of("stratum+tcp://"), linux("x", "/tmp/x")
                .cmdline("/tmp/x", "-o", "STRATUM+TCP://pool:3333").subject(), nginx()));
        c.add(new KeyCase("package_owned", true, nginx(), tmp()));
        c.add(new KeyCase("signed", true, windows("svchost.exe", "C:\\Windows\\System32\\svchost.exe")
                .signature(MICROSOFT).subject(), windows("svchost.exe", "C:\\Users\\a\\svchost.exe")
                .signature(UNSIGNED).subject()));
        c.add(new KeyCase("in_container", true, linux("app", "/app/app").container("4f3c").subject(), nginx()));
        c.add(new KeyCase("declared_business", true, linux("app", "/opt/app").declared("name app", traffic()),
                nginx()));
        c.add(new KeyCase("stratum", true, linux("x", "/tmp/x").subject(traffic().stratum("login", "198.51.100.7:3333")),
                nginx()));
        c.add(new KeyCase("remote_class", List.of("metadata"), linux("x", "/opt/x").subject(traffic()
                .remote("203.0.113.1", 443, PUBLIC).remote("169.254.169.254", 80, METADATA)),
                linux("x", "/opt/x").subject(traffic().remote("203.0.113.1", 443, PUBLIC))));
        c.add(new KeyCase("remote_only_class", List.of("private", "metadata"), linux("x", "/opt/x").subject(traffic()
                .remote("10.0.0.1", 5432, PRIVATE).remote("169.254.169.254", 80, METADATA)),
                linux("x", "/opt/x").subject(traffic().remote("10.0.0.1", 5432, PRIVATE)
                        .remote("203.0.113.1", 443, PUBLIC))));
        c.add(new KeyCase("remote_port", List.of(3333L, 4444L), linux("x", "/opt/x").subject(traffic()
                .remote("198.51.100.7", 3333, PUBLIC)), linux("x", "/opt/x").subject(traffic()
                .remote("198.51.100.7", 443, PUBLIC))));
        c.add(new KeyCase("threat_listed", true, linux("x", "/opt/x").subject(traffic()
                .remote("203.0.113.9", 443, PUBLIC, List.of("firehol"))), linux("x", "/opt/x").subject(traffic()
                .remote("203.0.113.9", 443, PUBLIC))));
        c.add(new KeyCase("remote_hosts_at_least", 250L, sub(traffic().hosts(250)), sub(traffic().hosts(249))));
        c.add(new KeyCase("remote_ports_at_least", 100L, sub(traffic().ports(100)), sub(traffic().ports(99))));
        c.add(new KeyCase("unanswered_tcp_at_least", 50L, sub(traffic().unanswered(50)),
                sub(traffic().unanswered(49))));
        c.add(new KeyCase("inbound_served_at_least", 3L, sub(traffic().inbound(3)), sub(traffic().inbound(2))));
        c.add(new KeyCase("inbound_served_below", 10L, sub(traffic().inbound(9)), sub(traffic().inbound(10))));
        c.add(new KeyCase("packets_per_second_at_least", 2000L, sub(traffic().seconds(10).packets(20_000, 0)),
                sub(traffic().seconds(10).packets(19_999, 0))));
        c.add(new KeyCase("avg_packet_below", 200L, sub(traffic().packets(10, 0).bytes(1990, 0)),
                sub(traffic().packets(10, 0).bytes(2000, 0))));
        c.add(new KeyCase("tx_rx_ratio_at_least", 10L, sub(traffic().bytes(1000, 100)),
                sub(traffic().bytes(999, 100))));
        c.add(new KeyCase("public_bytes_at_least", 1L, sub(traffic().publicBytes(1)), sub(traffic().publicBytes(0))));
        c.add(new KeyCase("public_share_at_least", 0.5, sub(traffic().bytes(60, 40).publicBytes(50)),
                sub(traffic().bytes(60, 40).publicBytes(49))));
        c.add(new KeyCase("foreign_share_at_least", 0.8, sub(traffic().publicBytes(100).foreign(80, 1)),
                sub(traffic().publicBytes(100).foreign(79, 1))));
        c.add(new KeyCase("foreign_countries_at_least", 5L, sub(traffic().foreign(0, 5)), sub(traffic().foreign(0, 4))));
        // Windows keys
        Signature fakeMicrosoft = new Signature(Signature.Status.UNSIGNED, null, false, "Microsoft Corporation", null);
        c.add(new KeyCase("company", "Microsoft*", windows("a.exe", "C:\\a.exe").signature(fakeMicrosoft).subject(),
                windows("a.exe", "C:\\a.exe").signature(UNSIGNED).subject()));
        c.add(new KeyCase("signature_status", List.of("unsigned", "invalid"), windows("a.exe", "C:\\a.exe")
                .signature(UNSIGNED).subject(), windows("a.exe", "C:\\a.exe").signature(MICROSOFT).subject()));
        c.add(new KeyCase("pid", List.of(4L), windows("System", null).pid(4).subject(),
                windows("System", null).subject()));
        c.add(new KeyCase("name_resembles", List.of("svchost.exe"), windows("scvhost.exe", "C:\\x.exe").subject(),
                windows("svchost.exe", "C:\\Windows\\System32\\svchost.exe").subject()));
        c.add(new KeyCase("cmdline_lacks", List.of("-k"), windows("svchost.exe", "C:\\x\\svchost.exe").subject(),
                windows("svchost.exe", "C:\\Windows\\System32\\svchost.exe")
                        .cmdline("C:\\Windows\\System32\\svchost.exe", "-k", "netsvcs").subject()));
        return c;
    }

    private static Subject sub(Net n) {
        return linux("x", "/opt/x/x").subject(n);
    }

    @Test
    void everyKeyOfTheVocabularyHasACase() {
        // the keys Conditions.of accepts (its switch); a key added there without a case here must be added
        List<String> vocabulary = List.of("name", "name_not", "exe", "exe_not", "parent", "parent_not",
                "parent_exe_not", "user", "user_not", "unit", "signer", "exe_under", "exe_not_under", "exe_hidden_dir",
                "exe_known", "exe_deleted", "name_differs_from_exe", "cmdline_bracketed", "cmdline_contains",
                "package_owned", "signed", "in_container", "declared_business", "stratum", "remote_class",
                "remote_only_class", "remote_port", "threat_listed", "remote_hosts_at_least", "remote_ports_at_least",
                "unanswered_tcp_at_least", "inbound_served_at_least", "inbound_served_below",
                "packets_per_second_at_least", "avg_packet_below", "tx_rx_ratio_at_least", "public_bytes_at_least", "public_share_at_least",
                "foreign_share_at_least", "foreign_countries_at_least",
                "company", "signature_status", "pid", "name_resembles", "cmdline_lacks");
        assertThat(cases()).extracting(KeyCase::key).containsExactlyInAnyOrderElementsOf(vocabulary);
    }

    @TestFactory
    Stream<DynamicTest> everyKeyHoldsAndFails() {
        return cases().stream().flatMap(k -> Stream.of(
                DynamicTest.dynamicTest(k.key() + " holds", () -> assertThat(test(k.key(), k.value(), k.holds()))
                        .as("%s = %s", k.key(), k.value()).isNotNull().isNotEmpty()),
                DynamicTest.dynamicTest(k.key() + " fails", () -> assertThat(test(k.key(), k.value(), k.fails()))
                        .as("%s = %s", k.key(), k.value()).isNull())));
    }

    @TestFactory
    Stream<DynamicTest> flagsAlsoWorkNegated() {
        return cases().stream().filter(k -> k.value() instanceof Boolean).map(k -> DynamicTest.dynamicTest(k.key(),
                () -> {
                    assertThat(test(k.key(), false, k.fails())).isNotNull();
                    assertThat(test(k.key(), false, k.holds())).isNull();
                }));
    }

    // ---- unknown facts never fire either way ----

    @ParameterizedTest
    @CsvSource({"name", "name_not"})
    void unknownNameFiresNeither(String key) {
        assertThat(test(key, "x*", linux(null, "/usr/bin/x").subject())).isNull();
    }

    @Test
    void unknownIdentityFactsFireNeither() {
        Subject unknown = new Subject(new ProcessFacts(Platform.LINUX, 7, 0, null, null, null, null, null, null, null,
                null, null, null, null), null, null);
        for (String key : List.of("name", "name_not", "exe", "exe_not", "parent", "parent_not", "parent_exe_not",
                "user", "user_not", "unit", "signer", "exe_under", "exe_not_under")) {
            assertThat(test(key, "*", unknown)).as(key).isNull();
            assertThat(test(key, "/nothing", unknown)).as(key).isNull();
        }
        for (String key : List.of("exe_hidden_dir", "exe_deleted", "name_differs_from_exe", "cmdline_bracketed",
                "package_owned", "signed")) {
            assertThat(test(key, true, unknown)).as(key).isNull();
            assertThat(test(key, false, unknown)).as(key).isNull();
        }
        assertThat(test("cmdline_contains", "x", unknown)).isNull();
        // no traffic seen: rates, sizes, ratios and shares are unknown, not zero
        for (String key : List.of("packets_per_second_at_least", "avg_packet_below", "tx_rx_ratio_at_least",
                "foreign_share_at_least", "public_share_at_least")) {
            assertThat(test(key, 0L, unknown)).as(key).isNull();
            assertThat(test(key, 1e12, unknown)).as(key).isNull();
        }
        assertThat(test("remote_class", "public", unknown)).isNull();
        assertThat(test("remote_only_class", "public", unknown)).as("no remotes is not 'only public'").isNull();
    }

    @Test
    void remotesOfUnknownClassMatchNoClassAndNoPort() {
        Subject s = sub(traffic().remote("198.51.100.7", 3333, null));
        assertThat(test("remote_class", List.of("public", "private"), s)).isNull();
        assertThat(test("remote_only_class", List.of("public", "private"), s)).isNull();
        assertThat(test("remote_port", 3333L, s)).as("only ports on the Internet count").isNull();
    }

    @Test
    void unsignedOrUnknownSignature() {
        Subject unknown = windows("a.exe", "C:\\a.exe").signature(Signature.UNKNOWN).subject();
        assertThat(test("signed", true, unknown)).isNull();
        assertThat(test("signed", false, unknown)).isNull();
        assertThat(test("signed", false, windows("a.exe", "C:\\a.exe").signature(UNSIGNED).subject())).isNotNull();
    }

    @Test
    void nothingReceivedIsAnInfiniteRatio() {
        assertThat(test("tx_rx_ratio_at_least", 1e9, sub(traffic().bytes(100, 0)))).containsEntry("ratio", "inf");
        assertThat(test("tx_rx_ratio_at_least", 0L, sub(traffic().bytes(0, 100)))).as("nothing sent").isNull();
    }

    // ---- evidence facts ----

    @Test
    void reportsTheFactsItMatched() {
        assertThat(test("name", "ngin*", nginx())).containsEntry("name", "nginx");
        assertThat(test("exe_under", "/usr", nginx())).containsEntry("exe", "/usr/sbin/nginx");
        assertThat(test("package_owned", true, nginx())).containsEntry("package", "nginx");
        assertThat(test("cmdline_contains", List.of("nothing", "STRATUM+tcp"), linux("x", "/tmp/x")
                .cmdline("x", "stratum+tcp://p:1").subject())).containsEntry("match", "STRATUM+tcp");
        assertThat(test("remote_port", 3333L, sub(traffic().remote("198.51.100.7", 3333, PUBLIC))))
                .containsEntry("remote", "198.51.100.7:3333");
        assertThat(test("avg_packet_below", 200L, sub(traffic().packets(3, 0).bytes(100, 0))))
                .containsEntry("avg_packet", "33.33");
        assertThat(test("packets_per_second_at_least", 1L, sub(traffic().seconds(4).packets(10, 0))))
                .containsEntry("pps", "2.50");
    }

    @Test
    void stratumAndThreatListEachReportTheirOwnRemote() {
        Subject both = sub(traffic().remote("203.0.113.50", 443, PUBLIC, List.of("firehol"))
                .stratum("login", "198.51.100.7:3333"));
        assertThat(test("stratum", true, both)).containsEntry("remote", "login to 198.51.100.7:3333");
        assertThat(test("threat_listed", true, both)).containsEntry("remote", "203.0.113.50 (firehol)");
    }

    // ---- globs and paths ----

    @ParameterizedTest
    @CsvSource({
            "kworker*, kworker/0:1, true", "kworker*, kworker, true", "kworker*, xkworker, false",
            "sap00?, sap001, true", "sap00?, sap00, false", "sap00?, sap0012, false",
            "a.b, a.b, true", "a.b, axb, false", "[x], [x], true", "[x], x, false", "*, '', true",
            "NGINX, nginx, false", "ddgs*, ddgs.3013, true"})
    void globsOnLinuxAreLiteralExceptStarAndQuestionMark(String glob, String name, boolean matches) {
        assertThat(test("name", glob, linux(name, "/usr/bin/x").subject()) != null).isEqualTo(matches);
    }

    @Test
    void windowsMatchesWithoutCase() {
        Subject svchost = windows("SVCHOST.EXE", "C:\\WINDOWS\\System32\\SVCHOST.EXE").subject();
        assertThat(test("name", "svchost.exe", svchost)).isNotNull();
        assertThat(test("exe", "c:\\windows\\system32\\*.exe", svchost)).isNotNull();
        assertThat(test("exe_under", "C:\\Windows\\System32", svchost)).isNotNull();
        assertThat(test("exe_under", "C:/Windows/System32/", svchost)).as("forward slashes").isNotNull();
        assertThat(test("exe_under", "C:\\Windows\\Sys", svchost)).isNull();
        assertThat(test("name_differs_from_exe", true, svchost)).isNull();
        assertThat(test("name", "svchost.exe", linux("SVCHOST.EXE", "/x").subject())).as("Linux keeps case").isNull();
    }

    @Test
    void exeUnderNeedsASeparatorAfterTheDirectory() {
        assertThat(test("exe_under", "/tmp", linux("x", "/tmp/x").subject())).isNotNull();
        assertThat(test("exe_under", "/tmp/", linux("x", "/tmp/x").subject())).isNotNull();
        assertThat(test("exe_under", "/tmp", linux("x", "/tmpfoo/x").subject())).isNull();
        assertThat(test("exe_under", "/tmp", linux("x", "/tmp").subject())).isNull();
        assertThat(test("exe_under", "/TMP", linux("x", "/tmp/x").subject())).isNull();
        assertThat(test("exe_not_under", "/tmp", linux("x", "/tmpfoo/x").subject())).isNotNull();
        assertThat(test("exe_under", "/snap/*/current", linux("x", "/snap/lxd/current/bin/lxd").subject())).isNotNull();
        assertThat(test("exe_under", "/snap/*/current", linux("x", "/snap/lxd/29351/bin/lxd").subject())).isNull();
    }

    @Test
    void hiddenDirectoriesButNotDotsInNames() {
        assertThat(test("exe_hidden_dir", true, linux("x", "/home/u/.cache/x").subject())).isNotNull();
        assertThat(test("exe_hidden_dir", true, linux("x", "/tmp/.x").subject())).as("hidden file").isNotNull();
        assertThat(test("exe_hidden_dir", true, linux("x", "/opt/app-1.2/bin/x.sh").subject())).isNull();
    }

    @Test
    void nameDiffersFromExeAllowsCommTruncationAndVersionedInterpreters() {
        assertThat(test("name_differs_from_exe", true, linux("python3", "/usr/bin/python3.12").subject())).isNull();
        assertThat(test("name_differs_from_exe", true,
                linux("amazon-ssm-agen", "/usr/bin/amazon-ssm-agent").subject())).isNull();
        assertThat(test("name_differs_from_exe", true, linux("sshd", "/tmp/kdevtmpfsi").subject()))
                .containsEntry("exe", "/tmp/kdevtmpfsi");
        assertThat(test("name_differs_from_exe", true, linux("x", "/memfd:x").subject())).as("memfd: unknown")
                .isNull();
    }

    @Test
    void bracketedCommandLine() {
        assertThat(test("cmdline_bracketed", true, linux("x", "/x").cmdline(" [kthreadd] ").subject())).isNotNull();
        assertThat(test("cmdline_bracketed", true, linux("x", "/x").cmdline("[kthreadd").subject())).isNull();
        assertThat(test("cmdline_bracketed", false, linux("x", "/x").cmdline("/x", "[arg]").subject())).isNotNull();
    }

    @Test
    void emptyNeedlesNeverMatch() {
        assertThat(test("cmdline_contains", List.of(""), linux("x", "/x").cmdline("anything").subject())).isNull();
    }

    // ---- bad rules ----

    @Test
    void unknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> Conditions.of("nmae", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown condition 'nmae'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "name | 5 | expected a string or a list of strings, got 5",
            "exe_under | true | expected a string or a list of strings, got true",
            "exe_known | yes | expected true or false, got yes",
            "stratum | 1 | expected true or false, got 1",
            "remote_hosts_at_least | many | expected a number, got many",
            "remote_port | 70000 | not a port number: '70000'",
            "remote_port | http | not a port number: 'http'",
            "remote_class | cloud | unknown address class 'cloud'"})
    void badValuesAreRefusedWithTheReason(String key, String text, String message) {
        Object value = switch (text) {
            case "5", "1" -> Long.parseLong(text);
            case "true" -> Boolean.TRUE;
            case "70000" -> List.of(70000L);
            default -> text;
        };
        assertThatThrownBy(() -> Conditions.of(key, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void portsMayBeASingleNumberOrAList() {
        Subject s = sub(traffic().remote("198.51.100.7", 3333, PUBLIC));
        assertThat(test("remote_port", 3333L, s)).isNotNull();
        assertThat(test("remote_port", List.of(1L, 3333L), s)).isNotNull();
        assertThat(test("remote_port", "3333", s)).isNotNull();
    }
}
