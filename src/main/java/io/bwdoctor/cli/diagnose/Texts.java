package io.bwdoctor.cli.diagnose;

import io.bwdoctor.cli.output.Units;
import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.verdict.Evidence;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The report's texts in one language (en, ko, zh), with {name} placeholders filled. Values are not sanitized here. */
final class Texts {
    private static final Set<String> RATE_FACTS = Set.of("cap", "peak", "suggested", "now", "baseline");
    private final ResourceBundle bundle;
    private final Locale locale;

    private Texts(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /** "en", "ko", "zh" (or a locale tag such as ko-KR, zh-CN); null = the system locale, English when unsupported. */
    static Texts of(String lang) {
        Locale locale = lang != null ? Locale.forLanguageTag(lang.replace('_', '-'))
                : systemLocale(System.getenv(), Locale.getDefault());
        String l = locale.getLanguage();
        Locale chosen = switch (l) {
            case "ko" -> Locale.KOREAN;
            case "zh" -> Locale.SIMPLIFIED_CHINESE;
            default -> Locale.ENGLISH;
        };
        ResourceBundle b = ResourceBundle.getBundle("io.bwdoctor.i18n.Messages", chosen,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new Texts(b, chosen);
    }

    /**
     * The locale the environment asks for, in POSIX order (LC_ALL, LC_MESSAGES, LANG; "ko_KR.UTF-8" gives ko-KR),
     * else {@code fallback}. Read here because the JVM's default locale is English whenever that locale is not
     * generated on the host (no locale-gen), which is common on servers.
     */
    static Locale systemLocale(Map<String, String> env, Locale fallback) {
        for (String name : List.of("LC_ALL", "LC_MESSAGES", "LANG")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                String tag = value.replaceAll("[.@].*", "").replace('_', '-');
                return tag.equals("C") || tag.equals("POSIX") ? Locale.ENGLISH : Locale.forLanguageTag(tag);
            }
        }
        return fallback;
    }

    static boolean supported(String lang) {
        return lang == null || lang.matches("(?i)(en|ko|zh)([-_][A-Za-z]{2,4})*");
    }

    Locale locale() {
        return locale;
    }

    String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    String get(String key, Map<String, String> facts) {
        return Evidence.fill(get(key), facts);
    }

    boolean has(String key) {
        return bundle.containsKey(key);
    }

    /** The evidence in this language: a translation of the rule's text when there is one, else the rule's text. */
    String evidence(Evidence e) {
        String key = "evidence." + e.rule();
        return Evidence.fill(has(key) ? get(key) : e.template(), e.facts());
    }

    /**
     * A runbook step's text. Its rate facts (cap, peak, suggested) are bits per second and are shown with their unit;
     * the other facts go through {@code clean} (the medium's sanitizer).
     */
    String action(Diagnosis.Action a, UnaryOperator<String> clean) {
        Map<String, String> f = new HashMap<>();
        a.facts().forEach((k, v) -> f.put(k, RATE_FACTS.contains(k) ? bits(v) : clean.apply(v)));
        return get("action." + a.key(), f);
    }

    private static String bits(String bps) {
        try {
            return Units.bitsPerSecond(Long.parseLong(bps));
        } catch (NumberFormatException e) {
            return bps;
        }
    }

    String verdict(String key) {
        return get("verdict." + key);
    }
}
