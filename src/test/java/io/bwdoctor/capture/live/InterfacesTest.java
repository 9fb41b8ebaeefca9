package io.bwdoctor.capture.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterfacesTest {
    @Test
    void listsLoopbackWithItsAddress() throws Exception {
        Interfaces.Device lo = Interfaces.list().stream().filter(Interfaces.Device::loopback).findFirst().orElseThrow();
        assertThat(lo.up()).isTrue();
        assertThat(lo.addresses()).contains(new Interfaces.Address(InetAddress.getByName("127.0.0.1"), 8));
    }

    @Test
    void listsATestVethWithItsIpv4AndIpv6AddressesAndFlags() throws Exception {
        NetnsHarness.assumeUsable();
        try (NetnsHarness net = NetnsHarness.hostLinked()) {
            List<Interfaces.Device> devices = Interfaces.list();
            Interfaces.Device veth = devices.stream().filter(d -> d.name().equals(net.host().device()))
                    .findFirst().orElseThrow(() -> new AssertionError(net.host().device() + " not in " + devices));
            assertThat(veth.up()).isTrue();
            assertThat(veth.running()).isTrue();
            assertThat(veth.loopback()).isFalse();
            assertThat(veth.addresses()).containsExactlyInAnyOrder(
                    new Interfaces.Address(net.host().ipv4(), 30), new Interfaces.Address(net.host().ipv6(), 64));
            assertThat(devices).extracting(Interfaces.Device::name).as("the end inside the namespace is not ours")
                    .doesNotContain(net.a().device());
        }
    }
}
