package io.bwdoctor.config;

import static io.bwdoctor.core.intel.AddressClass.METADATA;
import static io.bwdoctor.core.intel.AddressClass.PUBLIC;
import static io.bwdoctor.core.verdict.Net.traffic;
import static io.bwdoctor.core.verdict.Proc.kernelThread;
import static io.bwdoctor.core.verdict.Proc.linux;
import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.verdict.Classification;
import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Net;
import io.bwdoctor.core.verdict.Subject;
import io.bwdoctor.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

/** Whole verdicts with the shipped rules: the tracker's must-flag and must-not-flag processes. */
class ShippedVerdictsTest {
    private static final Classifier SHIPPED = new Classifier(Rules.shipped());

    private static Classification classify(Subject s) {
        return SHIPPED.classify(s);
    }

    private static Net inboundClients(int n) {
        return traffic().remote("203.0.113.20", null, PUBLIC).hosts(n).inbound(n).publicBytes(50_000_000)
                .bytes(45_000_000, 5_000_000).packets(40_000, 30_000).seconds(10);
    }

    // ---- must not flag ----

    @Test
    void packageOwnedSshdIsSystem() {
        Classification c = classify(linux("sshd", "/usr/sbin/sshd").owner("openssh-server")
                .parent("systemd", "/usr/lib/systemd/systemd").subject(inboundClients(12)));
        assertThat(c.verdict()).isEqualTo(Verdict.SYSTEM);
        assertThat(c.evidence()).extracting(Evidence::points).doesNotContain(Verdict.ABNORMAL);
    }

    @Test
    void genuineTencentAgentTalkingToMetadataIsCloudAgent() {
        Classification c = classify(linux("barad_agent", "/usr/local/qcloud/monitor/barad/bin/barad_agent")
                .subject(traffic().remote("169.254.0.23", 80, METADATA)));
        assertThat(c.verdict()).isEqualTo(Verdict.CLOUD_AGENT);
        assertThat(c.evidence()).extracting(Evidence::points).doesNotContain(Verdict.ABNORMAL);
    }

    @Test
    void packageOwnedNginxServingManyClientsIsBusiness() {
        Classification c = classify(linux("nginx", "/usr/sbin/nginx").owner("nginx").user("www-data")
                .subject(inboundClients(1000)));
        assertThat(c.verdict()).isEqualTo(Verdict.BUSINESS);
        assertThat(c.evidence()).extracting(Evidence::points).doesNotContain(Verdict.ABNORMAL);
    }

    @Test
    void packageOwnedPythonDoesNotDifferFromItsName() {
        Classification c = classify(linux("python3", "/usr/bin/python3.12").owner("python3.12-minimal")
                .cmdline("python3", "/srv/app/main.py").subject(traffic().remote("203.0.113.10", 443, PUBLIC)));
        assertThat(c.evidence()).extracting(Evidence::rule).doesNotContain("name-differs-from-exe");
        assertThat(c.verdict()).isNotEqualTo(Verdict.ABNORMAL);
    }

    @Test
    void daemonUpgradedWhileRunningIsNotAbnormal() {
        Classification c = classify(linux("nginx", "/usr/sbin/nginx").deleted(true).owner("nginx")
                .subject(inboundClients(200)));
        assertThat(c.verdict()).isNotEqualTo(Verdict.ABNORMAL);
        assertThat(c.evidence()).extracting(Evidence::points).doesNotContain(Verdict.ABNORMAL);
    }

    @Test
    void kernelThreadWithoutExecutableIsNotAbnormal() {
        Classification c = classify(kernelThread("kworker/0:2").subject(traffic().remote("10.0.0.9", 2049,
                io.bwdoctor.core.intel.AddressClass.PRIVATE)));
        assertThat(c.verdict()).isNotEqualTo(Verdict.ABNORMAL);
        assertThat(c.evidence()).extracting(Evidence::points).doesNotContain(Verdict.ABNORMAL);
    }

    @Test
    void minerNameAloneNeverDecides() {
        Classification c = classify(linux("xmrig", "/opt/xmrig/xmrig")
                .subject(traffic().remote("203.0.113.10", 443, PUBLIC)));
        assertThat(c.evidence()).extracting(Evidence::rule).contains("miner-name");
        assertThat(c.verdict()).isIn(Verdict.UNKNOWN, Verdict.BUSINESS);
    }

    // ---- look-alikes found while writing these tests (each once flagged abnormal) ----

    @Test
    void recursiveResolverReachingManyServersIsSystem() {
        Classification c = classify(linux("unbound", "/usr/sbin/unbound").owner("unbound")
                .subject(traffic().remote("203.0.113.53", 53, PUBLIC).hosts(400).ports(1).publicBytes(4_000_000)
                        .packets(20_000, 20_000).bytes(1_600_000, 2_400_000)));
        assertThat(c.verdict()).isEqualTo(Verdict.SYSTEM);
    }

    @Test
    void tarballPrometheusScrapingManyTargetsIsNotAbnormal() {
        Classification c = classify(linux("prometheus", "/usr/local/bin/prometheus").user("prometheus")
                .subject(traffic().remote("10.0.3.7", 9100, io.bwdoctor.core.intel.AddressClass.PRIVATE).hosts(300)
                        .ports(4).inbound(2).packets(30_000, 60_000).bytes(3_000_000, 60_000_000)));
        assertThat(c.verdict()).isNotEqualTo(Verdict.ABNORMAL);
    }

    @Test
    void syslogForwarderToAPrivateCollectorIsNotAFlood() {
        Classification c = classify(linux("rsyslogd", "/usr/sbin/rsyslogd").owner("rsyslog")
                .subject(traffic().remote("10.0.0.20", 514, io.bwdoctor.core.intel.AddressClass.PRIVATE)
                        .seconds(10).packets(30_000, 0).bytes(4_500_000, 0)));
        assertThat(c.verdict()).isEqualTo(Verdict.SYSTEM);
    }

    @Test
    void nodeFromNvmThatSetsItsTitleIsBusiness() {
        Classification c = classify(linux("myapp", "/home/deploy/.nvm/versions/node/v20.11.1/bin/node")
                .user("deploy").cmdline("myapp").subject(inboundClients(50)));
        assertThat(c.verdict()).isEqualTo(Verdict.BUSINESS);
    }

    @Test
    void nginxWithABlackholedUpstreamIsNotAScanner() {
        Classification c = classify(linux("nginx", "/usr/sbin/nginx").owner("nginx").user("www-data")
                .subject(inboundClients(200).unanswered(120)));
        assertThat(c.verdict()).isEqualTo(Verdict.BUSINESS);
    }

    @Test
    void subnetScanIsAScanner() {
        Classification c = classify(linux("x", "/var/tmp/x").subject(traffic()
                .remote("203.0.113.9", 22, PUBLIC).hosts(4000).unanswered(3900).packets(8000, 200).bytes(480_000, 12_000)
                .seconds(60).publicBytes(492_000)));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.kind()).isEqualTo("scanner");
    }

    // ---- must flag ----

    @Test
    void deletedMinerInHiddenTempDirSpeakingStratumIsAMiner() {
        Classification c = classify(linux("kworkerds", "/tmp/.x/kworkerds").deleted(true)
                .subject(traffic().remote("198.51.100.7", 3333, PUBLIC).stratum("login", "198.51.100.7:3333")));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.kind()).isEqualTo("miner");
        assertThat(c.confidence()).isGreaterThanOrEqualTo(0.9);
        assertThat(c.evidence()).extracting(Evidence::rule).contains("stratum-traffic", "exe-deleted-public-egress",
                "exe-in-temp", "exe-hidden-dir", "known-malware-name", "miner-port");
        assertThat(c.evidence().get(0).rule()).isEqualTo("stratum-traffic");
        assertThat(c.evidence().get(0).text()).contains("login to 198.51.100.7:3333");
    }

    @Test
    void udpFloodIsADdosBotOrScanner() {
        Classification c = classify(linux("x", "/opt/x/x").subject(ShippedRulesTest.udpFlood()));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.kind()).isIn("ddos-bot", "scanner");
        assertThat(c.evidence()).extracting(Evidence::rule).contains("small-packet-flood", "fan-out");
    }

    @Test
    void tencentAgentNameInTmpIsAbnormal() {
        Classification c = classify(linux("barad_agent", "/tmp/barad_agent")
                .subject(traffic().remote("169.254.0.23", 80, METADATA)));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.evidence()).extracting(Evidence::rule).contains("tencent-agent-name-elsewhere");
    }

    @Test
    void memfdExecutableIsAbnormal() {
        Classification c = classify(linux("x", "/memfd:x").deleted(true).owner(null).subject(
                traffic().remote("203.0.113.10", 443, PUBLIC)));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.evidence()).extracting(Evidence::rule).contains("exe-memfd");
    }

    @Test
    void bracketedCommandLineWithAnExecutableIsAbnormal() {
        Classification c = classify(linux("foo", "/usr/bin/foo").cmdline("[kworker/0:2]")
                .subject(traffic().remote("203.0.113.10", 443, PUBLIC)));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.evidence()).extracting(Evidence::rule).contains("bracketed-cmdline");
    }

    @Test
    void declaredBusinessProcessSpeakingStratumIsStillAbnormal() {
        Classification c = classify(linux("java", "/opt/app/bin/java").unit("app.service")
                .declared("unit app.service", traffic().remote("198.51.100.7", 443, PUBLIC)
                        .stratum("mining.subscribe", "198.51.100.7:443")));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.kind()).isEqualTo("miner");
        assertThat(c.evidence()).extracting(Evidence::rule).contains("declared-business", "stratum-traffic");
    }
}
