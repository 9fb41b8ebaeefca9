package io.bwdoctor.config;

import static io.bwdoctor.core.verdict.Proc.windows;

import io.bwdoctor.core.verdict.Proc;
import io.bwdoctor.core.verdict.Signature;
import io.bwdoctor.core.verdict.Subject;

/** ShippedRulesTest cases for rules-windows.toml: a process that fires each rule and look-alikes that must not. */
final class WindowsRuleCases {
    private WindowsRuleCases() {}

    interface Sink {
        void rule(String id, Subject fires, Subject... lookAlikes);
    }

    static final Signature MS = new Signature(Signature.Status.SIGNED, "Microsoft Windows", true,
            "Microsoft Corporation", null);
    static final Signature UNSIGNED = new Signature(Signature.Status.UNSIGNED, null, false, null, null);
    static final Signature INVALID = new Signature(Signature.Status.INVALID, null, false, null, null);

    static Signature signedBy(String signer) {
        return new Signature(Signature.Status.SIGNED, signer, false, null, null);
    }

    private static final String SYS32 = "C:\\Windows\\System32\\";

    static void add(Sink s) {
        // ---- system ----
        s.rule("win-kernel", windows("System", null).pid(4).subject(),
                windows("System", "C:\\Users\\Public\\System").pid(4242).subject());
        s.rule("win-core-process", windows("svchost.exe", SYS32 + "svchost.exe").signature(MS).subject(),
                windows("svchost.exe", "C:\\Users\\Public\\svchost.exe").signature(MS).subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").signature(UNSIGNED).subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").signature(signedBy("Evil Ltd")).subject());
        s.rule("win-microsoft-windows-component", windows("notepad.exe", SYS32 + "notepad.exe").signature(MS).subject(),
                windows("x.exe", "C:\\Windows\\Temp\\x.exe").signature(MS).subject(),
                windows("x.exe", "C:\\Program Files\\x\\x.exe").signature(MS).subject(),
                windows("x.exe", SYS32 + "x.exe").signature(UNSIGNED).subject());
        String defender = "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe";
        s.rule("win-defender", windows("MsMpEng.exe", defender).signature(signedBy("Microsoft Windows Publisher"))
                        .subject(),
                windows("MsMpEng.exe", defender).signature(UNSIGNED).subject(),
                windows("MsMpEng.exe", "C:\\ProgramData\\Temp\\MsMpEng.exe").signature(MS).subject());

        // ---- system names misused ----
        s.rule("win-system-name-wrong-path", windows("svchost.exe", "C:\\Users\\Public\\svchost.exe").subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").subject(),
                windows("svchost.exe", "C:\\Windows\\SysWOW64\\svchost.exe").subject(),
                windows("svchost.exe", null).subject());
        s.rule("win-explorer-wrong-path", windows("explorer.exe", "C:\\Users\\a\\AppData\\Local\\explorer.exe")
                        .subject(),
                windows("Explorer.EXE", "C:\\WINDOWS\\Explorer.EXE").subject());
        Proc lsass = windows("lsass.exe", SYS32 + "lsass.exe");
        s.rule("win-lsass-parent", windows("lsass.exe", SYS32 + "lsass.exe").parent("explorer.exe",
                        "C:\\Windows\\explorer.exe").subject(),
                lsass.parent("wininit.exe", SYS32 + "wininit.exe").subject(),
                windows("lsass.exe", SYS32 + "lsass.exe").parent(null, null).subject());
        s.rule("win-session-process-parent", windows("csrss.exe", "C:\\Windows\\Temp\\csrss.exe").subject(),
                windows("csrss.exe", SYS32 + "csrss.exe").parent(null, null).subject(),
                windows("csrss.exe", SYS32 + "csrss.exe").parent("smss.exe", SYS32 + "smss.exe").subject());
        s.rule("win-smss-parent", windows("smss.exe", SYS32 + "smss.exe").parent("explorer.exe", null).subject(),
                windows("smss.exe", SYS32 + "smss.exe").parent("System", null).subject());
        s.rule("win-svchost-parent", windows("svchost.exe", SYS32 + "svchost.exe").parent("explorer.exe", null)
                        .subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").parent("MsMpEng.exe", null).subject());
        s.rule("win-service-child-parent", windows("spoolsv.exe", SYS32 + "spoolsv.exe").parent("cmd.exe", null)
                        .subject(),
                windows("spoolsv.exe", SYS32 + "spoolsv.exe").subject());
        s.rule("win-broker-parent", windows("taskhostw.exe", SYS32 + "taskhostw.exe").parent("explorer.exe", null)
                        .subject(),
                windows("taskhostw.exe", SYS32 + "taskhostw.exe").parent("svchost.exe", null).subject());
        s.rule("win-svchost-without-group", windows("svchost.exe", "C:\\Users\\Public\\svchost.exe").subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").cmdline(SYS32 + "svchost.exe", "-k", "netsvcs", "-p")
                        .subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").cmdline().subject());
        s.rule("win-system-process-user", windows("lsass.exe", SYS32 + "lsass.exe").user("WIN-01\\Administrator")
                        .subject(),
                windows("lsass.exe", SYS32 + "lsass.exe").subject(),
                windows("lsass.exe", SYS32 + "lsass.exe").user("AUTORITE NT\\Système").subject(),
                windows("lsass.exe", SYS32 + "lsass.exe").user(null).subject());
        s.rule("win-typosquat-name", windows("scvhost.exe", "C:\\Windows\\scvhost.exe").subject(),
                windows("svchost.exe", SYS32 + "svchost.exe").subject());
        s.rule("win-typosquat-unsigned", windows("scvhost.exe", "C:\\Windows\\scvhost.exe").signature(UNSIGNED)
                        .subject(),
                windows("scvhost.exe", "C:\\Windows\\scvhost.exe").subject(), // signature not known
                windows("svchost.exe", SYS32 + "svchost.exe").signature(UNSIGNED).subject(),
                windows("service.exe", "C:\\Program Files\\Acme\\service.exe").signature(UNSIGNED).subject());

        // ---- signatures and locations ----
        s.rule("win-signature-invalid", windows("amazon-ssm-agent.exe",
                        "C:\\Program Files\\Amazon\\SSM\\amazon-ssm-agent.exe").signature(INVALID).subject(),
                windows("a.exe", "C:\\a.exe").signature(UNSIGNED).subject(),
                windows("a.exe", "C:\\a.exe").signature(MS).subject());
        s.rule("win-claims-microsoft-unsigned", windows("WindowsUpdate.exe", "C:\\Users\\a\\AppData\\Roaming\\w.exe")
                        .signature(new Signature(Signature.Status.UNSIGNED, null, false, "Microsoft Corporation", null))
                        .subject(),
                windows("notepad.exe", SYS32 + "notepad.exe").signature(MS).subject(),
                windows("a.exe", "C:\\a.exe").signature(new Signature(Signature.Status.UNSIGNED, null, false, "Acme",
                        null)).subject());
        s.rule("win-unsigned-suspicious-dir", windows("a.exe", "C:\\Users\\Public\\a.exe").signature(UNSIGNED)
                        .subject(),
                windows("a.exe", "C:\\Users\\Public\\a.exe").signature(MS).subject(),
                windows("a.exe", "C:\\Program Files\\Acme\\a.exe").signature(UNSIGNED).subject(),
                windows("a.exe", "C:\\Users\\Publication\\a.exe").signature(UNSIGNED).subject());
        s.rule("win-unsigned-user-writable", windows("x.exe", "C:\\Users\\bob\\AppData\\Roaming\\x.exe")
                        .signature(UNSIGNED).subject(),
                windows("x.exe", "C:\\Users\\bob\\AppData\\Roaming\\x.exe").signature(MS).subject(),
                windows("x.exe", "C:\\Program Files\\x\\x.exe").signature(UNSIGNED).subject());

        // ---- cloud agents ----
        String tat = "C:\\Program Files\\QCloud\\tat_agent\\tat_agent.exe";
        Signature tencent = signedBy("Tencent Technology (Shenzhen) Company Limited");
        s.rule("win-tencent-agent", windows("tat_agent.exe", tat).signature(tencent).subject(),
                windows("tat_agent.exe", tat).signature(UNSIGNED).subject(),
                windows("tat_agent.exe", tat).signature(signedBy("Evil Ltd")).subject(),
                windows("tat_agent.exe", "C:\\Temp\\tat_agent.exe").signature(tencent).subject());
        String assist = "C:\\ProgramData\\aliyun\\assist\\2.1.3.857\\aliyun_assist_service.exe";
        Signature alibaba = signedBy("Alibaba (China) Network Technology Co.,Ltd.");
        s.rule("win-alibaba-agent", windows("aliyun_assist_service.exe", assist).signature(alibaba).subject(),
                windows("aliyun_assist_service.exe", "C:\\ProgramData\\Temp\\aliyun_assist_service.exe")
                        .signature(alibaba).subject(),
                windows("aliyun_assist_service.exe", assist).signature(UNSIGNED).subject());
        String ssm = "C:\\Program Files\\Amazon\\SSM\\amazon-ssm-agent.exe";
        s.rule("win-aws-agent", windows("amazon-ssm-agent.exe", ssm).signature(signedBy("Amazon.com Services LLC"))
                        .subject(),
                windows("amazon-ssm-agent.exe", ssm).signature(INVALID).subject(),
                windows("amazon-ssm-agent.exe", "C:\\Users\\Public\\amazon-ssm-agent.exe")
                        .signature(signedBy("Amazon.com Services LLC")).subject());
        String azure = "C:\\WindowsAzure\\GuestAgent_2.7.41491.1102_2024-05-10_050421\\WindowsAzureGuestAgent.exe";
        s.rule("win-azure-agent", windows("WindowsAzureGuestAgent.exe", azure)
                        .signature(signedBy("Microsoft Corporation")).subject(),
                windows("WindowsAzureGuestAgent.exe", azure).signature(UNSIGNED).subject(),
                windows("WindowsAzureGuestAgent.exe", azure).signature(signedBy("Contoso")).subject());
        String gce = "C:\\Program Files\\Google\\Compute Engine\\agent\\GCEWindowsAgent.exe";
        s.rule("win-gcp-agent", windows("GCEWindowsAgent.exe", gce).signature(signedBy("Google LLC")).subject(),
                windows("GCEWindowsAgent.exe", gce).signature(UNSIGNED).subject(),
                windows("GCEWindowsAgent.exe", "C:\\Program Files\\Googles\\GCEWindowsAgent.exe")
                        .signature(signedBy("Google LLC")).subject());
        String hss = "C:\\Program Files\\HostGuard\\HostGuard.exe";
        s.rule("win-huawei-agent", windows("HostGuard.exe", hss).signature(signedBy("Huawei Technologies Co., Ltd."))
                        .subject(),
                windows("HostGuard.exe", hss).signature(UNSIGNED).subject());
        s.rule("win-agent-name-elsewhere", windows("aliyun_assist_service.exe",
                        "C:\\ProgramData\\Temp\\aliyun_assist_service.exe").subject(),
                windows("aliyun_assist_service.exe", assist).subject(),
                windows("amazon-ssm-agent.exe", ssm).subject(),
                windows("aliyun_assist_service.exe", null).subject());
        s.rule("win-ssm-agent-hijack", windows("amazon-ssm-agent.exe", ssm)
                        .cmdline(ssm, "-register", "-code", "abc", "-id", "def", "-region", "us-east-1").subject(),
                windows("amazon-ssm-agent.exe", ssm).subject());

        // ---- business ----
        s.rule("win-installed-application", windows("nginx.exe", "C:\\Program Files\\nginx\\nginx.exe").subject(),
                windows("amazon-ssm-agent.exe", ssm).subject(),
                windows("x.exe", "C:\\Users\\a\\x.exe").subject());
        String code = "C:\\Users\\a\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe";
        s.rule("win-signed-application", windows("Code.exe", code).signature(signedBy("Microsoft Corporation"))
                        .subject(),
                windows("notepad.exe", SYS32 + "notepad.exe").signature(MS).subject(),
                windows("Code.exe", code).signature(UNSIGNED).subject(),
                windows("amazon-ssm-agent.exe", ssm).signature(signedBy("Amazon.com Services LLC")).subject());
    }
}
