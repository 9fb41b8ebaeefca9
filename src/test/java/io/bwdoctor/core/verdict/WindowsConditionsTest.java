package io.bwdoctor.core.verdict;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conditions added for the Windows rules: pid, company, signature_status, name_resembles, cmdline_lacks. */
class WindowsConditionsTest {
    private static Subject windows(String name, String exe, List<String> cmdline, Signature signature, int pid) {
        return new Subject(new ProcessFacts(Platform.WINDOWS, pid, 1, name, exe, null, cmdline, null, null, null, null,
                null, null, signature), TrafficFacts.NONE, null);
    }

    private static Map<String, String> test(String key, Object value, Subject s) {
        return Conditions.of(key, value).test(s);
    }

    @Test
    void oneEditApartCountsSwapsInsertionsDeletionsAndSubstitutions() {
        assertThat(Conditions.oneEditApart("scvhost.exe", "svchost.exe")).isTrue();   // swap
        assertThat(Conditions.oneEditApart("svhost.exe", "svchost.exe")).isTrue();    // deletion
        assertThat(Conditions.oneEditApart("svchosts.exe", "svchost.exe")).isTrue();  // insertion
        assertThat(Conditions.oneEditApart("svch0st.exe", "svchost.exe")).isTrue();   // substitution
        assertThat(Conditions.oneEditApart("svchost.exe", "svchost.exe")).isFalse();  // equal
        assertThat(Conditions.oneEditApart("lsasrv.exe", "lsass.exe")).isFalse();     // two edits
        assertThat(Conditions.oneEditApart("iexplore.exe", "explorer.exe")).isFalse();
        assertThat(Conditions.oneEditApart("a", "")).isTrue();
        assertThat(Conditions.oneEditApart("ab", "ba")).isTrue();
        assertThat(Conditions.oneEditApart("abc", "cba")).isFalse();
    }

    @Test
    void nameResemblesIgnoresCaseOnWindowsButNeverMatchesTheNameItself() {
        Subject fake = windows("ScvHost.EXE", null, List.of(), null, 10);
        assertThat(test("name_resembles", List.of("svchost.exe"), fake)).containsEntry("resembles", "svchost.exe");
        Subject real = windows("SVCHOST.exe", null, List.of(), null, 10);
        assertThat(test("name_resembles", List.of("svchost.exe"), real)).isNull();
    }

    @Test
    void signatureStatusAndCompany() {
        Signature unsigned = new Signature(Signature.Status.UNSIGNED, null, false, "Microsoft Corporation", "x");
        Subject s = windows("a.exe", "C:\\a.exe", List.of(), unsigned, 10);
        assertThat(test("signature_status", List.of("unsigned", "invalid"), s)).containsEntry("signature", "unsigned");
        assertThat(test("signature_status", "signed", s)).isNull();
        assertThat(test("company", List.of("microsoft*"), s)).containsEntry("company", "Microsoft Corporation");
        assertThat(test("signature_status", "unsigned", windows("a.exe", null, List.of(), null, 1))).isNull();
        assertThatThrownBy(() -> Conditions.of("signature_status", "trusted"))
                .hasMessageContaining("unknown signature status 'trusted'");
    }

    @Test
    void pidAndCmdlineLacks() {
        Subject system = windows("System", null, List.of(), null, 4);
        assertThat(test("pid", List.of(4L), system)).containsEntry("pid", "4");
        assertThat(test("pid", List.of(8L), system)).isNull();
        assertThatThrownBy(() -> Conditions.of("pid", List.of("four"))).hasMessageContaining("whole number");
        Subject noGroup = windows("svchost.exe", null, List.of("C:\\Users\\Public\\svchost.exe"), null, 9);
        assertThat(test("cmdline_lacks", List.of("-k"), noGroup)).containsKey("cmdline");
        Subject grouped = windows("svchost.exe", null, List.of("svchost.exe", "-K", "netsvcs"), null, 9);
        assertThat(test("cmdline_lacks", List.of("-k"), grouped)).isNull();
        assertThat(test("cmdline_lacks", List.of("-k"), windows("svchost.exe", null, List.of(), null, 9)))
                .as("unknown command line never convicts").isNull();
    }
}
