package io.bwdoctor.cli.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.cli.output.DisplayWidth;
import io.bwdoctor.config.Rules;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.intel.AddressClass;
import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.verdict.Classification;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.Remote;
import io.bwdoctor.core.verdict.Rule;
import io.bwdoctor.core.verdict.TrafficFacts;
import io.bwdoctor.core.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Korean and Chinese report texts: complete, placeholders intact, chosen by --lang/locale, tables aligned. */
class TranslationsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Map<String, String> RULE_TEXTS = Rules.shipped().stream()
            .collect(Collectors.toMap(Rule::id, Rule::template, (a, b) -> b, LinkedHashMap::new));

    private static Properties bundle(String suffix) {
        String name = "/io/bwdoctor/i18n/Messages" + suffix + ".properties";
        try (InputStream in = TranslationsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> placeholders(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The English text a translated key stands for: the bundle's, or the shipped rule's for evidence.<id>. */
    private static Map<String, String> english() {
        Map<String, String> en = new LinkedHashMap<>();
        bundle("").forEach((k, v) -> en.put((String) k, (String) v));
        RULE_TEXTS.forEach((id, text) -> en.putIfAbsent("evidence." + id, text));
        return en;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "zh"})
    void everyKeyAndEveryShippedRuleIsTranslatedWithTheSamePlaceholders(String lang) {
        Map<String, String> en = english();
        Properties tr = bundle("_" + lang);
        assertThat(RULE_TEXTS).as("shipped rules").hasSizeGreaterThan(30);
        assertThat(new TreeSet<>(tr.stringPropertyNames())).as("keys of Messages_" + lang)
                .isEqualTo(new TreeSet<>(en.keySet()));
        en.forEach((key, text) -> {
            String t = tr.getProperty(key);
            assertThat(t).as(lang + " " + key).isNotBlank();
            assertThat(placeholders(t)).as(lang + " placeholders of " + key).isEqualTo(placeholders(text));
        });
    }

    @Test
    void languageTagsPickTheirBundleAndOthersFallBackToEnglish() {
        String ko = bundle("_ko").getProperty("answer.healthy");
        String zh = bundle("_zh").getProperty("answer.healthy");
        String en = bundle("").getProperty("answer.healthy");
        assertThat(List.of(ko, zh, en)).doesNotHaveDuplicates();
        for (String tag : List.of("ko", "ko-KR", "KO_kr")) {
            assertThat(Texts.of(tag).get("answer.healthy")).as(tag).isEqualTo(ko);
            assertThat(Texts.of(tag).locale().getLanguage()).isEqualTo("ko");
        }
        for (String tag : List.of("zh", "zh-CN", "zh_CN")) {
            assertThat(Texts.of(tag).get("answer.healthy")).as(tag).isEqualTo(zh);
        }
        for (String tag : List.of("fr", "en", "en-US")) {
            assertThat(Texts.of(tag).get("answer.healthy")).as(tag).isEqualTo(en);
            assertThat(Texts.of(tag).has("evidence.stratum-traffic")).isFalse();
        }
        assertThat(Texts.of("zh").evidence(new Evidence("stratum-traffic", Verdict.ABNORMAL, 0.85,
                RULE_TEXTS.get("stratum-traffic"), Map.of("remote", "203.0.113.7:3333"), "capture")))
                .isEqualTo("流量中发现 Stratum 挖矿协议：203.0.113.7:3333");
    }

    @Test
    void withoutLangTheEnvironmentsLocaleDecides() {
        assertThat(Texts.systemLocale(Map.of("LANG", "ko_KR.UTF-8"), Locale.ENGLISH).getLanguage()).isEqualTo("ko");
        assertThat(Texts.systemLocale(Map.of("LC_ALL", "zh_CN.utf8", "LANG", "ko_KR.UTF-8"), Locale.ENGLISH))
                .isEqualTo(Locale.SIMPLIFIED_CHINESE);
        assertThat(Texts.systemLocale(Map.of("LC_MESSAGES", "ko_KR.eucKR@x", "LANG", "en_US.UTF-8"), Locale.ENGLISH)
                .getLanguage()).isEqualTo("ko");
        assertThat(Texts.systemLocale(Map.of("LC_ALL", "", "LANG", "C.UTF-8"), Locale.KOREAN))
                .isEqualTo(Locale.ENGLISH);
        assertThat(Texts.systemLocale(Map.of(), Locale.KOREA)).isEqualTo(Locale.KOREA);
        Locale env = Texts.systemLocale(System.getenv(), Locale.getDefault());
        String expected = switch (env.getLanguage()) {
            case "ko" -> bundle("_ko").getProperty("answer.healthy");
            case "zh" -> bundle("_zh").getProperty("answer.healthy");
            default -> bundle("").getProperty("answer.healthy");
        };
        assertThat(Texts.of(null).get("answer.healthy")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "zh"})
    void aReportRendersWithoutPlaceholdersOrKeyNames(String lang) {
        for (boolean markdown : List.of(false, true)) {
            String out = render(sample(), lang, markdown);
            assertThat(out).doesNotContain("{").doesNotContain("}");
            for (String key : keyNames()) {
                assertThat(out).as(lang + " shows key " + key).doesNotContain(key);
            }
            Properties tr = bundle("_" + lang);
            assertThat(out).contains(tr.getProperty("processes.title"), tr.getProperty("actions.title"),
                    tr.getProperty("verdict.abnormal"), tr.getProperty("column.verdict"))
                    .doesNotContain("Processes by traffic", "What to do", "ABNORMAL:", "Stratum mining protocol");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "zh"})
    void everyActionAndEveryRuleRendersTranslated(String lang) {
        List<Diagnosis.Action> actions = new ArrayList<>();
        for (String key : bundle("").stringPropertyNames()) {
            if (key.startsWith("action.")) {
                actions.add(new Diagnosis.Action(actions.size() + 1, key.substring(7), -1,
                        factsFor(bundle("").getProperty(key)), List.of()));
            }
        }
        List<Evidence> evidence = new ArrayList<>();
        RULE_TEXTS.forEach((id, text) -> evidence.add(new Evidence(id, Verdict.ABNORMAL, 0.5, text, factsFor(text),
                "test")));
        Diagnosis.ProcessReport p = process(4242, "xmrig", Verdict.ABNORMAL, "miner", evidence, 0.9);
        Diagnosis d = diagnosis(List.of(p), actions);
        String out = render(d, lang, false);
        assertThat(out).doesNotContain("{");
        for (String key : keyNames()) {
            assertThat(out).as(lang + " shows key " + key).doesNotContain(key);
        }
        for (String text : RULE_TEXTS.values()) {   // every evidence line is the translation, not the rule's English
            assertThat(out).doesNotContain(Evidence.fill(text, factsFor(text)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "ko", "zh"})
    void theTextTableLinesUpByDisplayColumnsWithCjkNames(String lang) {
        String wide = "数据同步服务进程管理器";  // 22 columns: cropped to the name column's 16
        Diagnosis d = diagnosis(List.of(
                process(101, "백업에이전트", Verdict.BUSINESS, null, List.of(), 0.5),
                process(202, wide, Verdict.UNKNOWN, null, List.of(), 0.3),
                process(30303, "nginx", Verdict.BUSINESS, null, List.of(), 0.2)), List.of());
        List<String> lines = render(d, lang, false).lines().toList();
        Texts t = Texts.of(lang);
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("#  ")).findFirst().orElseThrow());
        List<String> table = lines.subList(header, header + 4);
        String verdictHeader = t.get("column.verdict");
        int verdictColumn = columnOf(table.get(0), verdictHeader);
        int width = DisplayWidth.of(table.get(0));
        for (String row : table.subList(1, 4)) {
            assertThat(DisplayWidth.of(row)).as("display width of\n" + String.join("\n", table)).isEqualTo(width);
            String verdict = row.contains(t.verdict("unknown")) ? t.verdict("unknown") : t.verdict("business");
            assertThat(columnOf(row, verdict)).as("verdict column of\n" + String.join("\n", table))
                    .isEqualTo(verdictColumn);
        }
        assertThat(table.get(2)).contains("数据同步服务进…").doesNotContain(wide);
        assertThat(DisplayWidth.of("数据同步服务进…")).isEqualTo(15);
    }

    /** The bundle's dotted keys ("answer.abnormal"): what Texts shows when a translation is missing. */
    private static List<String> keyNames() {
        return bundle("").stringPropertyNames().stream().filter(k -> k.contains(".")).toList();
    }

    private static int columnOf(String line, String cell) {
        int i = line.indexOf(cell);
        assertThat(i).as(cell + " in " + line).isGreaterThanOrEqualTo(0);
        return DisplayWidth.of(line.substring(0, i));
    }

    /** Plausible values for a text's placeholders. */
    private static Map<String, String> factsFor(String text) {
        Map<String, String> f = new HashMap<>();
        for (String name : placeholders(text)) {
            f.put(name, switch (name) {
                case "cap", "peak", "suggested" -> "100000000";
                case "remote" -> "203.0.113.7:3333";
                case "exe" -> "/tmp/.x/kdevtmpfsi";
                default -> "v_" + name;
            });
        }
        return f;
    }

    private static String render(Diagnosis d, String lang, boolean markdown) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HumanReport.write(d, Texts.of(lang), markdown, out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Rates rates(long tx, long rx) {
        return new Rates(tx, rx, tx / 1000, rx / 1000, null, null, null, null, null, null, tx / 5, rx / 5,
                (tx + rx) / 5);
    }

    private static Diagnosis.ProcessReport process(int pid, String name, Verdict verdict, String kind,
                                                   List<Evidence> evidence, double share) {
        Remote remote = new Remote("203.0.113.7", 3333, "tcp", AddressClass.PUBLIC, "NL", 64496L, "Example Hosting",
                null, List.of(), true, 9_000_000, 300_000);
        TrafficFacts traffic = new TrafficFacts(9_000_000, 300_000, 9000, 3000, 10, 1, 1, 1, 0, 0, 9_300_000,
                9_300_000, 1, List.of(remote), List.of());
        ProcessFacts facts = new ProcessFacts(Platform.LINUX, pid, 1, name, "/opt/app/" + pid, false,
                List.of(name, "--serve"), "root", "systemd", "/usr/lib/systemd/systemd", "", null, null, null);
        return new Diagnosis.ProcessReport(facts, traffic, new Classification(verdict, kind, 0.8, evidence), share,
                rates(9_000_000, 300_000), false);
    }

    private static Diagnosis diagnosis(List<Diagnosis.ProcessReport> processes, List<Diagnosis.Action> actions) {
        Diagnosis.Link link = new Diagnosis.Link(List.of(new Diagnosis.InterfaceReport("eth0", List.of("192.0.2.10"),
                rates(12_000_000, 400_000), 12)), 12_000_000, 400_000, 1_000_000, 50_000, 9_600_000, 320_000,
                95_000_000, 0.95);
        boolean abnormal = processes.stream().anyMatch(p -> p.classification().verdict() == Verdict.ABNORMAL);
        return new Diagnosis(1_790_000_000_000L, 10, "web-01", "KR", 100_000_000L,
                abnormal ? Diagnosis.Outcome.ABNORMAL : Diagnosis.Outcome.HEALTHY, link, processes,
                new Diagnosis.Unattributed(1000, 500, Map.of("no-socket", 1500L)), actions,
                List.of(new Diagnosis.Finding("cron", "/etc/cron.d/sync", 3, "* * * * * root /tmp/.x/run", 4242)),
                List.of("no eBPF: short-lived UDP senders are not named"), Map.of());
    }

    /** A miner next to a Chinese-named business process, with the runbook a real diagnosis would give. */
    private static Diagnosis sample() {
        Rule stratum = Rules.shipped().stream().filter(r -> r.id().equals("stratum-traffic")).findFirst().orElseThrow();
        Rule miner = Rules.shipped().stream().filter(r -> r.id().equals("miner-name")).findFirst().orElseThrow();
        List<Evidence> evidence = List.of(
                new Evidence(stratum.id(), Verdict.ABNORMAL, 0.85, stratum.template(),
                        Map.of("remote", "203.0.113.7:3333"), "capture"),
                new Evidence(miner.id(), Verdict.ABNORMAL, 0.45, miner.template(), Map.of("name", "xmrig"),
                        "process name"));
        List<Diagnosis.ProcessReport> ps = List.of(
                process(4242, "xmrig", Verdict.ABNORMAL, "miner", evidence, 0.7),
                process(777, "数据同步", Verdict.BUSINESS, null, List.of(), 0.3));
        List<Diagnosis.Action> actions = List.of(
                new Diagnosis.Action(1, "stop-abnormal", 4242, Map.of("pid", "4242", "name", "xmrig", "exe",
                        "/tmp/.x/xmrig", "kind", "miner"), List.of("kill -STOP 4242", "kill -KILL 4242")),
                new Diagnosis.Action(2, "block-remotes", 4242, Map.of("remotes", "203.0.113.7"),
                        List.of("nft add table inet bwdoctor")),
                new Diagnosis.Action(3, "remove-persistence", 4242, Map.of("path", "/etc/cron.d/sync", "line", "3",
                        "text", "* * * * * root /tmp/.x/run", "finding", "cron"), List.of("rm /etc/cron.d/sync")),
                new Diagnosis.Action(4, "reinstall", -1, Map.of(), List.of()));
        return diagnosis(ps, actions);
    }
}
