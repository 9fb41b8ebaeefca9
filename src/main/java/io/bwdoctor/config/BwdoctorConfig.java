package io.bwdoctor.config;

import io.bwdoctor.core.verdict.Declarations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /etc/bwdoctor/bwdoctor.toml (or --config): everything optional, every command works without it. Sections:
 * [link] cap, interfaces, country; [business] names, units, users, paths; [intel] networks, threat_lists,
 * provider_internal, data_dir; [rules] file; [guard] threshold, for, protect, db, webhook, metrics_listen.
 * See docs/CONFIG.md.
 */
public record BwdoctorConfig(String cap, List<String> interfaces, String country, Declarations business,
                             Path networksFile, List<Path> threatLists, List<String> providerInternal, Path dataDir,
                             Path rulesFile, Map<String, Object> guard, Path source) {
    public static final Path DEFAULT = Path.of("/etc/bwdoctor/bwdoctor.toml");

    public static BwdoctorConfig empty() {
        return new BwdoctorConfig(null, List.of(), null, Declarations.NONE, null, List.of(), List.of(), null, null,
                Map.of(), null);
    }

    /** The given file (which must exist), or the default one when it exists, or an empty configuration. */
    public static BwdoctorConfig load(Path explicit) throws ConfigException {
        Path file = explicit != null ? explicit : Files.isRegularFile(DEFAULT) ? DEFAULT : null;
        if (file == null) {
            return empty();
        }
        return parse(Toml.read(file), file);
    }

    static BwdoctorConfig parse(Map<String, Object> doc, Path file) throws ConfigException {
        Section link = new Section(doc, "link", file);
        Section business = new Section(doc, "business", file);
        Section intel = new Section(doc, "intel", file);
        Section rules = new Section(doc, "rules", file);
        Path base = file.toAbsolutePath().getParent();
        return new BwdoctorConfig(link.string("cap"), link.strings("interfaces"), link.string("country"),
                new Declarations(business.strings("names"), business.strings("units"), business.strings("users"),
                        business.strings("paths")),
                path(base, intel.string("networks")), intel.strings("threat_lists").stream()
                .map(s -> path(base, s)).toList(), intel.strings("provider_internal"),
                path(base, intel.string("data_dir")), path(base, rules.string("file")),
                new Section(doc, "guard", file).table, file);
    }

    private static Path path(Path base, String s) {
        return s == null ? null : base == null ? Path.of(s) : base.resolve(s);
    }

    /** One [section] of the file, with typed getters that name the key on error. */
    private static final class Section {
        final Map<String, Object> table;
        final String name;
        final Path file;

        @SuppressWarnings("unchecked")
        Section(Map<String, Object> doc, String name, Path file) throws ConfigException {
            Object t = doc.get(name);
            if (t != null && !(t instanceof Map)) {
                throw new ConfigException(file + ": [" + name + "] must be a table");
            }
            this.table = t == null ? Map.of() : (Map<String, Object>) t;
            this.name = name;
            this.file = file;
        }

        String string(String key) throws ConfigException {
            Object v = table.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Map || v instanceof List) {
                throw new ConfigException(file + ": " + name + "." + key + " must be a single value");
            }
            return String.valueOf(v);
        }

        List<String> strings(String key) throws ConfigException {
            Object v = table.get(key);
            if (v == null) {
                return List.of();
            }
            if (v instanceof String s) {
                return List.of(s);
            }
            if (!(v instanceof List<?> list)) {
                throw new ConfigException(file + ": " + name + "." + key + " must be a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
            return out;
        }
    }
}
