package io.bwdoctor.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageOwnersTest {
    @TempDir
    Path info;

    @Test
    void readsDpkgListsAndKnowsTheUsrMerge() throws Exception {
        Files.writeString(info.resolve("openssh-server.list"), "/.\n/usr\n/usr/sbin\n/usr/sbin/sshd\n");
        Files.writeString(info.resolve("libc-bin:amd64.list"), "/sbin/ldconfig\n");
        PackageOwners owners = new PackageOwners(info, false);
        assertThat(owners.owner("/usr/sbin/sshd")).isEqualTo("openssh-server");
        assertThat(owners.owner("/sbin/sshd")).as("the /usr-merge twin").isEqualTo("openssh-server");
        assertThat(owners.owner("/usr/sbin/ldconfig")).as("multi-arch suffix dropped").isEqualTo("libc-bin");
        assertThat(owners.owner("/tmp/.x/kworkerds")).as("checked, owned by none").isEmpty();
        assertThat(owners.owner(null)).isNull();
    }

    @Test
    void withoutAnyDatabaseNothingIsKnown() {
        PackageOwners owners = new PackageOwners(info.resolve("absent"), false);
        assertThat(owners.available()).isFalse();
        assertThat(owners.owner("/usr/sbin/sshd")).isNull();
    }
}
