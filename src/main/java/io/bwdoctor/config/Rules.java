package io.bwdoctor.config;

import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.core.verdict.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The verdict rules: the files shipped in the jar, extended or overridden by the user's rules file. */
public final class Rules {
    static final List<String> SHIPPED = List.of("rules.toml", "rules-windows.toml");

    private Rules() {}

    public static List<Rule> shipped() {
        List<Rule> out = new ArrayList<>();
        for (String name : SHIPPED) {
            try (InputStream in = Rules.class.getResourceAsStream("/io/bwdoctor/verdict/" + name)) {
                if (in != null) {
                    out.addAll(parse(Toml.read(in, name), name));
                }
            } catch (IOException | ConfigException e) {
                throw new IllegalStateException("shipped rules " + name + " are broken: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Shipped rules plus the user's file (null for none). */
    public static Classifier classifier(Path userFile) throws ConfigException {
        List<Rule> user = userFile == null ? List.of() : parse(Toml.read(userFile), userFile.toString());
        return Classifier.merged(shipped(), user);
    }

    @SuppressWarnings("unchecked")
    static List<Rule> parse(Map<String, Object> doc, String name) throws ConfigException {
        Object rules = doc.get("rule");
        if (rules == null) {
            return List.of();
        }
        if (!(rules instanceof List<?> list)) {
            throw new ConfigException(name + ": 'rule' must be an array of tables ([[rule]])");
        }
        List<Rule> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> table)) {
                throw new ConfigException(name + ": each [[rule]] must be a table");
            }
            try {
                out.add(Rule.fromTable((Map<String, Object>) table));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + ": " + e.getMessage());
            }
        }
        return out;
    }
}
