package io.bwdoctor.core.verdict;

import java.util.Map;

/**
 * One observed fact behind a verdict. The text shown is the report bundle's "evidence.&lt;rule&gt;" message, or
 * {@code template} (English, from the rules file) when the bundle has none; {name} placeholders are filled from
 * {@code facts}. {@code source} says where the fact was read (for example "/proc/1234/exe", "capture", "dpkg").
 * Facts are raw system or wire data: sanitize them before display.
 *
 * @param rule   id of the rule that produced it
 * @param points the verdict this evidence supports
 * @param weight how strongly (0..1) it supports that verdict
 */
public record Evidence(String rule, Verdict points, double weight, String template, Map<String, String> facts,
                       String source) {
    public Evidence {
        facts = Map.copyOf(facts);
    }

    /** The English text with the facts filled in. */
    public String text() {
        return fill(template, facts);
    }

    /** Replaces each {name} in {@code template} by its fact; unknown names stay as they are. */
    public static String fill(String template, Map<String, String> facts) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                out.append(template, i, template.length());
                break;
            }
            String name = template.substring(open + 1, close);
            String value = facts.get(name);
            out.append(template, i, open).append(value != null ? value : template.substring(open, close + 1));
            i = close + 1;
        }
        return out.toString();
    }
}
