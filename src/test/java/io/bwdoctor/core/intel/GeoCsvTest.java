package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeoCsvTest {
    @Test
    void readsCountryAndAsnRowsWithQuotingAndNesting() {
        assertThat(GeoCsv.detect("1.0.0.0,1.0.0.255,AU")).isEqualTo(GeoKind.COUNTRY);
        assertThat(GeoCsv.detect("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"")).isEqualTo(GeoKind.ASN);
        GeoTableBuilder asn = new GeoTableBuilder(GeoKind.ASN);
        GeoCsv csv = new GeoCsv(asn);
        for (String line : List.of("1.1.1.0,1.1.1.255,13335,\"Cloudflare, Inc.\"",
                "2.58.196.0,2.58.197.255,64500,\"Say \"\"hi\"\"\"", "2.58.197.15,2.58.197.15,64501,Inner",
                "2606:4700::,2606:4700:ffff:ffff:ffff:ffff:ffff:ffff,13335,\"Cloudflare, Inc.\"", ""))
            csv.accept(line);
        GeoTable t = asn.build();
        assertThat(t.names()).containsExactly("Cloudflare, Inc.", "Say \"hi\"", "Inner");
        assertThat(t.asns()).containsExactly(13335, 64500, 64501);
        assertThat(t.ipv4().size()).isEqualTo(4); // 1.1.1.0/24, 2.58.196.0-197.14, .15, .16-197.255
        assertThat(t.ipv6().size()).isEqualTo(1);
        assertThat(t.sourceRecords()).isEqualTo(4);
    }

    @Test
    void headerLineAllowedBadRowsNamed() {
        GeoTableBuilder b = new GeoTableBuilder(GeoKind.COUNTRY);
        GeoCsv csv = new GeoCsv(b);
        csv.accept("ip_range_start,ip_range_end,country_code");
        csv.accept("1.0.0.0,1.0.0.255,au");
        assertThat(b.build().names()).containsExactly("AU");
        assertThatThrownBy(() -> csv.accept("1.0.1.0,1.0.1.255")).hasMessageStartingWith("line 3:")
                .hasMessageContaining("2 fields");
        assertThatThrownBy(() -> csv.accept("1.0.1.0,nope,AU")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> csv.accept("1.0.1.0,1.0.1.9,\"AU")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> GeoCsv.detect("a,b")).hasMessageContaining("not an ip-location-db");
        GeoTableBuilder skip = new GeoTableBuilder(GeoKind.COUNTRY);
        new GeoCsv(skip).accept("1.0.0.0,1.0.0.255,ZZZ");
        assertThat(skip.build().skipped()).isEqualTo(1);
    }
}
