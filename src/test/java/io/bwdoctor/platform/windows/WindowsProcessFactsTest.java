package io.bwdoctor.platform.windows;

import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.Signature;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From recorded Win32 buffers and the recorded process list to the classifier's ProcessFacts. */
class WindowsProcessFactsTest {
    private static final long BASE_CMDLINE = 0x000001D2C3A40000L;
    private static final long BASE_SERVICES = 0x000001D2C3B50000L;

    private static Map<Integer, ProcessFacts> facts() {
        return WindowsProcessFacts.of(ProcessFixture.processes()).stream()
                .collect(Collectors.toMap(ProcessFacts::pid, Function.identity()));
    }

    @Test
    void parentsAreLiveProcessesThatStartedBeforeTheChild() {
        Map<Integer, ProcessFacts> f = facts();
        assertThat(f.get(652).parentName()).isEqualTo("wininit.exe");
        assertThat(f.get(1108).parentName()).isEqualTo("services.exe");
        assertThat(f.get(1108).parentExe()).isEqualTo("C:\\Windows\\System32\\services.exe");
        assertThat(f.get(4320).parentName()).as("the masquerading lsass").isEqualTo("explorer.exe");
        assertThat(f.get(512).parentName()).as("smss instance exited").isNull();
        // PID 504 was csrss's/winlogon's smss instance; it now belongs to a notepad.exe started hours later
        assertThat(f.get(520).ppid()).isEqualTo(504);
        assertThat(f.get(520).parentName()).isNull();
        assertThat(f.get(600).parentName()).isNull();
        assertThat(f.get(4).parentName()).isNull();
        assertThat(f.get(320).parentName()).isEqualTo("System");
    }

    @Test
    void factsCarryPlatformServiceUserCommandLineAndSignature() {
        Map<Integer, ProcessFacts> f = facts();
        ProcessFacts rdp = f.get(1108);
        assertThat(rdp.platform()).isEqualTo(Platform.WINDOWS);
        assertThat(rdp.unit()).isEqualTo("TermService");
        assertThat(rdp.user()).isEqualTo("NT AUTHORITY\\NETWORK SERVICE");
        assertThat(rdp.cmdline()).containsExactly("C:\\Windows\\system32\\svchost.exe", "-k", "termsvcs", "-s",
                "TermService");
        assertThat(rdp.signature()).isEqualTo(new Signature(Signature.Status.SIGNED, "Microsoft Windows", true,
                "Microsoft Corporation", "Host Process for Windows Services"));
        assertThat(f.get(784).unit()).isEqualTo("BrokerInfrastructure,DcomLaunch,PlugPlay,Power,SystemEventsBroker");

        Signature lsass = f.get(672).signature();
        assertThat(lsass.status()).isEqualTo(Signature.Status.SIGNED);
        assertThat(lsass.catalog()).isFalse();

        Signature fake = f.get(4260).signature();
        assertThat(fake.status()).as("claims Microsoft, is unsigned").isEqualTo(Signature.Status.UNSIGNED);
        assertThat(fake.company()).isEqualTo("Microsoft Corporation");
        assertThat(fake.signer()).isNull();
        assertThat(f.get(4560).signature().status()).as("TRUST_E_BAD_DIGEST").isEqualTo(Signature.Status.INVALID);

        assertThat(f.get(4440).cmdline()).contains("-o", "stratum+tcp://pool.example.net:3333", "--donate-level");
        assertThat(f.get(4).exe()).isNull();
        assertThat(f.get(4).signature()).isNull();
    }

    @Test
    void readsARecordedProcessEntry() {
        Win32Decoders.ProcessEntry e = Win32Decoders.processEntry(
                MemorySegment.ofArray(Fixtures.bytes("processentry-svchost.bin")));
        assertThat(e).isEqualTo(new Win32Decoders.ProcessEntry(1108, 652, "svchost.exe"));
        assertThatThrownBy(() -> Win32Decoders.processEntry(MemorySegment.ofArray(new byte[100])))
                .hasMessageContaining("568");
    }

    @Test
    void readsARecordedCommandLineAndRefusesPointersOutsideTheBuffer() {
        byte[] recorded = Fixtures.bytes("cmdline-miner.bin");
        String line = Win32Decoders.commandLine(MemorySegment.ofArray(recorded), BASE_CMDLINE);
        WindowsProcess miner = ProcessFixture.processes().stream().filter(p -> p.pid() == 4440).findFirst().orElseThrow();
        assertThat(line).isEqualTo(miner.cmdline());
        assertThatThrownBy(() -> Win32Decoders.commandLine(MemorySegment.ofArray(recorded), BASE_CMDLINE + 64))
                .hasMessageContaining("outside");
        byte[] truncated = java.util.Arrays.copyOf(recorded, 100);
        assertThatThrownBy(() -> Win32Decoders.commandLine(MemorySegment.ofArray(truncated), BASE_CMDLINE))
                .hasMessageContaining("outside");
    }

    @Test
    void readsRecordedServiceEnumeration() {
        byte[] recorded = Fixtures.bytes("services.bin");
        Map<Integer, List<String>> byPid = Win32Decoders.servicesByPid(MemorySegment.ofArray(recorded), BASE_SERVICES, 27);
        for (WindowsProcess p : ProcessFixture.processes()) {
            assertThat(byPid.getOrDefault(p.pid(), List.of())).as("services of " + p.pid()).isEqualTo(p.services());
        }
        assertThat(byPid.values().stream().flatMap(List::stream)).doesNotContain("TrustedInstaller");
        assertThatThrownBy(() -> Win32Decoders.servicesByPid(MemorySegment.ofArray(recorded), BASE_SERVICES, 1000))
                .hasMessageContaining("do not fit");
        assertThatThrownBy(() -> Win32Decoders.servicesByPid(MemorySegment.ofArray(recorded), BASE_SERVICES + 4096, 27))
                .hasMessageContaining("outside");
    }

    @Test
    void fileTimesGuidsAndMemberTags() {
        // 2026-11-30T06:00:01Z in FILETIME ticks
        long ticks = (Instant.parse("2026-11-30T06:00:01Z").getEpochSecond() * 10_000_000L) + 116_444_736_000_000_000L + 5;
        assertThat(Win32Decoders.fileTime(ticks)).isEqualTo(Instant.parse("2026-11-30T06:00:01.0000005Z"));
        assertThat(Win32Decoders.fileTime(0)).isNull();
        // WINTRUST_ACTION_GENERIC_VERIFY_V2 {00AAC56B-CD44-11d0-8CC2-00C04FC295EE} as it lies in memory
        assertThat(Win32Decoders.guid(Authenticode.WINTRUST_ACTION_GENERIC_VERIFY_V2)).containsExactly(
                0x6B, 0xC5, 0xAA, 0x00, 0x44, 0xCD, 0xD0, 0x11, 0x8C, 0xC2, 0x00, 0xC0, 0x4F, 0xC2, 0x95, 0xEE);
        assertThat(Win32Decoders.memberTag(new byte[]{0x0a, (byte) 0xff, 0x10})).isEqualTo("0AFF10");
        byte[] translation = {0x09, 0x04, (byte) 0xb0, 0x04, 0x04, 0x08, (byte) 0xa8, 0x03}; // 0409/04b0, 0804/03a8
        assertThat(Win32Decoders.versionQueries(MemorySegment.ofArray(translation), "CompanyName")).startsWith(
                "\\StringFileInfo\\040904b0\\CompanyName", "\\StringFileInfo\\080403a8\\CompanyName",
                "\\StringFileInfo\\040904e4\\CompanyName");
    }
}
