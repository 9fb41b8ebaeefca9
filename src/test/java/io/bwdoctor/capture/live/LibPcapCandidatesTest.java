package io.bwdoctor.capture.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform-aware library lookup order, for each OS, decided without that OS. */
class LibPcapCandidatesTest {
    @Test
    void windowsLooksInNpcapsFolderUnderSystemRootFirst() {
        assertThat(LibPcap.candidates("windows server 2022", "C:\\Windows", null))
                .containsExactly("C:\\Windows\\System32\\Npcap\\wpcap.dll", "wpcap.dll");
        assertThat(LibPcap.candidates("windows 11", "D:\\WINNT", null))
                .containsExactly("D:\\WINNT\\System32\\Npcap\\wpcap.dll", "wpcap.dll");
        assertThat(LibPcap.candidates("windows 11", null, null)).first()
                .isEqualTo("C:\\Windows\\System32\\Npcap\\wpcap.dll");
        assertThat(LibPcap.candidates("windows 11", "C:\\Windows", "E:\\tools\\wpcap.dll")).first()
                .isEqualTo("E:\\tools\\wpcap.dll");
    }

    @Test
    void linuxKeepsItsSonames() {
        assertThat(LibPcap.candidates("linux", null, null))
                .containsExactly("libpcap.so.1", "libpcap.so.0.8", "libpcap.so");
        assertThat(LibPcap.candidates("linux", null, "/opt/pcap/libpcap.so.1"))
                .containsExactly("/opt/pcap/libpcap.so.1", "libpcap.so.1", "libpcap.so.0.8", "libpcap.so");
        assertThat(LibPcap.candidates("mac os x", null, null)).contains("/usr/lib/libpcap.A.dylib");
    }
}
