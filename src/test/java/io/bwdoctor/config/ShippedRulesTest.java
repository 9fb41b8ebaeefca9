package io.bwdoctor.config;

import static io.bwdoctor.core.intel.AddressClass.LINK_LOCAL;
import static io.bwdoctor.core.intel.AddressClass.METADATA;
import static io.bwdoctor.core.intel.AddressClass.PRIVATE;
import static io.bwdoctor.core.intel.AddressClass.PUBLIC;
import static io.bwdoctor.core.verdict.Net.traffic;
import static io.bwdoctor.core.verdict.Proc.kernelThread;
import static io.bwdoctor.core.verdict.Proc.linux;
import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Net;
import io.bwdoctor.core.verdict.Proc;
import io.bwdoctor.core.verdict.Rule;
import io.bwdoctor.core.verdict.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shipped rule, one by one: a process that fires it (its evidence text fully filled in) and look-alikes that
 * must not. A rule added to rules.toml without a case here fails {@link #everyShippedRuleHasACase()}.
 */
class ShippedRulesTest {
    private static final List<Rule> SHIPPED = Rules.shipped();

    /** A process that should fire the rule and the look-alikes that must not. */
    record Case(Subject fires, List<Subject> lookAlikes) {}

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static void rule(String id, Subject fires, Subject... lookAlikes) {
        if (CASES.put(id, new Case(fires, List.of(lookAlikes))) != null) {
            throw new IllegalStateException("two cases for " + id);
        }
    }

    private static Net toPublic() {
        return traffic().remote("203.0.113.10", 443, PUBLIC);
    }

    static {
        // ---- identity ----
        Proc deletedUnowned = linux("updater", "/usr/local/bin/updater").deleted(true);
        Proc upgradedDaemon = linux("nginx", "/usr/sbin/nginx").deleted(true).owner("nginx");
        rule("exe-deleted", deletedUnowned.subject(),
                upgradedDaemon.subject(), // upgraded while running: the path is a package's
                linux("updater", "/usr/local/bin/updater").deleted(true).owner(null).subject(), // no database
                linux("updater", "/usr/local/bin/updater").subject());
        rule("exe-deleted-public-egress", deletedUnowned.subject(toPublic()),
                deletedUnowned.subject(traffic().remote("10.0.0.5", 5432, PRIVATE)),
                upgradedDaemon.subject(toPublic()));
        rule("exe-memfd", linux("payload", "/memfd:payload").deleted(true).owner(null).subject(),
                linux("runc", "/memfd:runc_cloned:/proc/self/exe").deleted(true).owner(null).subject(),
                linux("helper", "/usr/lib/memfd:helper").subject());
        rule("exe-in-temp", linux("x", "/tmp/x").subject(),
                linux("x", "/tmpfoo/x").subject(),
                linux("x", "/opt/tmp/x").subject(),
                linux("x", "/var/tmpx/x").subject());
        rule("exe-hidden-dir", linux("kw", "/tmp/.x/kw").subject(),
                linux("server", "/opt/app/bin/server").subject(),
                linux("tool", "/usr/share/app/.bin/tool").owner("app").subject(),
                linux("node", "/home/deploy/.nvm/versions/node/v20.11.1/bin/node").subject(),
                linux("kubectl", "/root/.local/bin/kubectl").subject());
        rule("kernel-thread-name", linux("kworker/0:2", "/tmp/kw").subject(),
                kernelThread("kworker/0:2").subject(),
                kernelThread("kswapd0").subject(toPublic()),
                linux("watchdog", "/usr/sbin/watchdog").owner("watchdog").subject());
        rule("bracketed-cmdline", linux("foo", "/usr/bin/foo").cmdline("[kworker/0:2]").subject(),
                kernelThread("kworker/0:2").subject(),
                linux("foo", "/usr/bin/foo").cmdline("/usr/bin/foo", "[x]").subject());
        rule("known-malware-name", linux("kinsing", "/tmp/kinsing").subject(),
                kernelThread("kdevtmpfs").subject(),
                linux("dotnet", "/usr/lib/dotnet/dotnet").owner("dotnet-host").subject());
        rule("miner-name", linux("xmrig", "/opt/xmrig/xmrig").subject(),
                linux("monerod", "/opt/monero/monerod").subject(),
                linux("minerva", "/opt/minerva/bin/minerva").subject());
        rule("proxyware-name", linux("honeygain", "/opt/honeygain/honeygain").subject(),
                linux("mysqld", "/usr/sbin/mysqld").owner("mysql-server-8.0").subject(),
                linux("node", "/usr/bin/node").owner("nodejs").subject());
        rule("system-daemon-name-unowned", linux("sshd", "/var/tmp/sshd").subject(),
                linux("sshd", "/usr/sbin/sshd").owner("openssh-server").subject(),
                linux("sshd", "/usr/sbin/sshd").owner(null).subject());
        rule("name-differs-from-exe", linux("httpd", "/opt/x/bin/payload").subject(),
                linux("python3", "/usr/bin/python3.12").owner("python3.12-minimal").subject(),
                linux("python3", "/opt/conda/bin/python3.12").subject(),
                linux("very-long-binar", "/opt/app/bin/very-long-binary-name").subject(),
                linux("x", "/memfd:x").deleted(true).owner(null).subject());
        rule("never-networked-binary", linux("sleep", "/usr/bin/sleep").owner("coreutils").subject(toPublic()),
                linux("sleep", "/usr/bin/sleep").owner("coreutils").subject(traffic().remote("10.0.0.5", 22, PRIVATE)),
                linux("sleepd", "/usr/sbin/sleepd").owner("sleepd").subject(toPublic()));

        // ---- behaviour ----
        rule("stratum-traffic", linux("x", "/opt/x/x")
                        .subject(traffic().remote("198.51.100.7", 3333, PUBLIC).stratum("login", "198.51.100.7:3333")),
                linux("x", "/opt/x/x").subject(traffic().remote("198.51.100.7", 3333, PUBLIC)));
        rule("miner-cmdline", linux("x", "/opt/x/x")
                        .cmdline("/opt/x/x", "-o", "stratum+tcp://pool.example:3333", "--donate-level=1").subject(),
                linux("python3", "/usr/bin/python3.12").cmdline("python3", "/opt/stratum/server.py").subject(),
                linux("curl", "/usr/bin/curl").cmdline("curl", "https://docs.example/stratum-protocol").subject());
        rule("miner-port", linux("x", "/opt/x/x").subject(traffic().remote("198.51.100.7", 3333, PUBLIC)),
                linux("x", "/opt/x/x").subject(traffic().remote("10.0.0.7", 3333, PRIVATE)),
                linux("x", "/opt/x/x").subject(traffic().remote("198.51.100.7", 443, PUBLIC)),
                linux("x", "/opt/x/x").subject(traffic().remote("198.51.100.7", null, PUBLIC)));
        rule("small-packet-flood", linux("x", "/opt/x/x").subject(udpFlood()),
                linux("named", "/usr/sbin/named").owner("bind9").subject(dnsServer()),
                linux("rsyslogd", "/usr/sbin/rsyslogd").owner("rsyslog").subject(traffic() // to a private collector
                        .remote("10.0.0.20", 514, PRIVATE).seconds(10).packets(30_000, 0).bytes(4_500_000, 0)),
                linux("rsync", "/usr/bin/rsync").owner("rsync").subject(traffic().seconds(10)
                        .packets(199_800, 200).bytes(279_720_000, 16_000)), // bulk upload: big packets
                linux("x", "/opt/x/x").subject(traffic().seconds(0).packets(199_800, 200).bytes(15_984_016, 15_984)));
        rule("fan-out", linux("x", "/opt/x/x").subject(traffic().hosts(1000).inbound(0)),
                linux("nginx", "/usr/sbin/nginx").owner("nginx").subject(traffic().hosts(1000).inbound(1000)),
                linux("x", "/opt/x/x").subject(traffic().hosts(40)));
        rule("port-scan", linux("x", "/opt/x/x").subject(traffic().ports(150)),
                linux("x", "/opt/x/x").subject(traffic().ports(3)),
                linux("x", "/opt/x/x").subject(traffic().ports(150).inbound(200)));
        rule("unanswered-syns", linux("x", "/opt/x/x").subject(traffic().unanswered(80).hosts(300)),
                linux("x", "/opt/x/x").subject(traffic().unanswered(3).hosts(300)),
                // nginx whose upstream is black-holed: one dead backend, many clients
                linux("nginx", "/usr/sbin/nginx").owner("nginx").subject(traffic().unanswered(120).hosts(201)
                        .inbound(200)),
                // a worker retrying its dead database
                linux("worker", "/opt/app/bin/worker").subject(traffic().unanswered(80).hosts(3)));
        rule("threat-listed-remote",
                linux("x", "/opt/x/x").subject(traffic().remote("203.0.113.50", 443, PUBLIC, List.of("firehol"))),
                linux("x", "/opt/x/x").subject(toPublic()));
        rule("foreign-spread", linux("x", "/opt/x/x").subject(traffic().publicBytes(1000).foreign(900, 6)),
                linux("x", "/opt/x/x").subject(traffic().publicBytes(1000).foreign(900, 2)), // a CDN abroad
                linux("x", "/opt/x/x").subject(traffic().publicBytes(1000).foreign(300, 8)),
                linux("x", "/opt/x/x").subject(traffic().publicBytes(0).foreign(0, 6)));
        rule("container-metadata", linux("app", "/app/server").container("4f3c2a")
                        .subject(traffic().remote("169.254.169.254", 80, METADATA)),
                linux("cloud-init", "/usr/bin/python3.12").owner("python3.12-minimal")
                        .subject(traffic().remote("169.254.169.254", 80, METADATA)),
                linux("app", "/app/server").container("4f3c2a").subject(toPublic()));

        // ---- cloud agents ----
        rule("tencent-agent", linux("barad_agent", "/usr/local/qcloud/monitor/barad/bin/barad_agent").subject(),
                linux("barad_agent", "/usr/local/qcloudx/barad_agent").subject(),
                linux("barad_agent", "/tmp/barad_agent").subject());
        rule("tencent-agent-name-elsewhere", linux("barad_agent", "/tmp/barad_agent").subject(),
                linux("barad_agent", "/usr/local/qcloud/monitor/barad/bin/barad_agent").subject(),
                linux("YDService", "/usr/local/qcloud/YunJing/YDEyes/YDService").subject(),
                linux("barad_agent", null).deleted(null).subject());
        rule("alibaba-agent", linux("AliYunDun", "/usr/local/aegis/aegis_client/aegis_11_91/AliYunDun").subject(),
                linux("AliYunDun", "/usr/local/aegisx/AliYunDun").subject());
        rule("alibaba-agent-name-elsewhere", linux("AliYunDun", "/tmp/AliYunDun").subject(),
                linux("AliYunDun", "/usr/local/aegis/aegis_client/aegis_11_91/AliYunDun").subject(),
                linux("aliyun-service", "/usr/sbin/aliyun-service").subject());
        rule("huawei-agent", linux("hostguard", "/usr/local/hostguard/bin/hostguard").subject(),
                linux("hostguard", "/usr/local/hostguardian/bin/hostguard").subject());
        rule("huawei-agent-name-elsewhere", linux("hostguard", "/tmp/hostguard").subject(),
                linux("hostguard", "/usr/local/hostguard/bin/hostguard").subject(),
                // Debian's Gemini browser shares a Huawei agent's name: a package's binary is no masquerade
                linux("telescope", "/usr/bin/telescope").owner("telescope").subject(toPublic()));
        rule("aws-agent", linux("amazon-ssm-agen", "/usr/bin/amazon-ssm-agent").owner("amazon-ssm-agent").subject(),
                linux("amazon-ssm-agen", "/usr/local/bin/amazon-ssm-agent").subject(),
                linux("amazon-ssm-agen", "/tmp/amazon-ssm-agent").subject());
        rule("aws-agent-name-elsewhere", linux("amazon-ssm-agen", "/tmp/amazon-ssm-agent").subject(),
                linux("amazon-ssm-agen", "/usr/bin/amazon-ssm-agent").owner("amazon-ssm-agent").subject(),
                linux("amazon-ssm-agen", "/snap/amazon-ssm-agent/7628/amazon-ssm-agent").subject());
        rule("ssm-agent-hijack", linux("amazon-ssm-agen", "/usr/bin/amazon-ssm-agent").owner("amazon-ssm-agent")
                        .cmdline("amazon-ssm-agent", "-register", "-code", "c0de", "-id", "i-1", "-region", "eu-west-1")
                        .subject(),
                linux("amazon-ssm-agen", "/usr/bin/amazon-ssm-agent").owner("amazon-ssm-agent").subject());
        Proc waagent = linux("python3", "/usr/bin/python3.10").owner("python3.10-minimal")
                .cmdline("python3", "-u", "/usr/sbin/waagent", "-daemon");
        rule("azure-agent", waagent.subject(),
                linux("python3", "/opt/conda/bin/python3.10").cmdline("python3", "-u", "/usr/sbin/waagent").subject(),
                linux("python3", "/usr/bin/python3.10").owner("python3.10-minimal")
                        .cmdline("python3", "/srv/app/main.py").subject());
        rule("azure-monitor-agent", linux("mdsd", "/opt/microsoft/azuremonitoragent/bin/mdsd").subject(),
                linux("mdsd", "/opt/microsoftx/mdsd").subject());
        rule("gcp-agent", linux("google_guest_ag", "/usr/bin/google_guest_agent").owner("google-guest-agent").subject(),
                linux("google_guest_ag", "/usr/local/bin/google_guest_agent").subject());
        rule("gcp-agent-name-elsewhere", linux("google_guest_ag", "/tmp/google_guest_agent").subject(),
                linux("google_guest_ag", "/usr/bin/google_guest_agent").owner("google-guest-agent").subject());
        rule("oracle-agent", linux("agent", "/usr/libexec/oracle-cloud-agent/agent").subject(),
                linux("agent", "/opt/oracle-cloud-agent/agent").subject());
        rule("digitalocean-agent", linux("droplet-agent", "/opt/digitalocean/bin/droplet-agent").subject(),
                linux("droplet-agent", "/tmp/droplet-agent").subject());
        rule("talks-to-provider-service",
                linux("barad_agent", "/usr/local/qcloud/monitor/barad/bin/barad_agent")
                        .subject(traffic().remote("169.254.0.23", 80, METADATA)),
                linux("avahi-daemon", "/usr/sbin/avahi-daemon").subject(traffic().remote("169.254.10.1", 5353, LINK_LOCAL)),
                linux("x", "/opt/x/x").subject(toPublic()));

        // ---- system and business ----
        Proc sshd = linux("sshd", "/usr/sbin/sshd").owner("openssh-server");
        rule("system-network-daemon", sshd.subject(),
                linux("sshd", "/usr/sbin/sshd").subject(),
                linux("sshd", "/usr/sbin/sshd").owner(null).subject());
        rule("declared-business", linux("java", "/usr/lib/jvm/bin/java").declared("name java", traffic()),
                linux("java", "/usr/lib/jvm/bin/java").subject());
        rule("package-owned-application", linux("nginx", "/usr/sbin/nginx").owner("nginx").subject(),
                sshd.subject(),
                linux("nginx", "/usr/sbin/nginx").subject(),
                linux("nginx", "/usr/sbin/nginx").owner(null).subject());
        rule("serves-clients", linux("x", "/opt/x/x").subject(traffic().inbound(50)),
                linux("x", "/opt/x/x").subject(traffic().inbound(2)));
        rule("application-directory", linux("server", "/opt/app/bin/server").subject(),
                linux("amazon-cloudwat", "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent").subject(),
                linux("optimus", "/optimus/bin/optimus").subject(),
                linux("x", "/usr/bin/x").subject());
        rule("containerised-workload", linux("app", "/app/server").container("4f3c2a").subject(),
                linux("app", "/app/server").subject());
        WindowsRuleCases.add(ShippedRulesTest::rule);
    }

    /** 20 kpps of 80-byte packets for 10 s, 1000x more sent than received, to 1000 hosts, serving nobody. */
    static Net udpFlood() {
        return traffic().seconds(10).packets(199_800, 200).bytes(15_984_016, 15_984).hosts(1000).publicBytes(16_000_000);
    }

    /** An authoritative DNS server: 5 kpps of 90-byte packets, answers about as big as the questions. */
    static Net dnsServer() {
        return traffic().seconds(10).packets(20_000, 30_000).bytes(2_700_000, 1_800_000).hosts(400).inbound(30_000);
    }

    @Test
    void everyShippedRuleHasACase() {
        List<String> shipped = SHIPPED.stream().map(Rule::id).toList();
        assertThat(shipped).doesNotHaveDuplicates();
        assertThat(CASES.keySet()).as("rule ids with a case here").containsExactlyInAnyOrderElementsOf(shipped);
    }

    @TestFactory
    Stream<DynamicTest> eachRuleFiresOnItsCase() {
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Rule rule = rule(e.getKey());
            Evidence evidence = rule.apply(e.getValue().fires());
            assertThat(evidence).as("%s fires", rule.id()).isNotNull();
            assertThat(evidence.rule()).isEqualTo(rule.id());
            assertThat(evidence.text()).as("text of %s", rule.id()).doesNotContain("{", "}", "null").isNotBlank();
            assertThat(evidence.source()).as("source of %s", rule.id()).doesNotContain("{", "}");
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachRuleSparesItsLookAlikes() {
        List<DynamicTest> tests = new ArrayList<>();
        CASES.forEach((id, c) -> {
            for (int i = 0; i < c.lookAlikes().size(); i++) {
                Subject s = c.lookAlikes().get(i);
                tests.add(DynamicTest.dynamicTest(id + " spares " + s.process().name() + " " + s.process().exe(),
                        () -> assertThat(rule(id).apply(s)).as("%s on %s", id, s.process()).isNull()));
            }
        });
        return tests.stream();
    }

    @Test
    void hiddenDirectoriesInHomesStillCountOutsideKnownToolchains() {
        assertThat(rule("exe-hidden-dir").apply(linux("upd", "/home/ubuntu/.configrc/a/upd").subject())).isNotNull();
        assertThat(rule("exe-hidden-dir").apply(linux("x", "/root/.nvmx/x").subject())).isNotNull();
    }

    private static Rule rule(String id) {
        return SHIPPED.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no shipped rule " + id));
    }
}
