package io.bwdoctor.cli.diagnose;

import io.bwdoctor.core.verdict.Evidence;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The report's texts in one language (en, ko, zh), with {name} placeholders filled. Values are not sanitized here. */
final class Texts {
    private final ResourceBundle bundle;
    private final Locale locale;

    private Texts(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /** "en", "ko", "zh" (or a locale tag such as ko-KR, zh-CN); null = the system locale, English when unsupported. */
    static Texts of(String lang) {
        Locale locale = lang == null ? Locale.getDefault() : Locale.forLanguageTag(lang.replace('_', '-'));
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

    String verdict(String key) {
        return get("verdict." + key);
    }
}
