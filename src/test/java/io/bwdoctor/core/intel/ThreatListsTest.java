package io.bwdoctor.core.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThreatListsTest {
    // Header as in firehol/blocklist-ipsets firehol_level1.netset (shortened), including its bogon entries.
    private static final List<String> FIREHOL = List.of(
            "#", "# firehol_level1", "#", "# ipv4 hash:net ipset", "#",
            "# Maintainer      : FireHOL",
            "# Source File Date: Mon Jun 17 10:19:09 UTC 2024",
            "# This File Date  : Mon Jun 17 10:26:51 UTC 2024",
            "# Entries         : 6 subnets",
            "#",
            "0.0.0.0/8", "10.0.0.0/8", "5.134.128.0/19", "192.0.2.0/24", "223.254.0.0/16", "224.0.0.0/3");
    private static final List<String> SPAMHAUS = List.of(
            "; Spamhaus DROP List 2024/06/17 - (c) 2024 The Spamhaus Project SLU",
            "; https://www.spamhaus.org/drop/drop.txt",
            "; Last-Modified: Mon, 17 Jun 2024 07:48:18 GMT",
            "; Expires: Mon, 17 Jun 2024 08:59:04 GMT",
            "1.10.16.0/20 ; SBL256894",
            "5.134.128.0/19 ; SBL270738",
            "2a06:e480::/29 ; SBL301771");

    private static long v4(String a) {
        return IpRange.address(a).startLo();
    }

    @Test
    void parsesFireholAndSpamhausWithTheirHeaderDates() {
        ThreatList firehol = ThreatList.parse("firehol_level1", FIREHOL);
        assertThat(firehol.date()).isEqualTo("Mon Jun 17 10:26:51 UTC 2024");
        assertThat(firehol.entries()).isEqualTo(6);
        ThreatList drop = ThreatList.parse("drop", SPAMHAUS);
        assertThat(drop.date()).isEqualTo("Mon, 17 Jun 2024 07:48:18 GMT");
        assertThat(drop.entries()).isEqualTo(3);
        assertThat(drop.ipv6().size()).isEqualTo(1);
        ThreatList json = ThreatList.parse("drop_v4", List.of(
                "{\"cidr\":\"1.10.16.0/20\",\"sblid\":\"SBL256894\",\"rir\":\"apnic\"}",
                "{\"type\":\"metadata\",\"timestamp\":1718610498,\"size\":1,\"records\":1}"));
        assertThat(json.entries()).isEqualTo(1);
        assertThat(json.date()).isEqualTo("2024-06-17T07:48:18Z");
        ThreatList ipsum = ThreatList.parse("ipsum", List.of("# IPsum Threat Intelligence Feed",
                "# Last update: Wed, 19 Jun 2024 03:00:02 +0200", "185.224.128.17\t10"));
        assertThat(ipsum.date()).isEqualTo("Wed, 19 Jun 2024 03:00:02 +0200");
        assertThat(ThreatList.parse("none", List.of("8.8.8.8")).date()).isNull();
    }

    @Test
    void aBadLineFailsTheListNamingTheLine() {
        assertThatThrownBy(() -> ThreatList.parse("broken", List.of("# x", "1.2.3.4", "<html>")))
                .hasMessageContaining("broken line 3").hasMessageContaining("not an IP address");
    }

    @Test
    void lookupNamesEveryListHoldingTheAddressAndSkipsSpecialUseSpace() {
        ThreatLists lists = ThreatLists.of(List.of(ThreatList.parse("firehol_level1", FIREHOL),
                ThreatList.parse("drop", SPAMHAUS)), List.of());
        assertThat(lists.find(4, 0, v4("5.134.130.1"))).containsExactly("firehol_level1", "drop");
        assertThat(lists.find(4, 0, v4("1.10.16.1"))).containsExactly("drop");
        assertThat(lists.find(4, 0, v4("223.254.3.3"))).containsExactly("firehol_level1");
        assertThat(lists.find(4, 0, v4("8.8.8.8"))).isEmpty();
        // bogons in the list must not flag private, documentation or multicast addresses
        for (String special : new String[] {"10.1.2.3", "0.0.0.1", "192.0.2.5", "224.0.0.251", "239.1.1.1",
                "240.0.0.1", "255.255.255.255"})
            assertThat(lists.find(4, 0, v4(special))).as(special).isEmpty();
        // (the list's 224.0.0.0/3 is all special: 224/4 multicast + 240/4 reserved)
        IpRange six = IpRange.address("2a06:e480::1");
        assertThat(lists.find(6, six.startHi(), six.startLo())).containsExactly("drop");
        assertThat(lists.find(6, 0, 0x0000_ffff_0000_0000L | v4("1.10.16.1"))).containsExactly("drop"); // mapped
        assertThat(lists.lists().get(0).ipv4().size()).isEqualTo(2); // 5.134.128.0/19 and 223.254.0.0/16 remain
    }

    @Test
    void userPublicNetworksAreNotCutOut() {
        ThreatLists lists = ThreatLists.of(List.of(ThreatList.parse("test", List.of("203.0.113.0/24"))),
                List.of(IpRange.parse("203.0.113.0/25")));
        assertThat(lists.find(4, 0, v4("203.0.113.9"))).containsExactly("test");
        assertThat(lists.find(4, 0, v4("203.0.113.200"))).isEmpty();
    }

    @Test
    void mergedTableAgreesWithListByListLookupOnRandomLists() {
        SplittableRandom random = new SplittableRandom(11);
        List<ThreatList> lists = new ArrayList<>();
        List<List<IpRange>> raw = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            List<String> lines = new ArrayList<>();
            List<IpRange> ranges = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                long base = 0x2D000000L + random.nextLong(1 << 16) * 256; // inside 45.0.0.0/8, no special space
                String cidr = ((base >>> 24) & 255) + "." + ((base >>> 16) & 255) + "." + ((base >>> 8) & 255) + ".0/"
                        + (20 + random.nextInt(13));
                lines.add(cidr);
                ranges.add(IpRange.parse(cidr));
            }
            lists.add(ThreatList.parse("list" + l, lines));
            raw.add(ranges);
        }
        ThreatLists merged = ThreatLists.of(lists, List.of());
        for (int k = 0; k < 20_000; k++) {
            long a = 0x2D000000L + random.nextLong(1 << 24);
            List<String> expected = new ArrayList<>();
            for (int l = 0; l < raw.size(); l++)
                if (raw.get(l).stream().anyMatch(r -> r.contains(4, 0, a))) expected.add("list" + l);
            assertThat(merged.find(4, 0, a)).as("%08x", a).isEqualTo(expected);
        }
    }
}
