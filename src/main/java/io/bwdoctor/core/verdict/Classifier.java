package io.bwdoctor.core.verdict;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every rule over a process and combines the evidence. Each verdict's score is 1 - Π(1 - weight) over its
 * evidence, so independent signals add up but never pass 1. Abnormal wins once it reaches {@link #DECIDE}: a
 * declared business process or a genuine-looking agent is still caught when it misbehaves. Otherwise the highest
 * other score that reaches {@link #DECIDE} wins; below that the verdict is unknown, with whatever evidence there was.
 */
public final class Classifier {
    /** The score from which a verdict is given. */
    public static final double DECIDE = 0.5;

    private final List<Rule> rules;
    private final Map<String, String> kinds = new java.util.HashMap<>();

    public Classifier(Collection<Rule> rules) {
        this.rules = List.copyOf(rules);
        rules.stream().filter(r -> r.kind() != null).forEach(r -> kinds.put(r.id(), r.kind()));
    }

    /** Shipped rules overridden (by id) and extended by the user's. */
    public static Classifier merged(List<Rule> shipped, List<Rule> user) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        shipped.forEach(r -> byId.put(r.id(), r));
        user.forEach(r -> byId.put(r.id(), r));
        return new Classifier(byId.values());
    }

    public List<Rule> rules() {
        return rules;
    }

    public Classification classify(Subject subject) {
        List<Evidence> evidence = new ArrayList<>();
        for (Rule r : rules) {
            Evidence e = r.apply(subject);
            if (e != null) {
                evidence.add(e);
            }
        }
        evidence.sort(Comparator.comparingDouble(Evidence::weight).reversed());
        Map<Verdict, Double> scores = new EnumMap<>(Verdict.class);
        for (Evidence e : evidence) {
            scores.merge(e.points(), e.weight(), (a, b) -> 1 - (1 - a) * (1 - b));
        }
        double abnormal = scores.getOrDefault(Verdict.ABNORMAL, 0.0);
        if (abnormal >= DECIDE) {
            return new Classification(Verdict.ABNORMAL, kind(evidence), round(abnormal), evidence);
        }
        Verdict best = Verdict.UNKNOWN;
        double bestScore = 0;
        for (Verdict v : List.of(Verdict.CLOUD_AGENT, Verdict.BUSINESS, Verdict.SYSTEM)) {
            double s = scores.getOrDefault(v, 0.0);
            if (s >= DECIDE && s > bestScore) {
                best = v;
                bestScore = s;
            }
        }
        if (best == Verdict.UNKNOWN) { // how sure we are that nothing decides: the rest of the strongest signal
            double strongest = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            return new Classification(Verdict.UNKNOWN, null, round(1 - strongest), evidence);
        }
        return new Classification(best, null, round(bestScore), evidence);
    }

    /** The kind named by the strongest abnormal evidence that names one ("malware" when none does). */
    private String kind(List<Evidence> evidence) {
        for (Evidence e : evidence) {
            if (e.points() == Verdict.ABNORMAL) {
                String kind = kinds.get(e.rule());
                if (kind != null) {
                    return kind;
                }
            }
        }
        return "malware";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
