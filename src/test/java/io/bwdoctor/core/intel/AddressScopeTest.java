package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressScopeTest {
    private static final long DOC = 0xC6336407L;     // 198.51.100.7
    private static final long PRIVATE = 0x0A000001L; // 10.0.0.1
    private static final long PUBLIC = 0x08080808L;  // 8.8.8.8

    @Test
    void byClassUnlessTheUsersNetworksSayOtherwise() {
        AddressScope classes = AddressScope.classes();
        assertThat(classes.isPublic(4, 0, PUBLIC)).isTrue();
        assertThat(classes.isPublic(4, 0, DOC)).isFalse();
        assertThat(classes.isPublic(4, 0, PRIVATE)).isFalse();
        AddressScope user = AddressScope.of(UserNetworks.parse(List.of(
                "198.51.100.0/24 lab scope=public", "8.8.8.0/24 office-vpn scope=private", "10.0.0.0/8 vpc")));
        assertThat(user.isPublic(4, 0, DOC)).as("declared public").isTrue();
        assertThat(user.isPublic(4, 0, PUBLIC)).as("declared private").isFalse();
        assertThat(user.isPublic(4, 0, PRIVATE)).as("named without a scope: its class").isFalse();
        assertThat(user.isPublic(4, 0, 0x01010101L)).as("outside every network: its class").isTrue();
    }
}
