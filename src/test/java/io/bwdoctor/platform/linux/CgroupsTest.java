package io.bwdoctor.platform.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupsTest {
    static final String ID = "3f9a1c6e2b7d4e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";

    @Test
    void systemdServiceOnCgroupV2() {
        Cgroups.Placement p = Cgroups.parse("0::/system.slice/nginx.service\n");
        assertThat(p.path()).isEqualTo("/system.slice/nginx.service");
        assertThat(p.systemdUnit()).isEqualTo("nginx.service");
        assertThat(p.containerId()).isNull();
    }

    @Test
    void userSessionScope() {
        Cgroups.Placement p = Cgroups.parse(
                "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-terminal-123.scope\n");
        assertThat(p.systemdUnit()).isEqualTo("app-gnome-terminal-123.scope");
    }

    @Test
    void dockerWithSystemdDriver() {
        Cgroups.Placement p = Cgroups.parse("0::/system.slice/docker-" + ID + ".scope\n");
        assertThat(p.containerId()).isEqualTo(ID);
        assertThat(p.systemdUnit()).isEqualTo("docker-" + ID + ".scope");
    }

    @Test
    void dockerWithCgroupfsDriverOnV1() {
        Cgroups.Placement p = Cgroups.parse("12:pids:/docker/" + ID + "\n11:memory:/docker/" + ID
                + "\n1:name=systemd:/docker/" + ID + "\n0::/\n");
        assertThat(p.path()).isEqualTo("/docker/" + ID);
        assertThat(p.containerId()).isEqualTo(ID);
        assertThat(p.systemdUnit()).isNull();
    }

    @Test
    void kubernetesPods() {
        assertThat(Cgroups.parse("0::/kubepods.slice/kubepods-besteffort.slice/"
                + "kubepods-besteffort-pod0a1b2c3d_4e5f.slice/cri-containerd-" + ID + ".scope\n").containerId())
                .isEqualTo(ID);
        assertThat(Cgroups.parse("0::/kubepods/burstable/pod0a1b2c3d-4e5f/" + ID + "\n").containerId())
                .isEqualTo(ID);
        assertThat(Cgroups.parse("0::/kubepods.slice/kubepods-pod1.slice/crio-" + ID + ".scope\n").containerId())
                .isEqualTo(ID);
        assertThat(Cgroups.parse("0::/system.slice/containerd.service/kubepods-burstable-pod1.slice:cri-containerd:"
                + ID + "\n").containerId()).isEqualTo(ID);
    }

    @Test
    void podmanContainerButNotItsMonitor() {
        assertThat(Cgroups.parse("0::/machine.slice/libpod-" + ID + ".scope/container\n").containerId())
                .isEqualTo(ID);
        Cgroups.Placement conmon = Cgroups.parse("0::/machine.slice/libpod-conmon-" + ID + ".scope\n");
        assertThat(conmon.containerId()).isNull();
        assertThat(conmon.systemdUnit()).isEqualTo("libpod-conmon-" + ID + ".scope");
    }

    @Test
    void hybridHierarchyPrefersTheMostInformativePath() {
        Cgroups.Placement p = Cgroups.parse("9:name=systemd:/system.slice/sshd.service\n4:memory:/x/y\n0::/\n");
        assertThat(p.path()).isEqualTo("/system.slice/sshd.service");
        assertThat(p.systemdUnit()).isEqualTo("sshd.service");
        Cgroups.Placement plain = Cgroups.parse("4:memory:/process_api/abc\n1:cpu:/\n0::/\n");
        assertThat(plain.path()).isEqualTo("/process_api/abc");
    }

    @Test
    void garbageYieldsNothing() {
        assertThat(Cgroups.parse(null)).isEqualTo(new Cgroups.Placement(null, null, null));
        assertThat(Cgroups.parse("garbage\n::\n1:x:relative\n")).isEqualTo(new Cgroups.Placement(null, null, null));
        assertThat(Cgroups.parse("0::/" + "a/".repeat(10_000)).containerId()).isNull();
        assertThat(Cgroups.systemdUnit("/.service")).isNull();
    }
}
