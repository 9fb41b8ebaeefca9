package io.bwdoctor.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.diagnose.Diagnosis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    @TempDir
    Path root;

    @Test
    void findsCronSystemdAndInitEntriesThatStartTheExecutable() throws Exception {
        write("etc/cron.d/sysupdate", "# comment /tmp/.x/kworkerds\n*/5 * * * * root /tmp/.x/kworkerds >/dev/null 2>&1\n");
        write("var/spool/cron/crontabs/www-data", "@reboot /tmp/.x/kworkerds\n");
        write("etc/systemd/system/kworker.service", "[Service]\nExecStart=/tmp/.x/kworkerds -o pool\n");
        write("etc/rc.local", "#!/bin/sh\nnohup kworkerds &\n");
        write("etc/cron.d/other", "0 3 * * * root /tmp/.x/kworkerdsx\n"); // a different program
        write("etc/crontab", "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n");
        List<Diagnosis.Finding> found = new Persistence(root).findingsFor(42, "/tmp/.x/kworkerds", "kworkerds");
        assertThat(found).extracting(Diagnosis.Finding::path).containsExactlyInAnyOrder("/etc/cron.d/sysupdate",
                "/var/spool/cron/crontabs/www-data", "/etc/systemd/system/kworker.service", "/etc/rc.local");
        assertThat(found).extracting(Diagnosis.Finding::pid).containsOnly(42);
        Diagnosis.Finding cron = found.stream().filter(f -> f.path().equals("/etc/cron.d/sysupdate")).findFirst()
                .orElseThrow();
        assertThat(cron.line()).isEqualTo(2);
        assertThat(cron.key()).isEqualTo("cron");
    }

    @Test
    void genericInterpreterNamesAreNotSearchedFor() throws Exception {
        write("etc/cron.d/backup", "0 1 * * * root python3 /opt/backup.py\n");
        assertThat(new Persistence(root).findingsFor(7, "/usr/bin/python3", "python3")).isEmpty();
    }

    @Test
    void reportsAGlobalPreloadButNotAnEmptyOne() throws Exception {
        assertThat(new Persistence(root).hostFindings()).isEmpty();
        write("etc/ld.so.preload", "\n# nothing\n");
        assertThat(new Persistence(root).hostFindings()).isEmpty();
        write("etc/ld.so.preload", "/usr/local/lib/libntp.so\n");
        assertThat(new Persistence(root).hostFindings()).singleElement()
                .satisfies(f -> assertThat(f.text()).isEqualTo("/usr/local/lib/libntp.so"));
    }

    @Test
    void wordBoundaries() {
        assertThat(Persistence.mentions("run /tmp/x &", "/tmp/x")).isTrue();
        assertThat(Persistence.mentions("run /tmp/xy", "/tmp/x")).isFalse();
        assertThat(Persistence.mentions("ExecStart=/tmp/x", "/tmp/x")).isTrue();
    }

    private void write(String path, String text) throws Exception {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
