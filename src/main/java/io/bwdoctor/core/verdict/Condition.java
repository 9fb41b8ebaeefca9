package io.bwdoctor.core.verdict;

import java.util.Map;

/** One test of a rule. Returns the facts it matched on (for the evidence text), or null when it does not hold. */
@FunctionalInterface
public interface Condition {
    Map<String, String> test(Subject subject);
}
