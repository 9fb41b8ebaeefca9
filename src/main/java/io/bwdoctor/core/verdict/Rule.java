package io.bwdoctor.core.verdict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule of the rules file: when all its conditions hold for a process, it adds evidence of {@code weight} (0..1)
 * for {@code points}. Rules never decide alone: the {@link Classifier} combines all evidence.
 *
 * @param platform null = both platforms
 * @param kind     for abnormal rules: miner, ddos-bot, scanner, proxy, malware...; null otherwise
 * @param template English evidence text with {fact} placeholders
 * @param source   where the facts come from, with {pid} filled in (e.g. "/proc/{pid}/exe")
 */
public record Rule(String id, Platform platform, Verdict points, String kind, double weight, String template,
                   String source, List<Condition> conditions) {
    public Rule {
        if (!(weight >= 0 && weight <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("rule " + id + ": weight must be between 0 and 1");
        }
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + ": a rule needs at least one condition");
        }
        conditions = List.copyOf(conditions);
    }

    /** The evidence this rule gives for the subject, or null when one of its conditions does not hold. */
    public Evidence apply(Subject subject) {
        if (weight == 0 || (platform != null && platform != subject.process().platform())) {
            return null;
        }
        Map<String, String> facts = new HashMap<>();
        for (Condition c : conditions) {
            Map<String, String> matched = c.test(subject);
            if (matched == null) {
                return null;
            }
            facts.putAll(matched);
        }
        ProcessFacts p = subject.process(); // identity facts a rule's text may name though no condition tested them
        facts.putIfAbsent("pid", Integer.toString(p.pid()));
        facts.putIfAbsent("name", String.valueOf(p.name()));
        String[][] known = {{"exe", p.exe()}, {"user", p.user()}, {"package", p.packageOwner()}, {"unit", p.unit()},
            {"parent", p.parentName()}};
        for (String[] k : known) {
            if (k[1] != null) {
                facts.putIfAbsent(k[0], k[1]);
            }
        }
        String where = source == null ? "" : Evidence.fill(source, facts);
        return new Evidence(id, points, weight, template, facts, where);
    }

    private static final List<String> KEYS = List.of("id", "platform", "verdict", "kind", "weight", "text", "source",
            "when");

    /** Builds a rule from a rules-file table: id, verdict, weight, text, optional platform/kind/source, when. */
    public static Rule fromTable(Map<String, Object> table) {
        String id = string(table, "id", null);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a rule has no id");
        }
        try {
            for (Object key : table.keySet()) {
                if (!KEYS.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException("unknown key '" + key + "' (expected " + String.join(", ", KEYS)
                            + ")");
                }
            }
            Object when = table.get("when");
            if (!(when instanceof Map<?, ?> conditions)) {
                throw new IllegalArgumentException("missing [rule.when] table");
            }
            if (conditions.isEmpty()) {
                throw new IllegalArgumentException("[rule.when] has no conditions");
            }
            List<Condition> list = new ArrayList<>();
            for (Map.Entry<?, ?> e : conditions.entrySet()) {
                list.add(Conditions.of(String.valueOf(e.getKey()), e.getValue()));
            }
            String platform = string(table, "platform", "any");
            Object weight = table.getOrDefault("weight", 0.5);
            if (!(weight instanceof Number w) || !(w.doubleValue() >= 0 && w.doubleValue() <= 1)) {
                throw new IllegalArgumentException("weight must be a number between 0 and 1, got " + weight);
            }
            return new Rule(id, switch (platform) {
                case "any" -> null;
                case "linux" -> Platform.LINUX;
                case "windows" -> Platform.WINDOWS;
                default -> throw new IllegalArgumentException("platform must be linux, windows or any");
            }, Verdict.ofKey(string(table, "verdict", "")), string(table, "kind", null), w.doubleValue(),
                    string(table, "text", id), string(table, "source", null), list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule " + id + ": " + e.getMessage(), e);
        }
    }

    private static String string(Map<String, Object> table, String key, String fallback) {
        Object v = table.get(key);
        return v == null ? fallback : String.valueOf(v);
    }
}
