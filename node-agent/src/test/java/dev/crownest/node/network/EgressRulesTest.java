package dev.crownest.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The proxy's decisions without a network: allowlist matching, denied ranges, reading the SNI. */
class EgressRulesTest {

    @Test
    void allowListMatchesExactNamesAndWildcardSubdomains() {
        AllowList list = new AllowList(List.of("pypi.org", "*.Example.com"));
        assertThat(list.allows("pypi.org")).isTrue();
        assertThat(list.allows("PyPI.org.")).isTrue();
        assertThat(list.allows("files.pypi.org")).isFalse();
        assertThat(list.allows("evilpypi.org")).isFalse();
        assertThat(list.allows("a.example.com")).isTrue();
        assertThat(list.allows("a.b.example.com")).isTrue();
        assertThat(list.allows("example.com")).isFalse();
        assertThat(list.allows("badexample.com")).isFalse();
        assertThat(list.allows("example.com.evil.org")).isFalse();
        assertThat(list.allows("")).isFalse();
    }

    @Test
    void deniesPrivateLoopbackLinkLocalMetadataAndTheSandboxSubnet() throws Exception {
        DeniedAddresses denied = new DeniedAddresses("10.200.0.0/16");
        for (String address : List.of(
                "127.0.0.1",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "100.100.100.200",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "10.200.0.1",
                "::1",
                "fe80::1",
                "fd00:ec2::254",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "64:ff9b::a00:1",
                "::")) {
            assertThat(denied.denies(InetAddress.getByName(address)))
                    .as(address)
                    .isTrue();
        }
        for (String address : List.of("151.101.0.223", "198.51.100.2", "172.32.0.1", "2a04:4e42::223")) {
            assertThat(denied.denies(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
        }
        assertThat(denied.ipv4Ranges()).contains("169.254.0.0/16", "10.200.0.0/16");
    }

    @Test
    void addressPoolHandsOutSlash30s() {
        AddressPool pool = new AddressPool("10.200.0.0/16");
        assertThat(pool.hostAddress(0)).isEqualTo("10.200.0.1");
        assertThat(pool.sandboxAddress(0)).isEqualTo("10.200.0.2");
        assertThat(pool.hostAddress(64)).isEqualTo("10.200.1.1");
        assertThat(pool.cidr()).isEqualTo("10.200.0.0/16");
        assertThat(pool.allocate(Set.of(0, 1), a -> a.equals("10.200.0.9"))).isEqualTo(3);
    }

    @Test
    void readsTheServerNameOfARealClientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("registry.npmjs.org", 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName("registry.npmjs.org")));
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] hello = Arrays.copyOf(out.array(), out.position());

        byte[] record = TlsClientHello.readRecord(new ByteArrayInputStream(hello));
        assertThat(record).isEqualTo(hello);
        assertThat(TlsClientHello.serverName(record)).isEqualTo("registry.npmjs.org");
        assertThat(TlsClientHello.serverName("GET / HTTP/1.1\r\n".getBytes())).isNull();
        assertThat(TlsClientHello.serverName(Arrays.copyOf(hello, 40))).isNull();
    }
}
