package io.bwdoctor.core.verdict;

/**
 * What the rules look at: one process's identity, its traffic, and whether the user declared it as business
 * (null when not declared; otherwise which declaration matched, e.g. "unit nginx.service").
 */
public record Subject(ProcessFacts process, TrafficFacts traffic, String declaredAs) {
    public Subject {
        traffic = traffic == null ? TrafficFacts.NONE : traffic;
    }

    boolean windows() {
        return process.platform() == Platform.WINDOWS;
    }
}
