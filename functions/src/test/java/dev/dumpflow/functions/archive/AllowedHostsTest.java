package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.functions.FunctionFailure;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

    private static AllowedHosts rules(String... entries) {
        return new AllowedHosts(Arrays.stream(entries).map(HostRule::parse).toList());
    }

    private static FunctionFailure.Kind refusal(AllowedHosts hosts, String url) {
        try {
            hosts.check(URI.create(url), "d1");
            return null;
        } catch (FunctionFailure e) {
            return e.kind();
        }
    }

    @Test
    void refusesLinkLocalUnspecifiedAndMulticastEvenWhenEverythingIsAllowed() {
        AllowedHosts everything = rules("0.0.0.0/0", "::/0");
        for (String url :
                List.of(
                        "http://169.254.169.254/latest/meta-data/",
                        "http://169.254.10.1:8787/dumps/d1",
                        "http://[fe80::1]:8787/dumps/d1",
                        "http://0.0.0.0:8787/dumps/d1",
                        "http://[::]:8787/dumps/d1",
                        "http://224.0.0.1:8787/dumps/d1",
                        "http://[::ffff:169.254.169.254]/")) {
            assertThat(refusal(everything, url))
                    .as(url)
                    .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
        }
        assertThat(refusal(everything, "http://10.1.2.3:8787/dumps/d1")).isNull();
    }

    private static String reason(AllowedHosts hosts, String url) {
        try {
            hosts.check(URI.create(url), "d1");
            return null;
        } catch (FunctionFailure e) {
            return e.getMessage();
        }
    }

    @Test
    void refusesTheAwsMetadataServiceOverIpv6EvenInAnAllowedBlock() {
        AllowedHosts ula = rules("fd00::/8");
        assertThat(refusal(ula, "http://[fd00:ec2::254]/latest/meta-data/"))
                .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
        assertThat(reason(ula, "http://[fd00:ec2::254]/")).contains("metadata");
        assertThat(refusal(ula, "http://[fd00::10]:8787/dumps/d1")).isNull();
    }

    @Test
    void refusesIpv6ZoneIdsWithoutTryingTheInterface() {
        AllowedHosts everything = rules("0.0.0.0/0", "::/0");
        for (String url :
                List.of(
                        "http://[fe80::1%25eth0]:8787/dumps/d1",
                        "http://[fe80::1%eth0]:8787/dumps/d1",
                        "http://[fd00::1%251]:8787/dumps/d1")) {
            assertThat(refusal(everything, url))
                    .as(url)
                    .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
            assertThat(reason(everything, url)).as(url).contains("zone id");
        }
    }

    @Test
    void refusesIpv4WrittenOtherwiseThanAsADottedQuad() {
        // Each of these is loopback (or 177.0.0.1 for the JDK, 127.0.0.1 for curl) once a
        // resolver reads it; the loopback rule would let them through if they were resolved.
        AllowedHosts loopback = rules("127.0.0.0/8", "177.0.0.0/8");
        for (String url :
                List.of(
                        "http://2130706433:8787/dumps/d1",
                        "http://0x7f.1:8787/dumps/d1",
                        "http://0x7f000001:8787/dumps/d1",
                        "http://0177.0.0.1:8787/dumps/d1",
                        "http://017700000001:8787/dumps/d1",
                        "http://127.1:8787/dumps/d1",
                        "http://127.0.0.1.:8787/dumps/d1",
                        "http://127.000.000.001:8787/dumps/d1")) {
            assertThat(refusal(loopback, url)).as(url).isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
        }
        assertThat(reason(loopback, "http://2130706433:8787/dumps/d1")).contains("dotted-quad");
        assertThat(refusal(loopback, "http://127.0.0.1:8787/dumps/d1")).isNull();
    }

    @Test
    void refusesCredentialsInTheUrlWithoutEchoingThem() {
        AllowedHosts defaults = rules("127.0.0.0/8", "::1", "localhost");
        String url = "http://admin:hunter2@127.0.0.1:8787/dumps/d1";
        assertThat(refusal(defaults, url)).isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
        assertThat(reason(defaults, url)).contains("credentials").doesNotContain("hunter2");
    }

    @Test
    void refusesAUrlWithoutAHost() {
        AllowedHosts everything = rules("0.0.0.0/0", "::/0");
        assertThat(refusal(everything, "http:///dumps/d1"))
                .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
        assertThat(refusal(everything, "file:///etc/passwd"))
                .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
    }

    @Test
    void allowsOnlyLoopbackByDefault() {
        AllowedHosts defaults = rules("127.0.0.0/8", "::1", "localhost");
        assertThat(refusal(defaults, "http://127.0.0.1:8787/dumps/d1")).isNull();
        assertThat(refusal(defaults, "http://127.9.9.9:8787/dumps/d1")).isNull();
        assertThat(refusal(defaults, "http://[::1]:8787/dumps/d1")).isNull();
        assertThat(refusal(defaults, "http://localhost:8787/dumps/d1")).isNull();
        assertThat(refusal(defaults, "http://10.1.2.3:8787/dumps/d1"))
                .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
    }

    @Test
    void matchesCidrBlocksToTheBit() throws Exception {
        HostRule pods = HostRule.parse("10.244.0.0/14");
        assertThat(pods.contains(InetAddress.ofLiteral("10.247.255.255"))).isTrue();
        assertThat(pods.contains(InetAddress.ofLiteral("10.248.0.0"))).isFalse();
        assertThat(pods.contains(InetAddress.ofLiteral("::1"))).isFalse();
        assertThat(HostRule.parse("fd00::/8").contains(InetAddress.ofLiteral("fd12::5"))).isTrue();
    }

    @Test
    void checksEveryAddressANameResolvesTo() {
        // "localhost" resolves to loopback addresses only; allowed by address, not by name here.
        assertThat(refusal(rules("127.0.0.0/8", "::1"), "http://localhost:1/")).isNull();
        assertThat(refusal(rules("10.0.0.0/8"), "http://localhost:1/"))
                .isEqualTo(FunctionFailure.Kind.NOT_ALLOWED);
    }

    @Test
    void rejectsAMalformedRuleNamingTheSetting() {
        assertThatThrownBy(() -> HostRule.parse("10.0.0.0/33"))
                .hasMessageContaining("dumpflow.fetch.allowed-hosts")
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> HostRule.parse("http://pods"))
                .hasMessageContaining("dumpflow.fetch.allowed-hosts");
    }

    @Test
    void partSizeIsAMemorySizeFrom8MiBTo1GiB() {
        MemorySizeConverter sizes = new MemorySizeConverter();
        assertThat(UploadSettingsCheck.partSize(sizes.convert("16M"))).isEqualTo(16 << 20);
        assertThat(UploadSettingsCheck.partSize(sizes.convert("8M"))).isEqualTo(8 << 20);
        assertThat(UploadSettingsCheck.partSize(sizes.convert("1G"))).isEqualTo(1 << 30);
        assertThat(UploadSettingsCheck.partSize(sizes.convert("16777216"))).isEqualTo(16 << 20);
        assertThatThrownBy(() -> UploadSettingsCheck.partSize(sizes.convert("5M")))
                .hasMessageContaining("dumpflow.upload.part-size must be between 8MiB and 1GiB");
        assertThatThrownBy(() -> UploadSettingsCheck.partSize(sizes.convert("2G")))
                .hasMessageContaining("between 8MiB and 1GiB");
    }
}
