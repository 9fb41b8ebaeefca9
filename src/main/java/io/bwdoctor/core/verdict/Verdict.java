package io.bwdoctor.core.verdict;

/** What a process's traffic is, as far as the evidence goes. The key is what JSON and the rules files use. */
public enum Verdict {
    ABNORMAL("abnormal"), CLOUD_AGENT("cloud-agent"), BUSINESS("business"), SYSTEM("system"), UNKNOWN("unknown");

    private final String key;

    Verdict(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Verdict ofKey(String key) {
        for (Verdict v : values()) {
            if (v.key.equals(key)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + key + "' (expected abnormal, cloud-agent, business, "
                + "system or unknown)");
    }
}
