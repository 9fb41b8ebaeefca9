package io.bwdoctor.core.verdict;

import java.util.List;

/**
 * A process's verdict, how sure we are (0..1), the kind of abnormality when abnormal (miner, ddos-bot, scanner,
 * malware), and the evidence for and against, strongest first.
 */
public record Classification(Verdict verdict, String kind, double confidence, List<Evidence> evidence) {
    public Classification {
        evidence = List.copyOf(evidence);
    }
}
