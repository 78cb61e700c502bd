package io.meridian.sim.wan;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class WanEmulatorTest {

    private static final int RECEIVE_TIMEOUT_MS = 5_000;

    private EchoServer echo;
    private WanEmulator wan;

    @BeforeEach
    void setUp() throws Exception {
        echo = new EchoServer();
        wan = new WanEmulator(42);
    }

    @AfterEach
    void tearDown() throws Exception {
        wan.close();
        echo.close();
    }

    @Test
    void relaysBothWaysAndRepliesComeFromTheRelayAddress() throws Exception {
        String relay = wan.relayFor("eu", "us", echo.endpoint());
        assertThat(wan.relayFor("eu", "us", echo.endpoint())).isEqualTo(relay);

        try (UdpClient client = new UdpClient(relay)) {
            client.send("hello".getBytes(StandardCharsets.UTF_8));
            DatagramPacket reply = client.receive(RECEIVE_TIMEOUT_MS);

            assertThat(reply).isNotNull();
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(addressOf(reply)).isEqualTo(relay);
            // NAT: the target sees the relay's outbound socket, never the client.
            assertThat(echo.sources()).hasSize(1).doesNotContain(client.localAddress());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(wan.stats().get("eu->us").forwarded()).isEqualTo(1);
            assertThat(wan.stats().get("us->eu").forwarded()).isEqualTo(1);
        });
    }

    @Test
    void eachClientGetsItsOwnOutboundSocket() throws Exception {
        String relay = wan.relayFor("eu", "us", echo.endpoint());
        try (UdpClient a = new UdpClient(relay); UdpClient b = new UdpClient(relay)) {
            a.send(new byte[]{1});
            b.send(new byte[]{2});
            assertThat(a.receive(RECEIVE_TIMEOUT_MS).getData()[0]).isEqualTo((byte) 1);
            assertThat(b.receive(RECEIVE_TIMEOUT_MS).getData()[0]).isEqualTo((byte) 2);
        }
        assertThat(echo.sources()).hasSize(2);
    }

    @Test
    void roundTripTakesAtLeastTheConfiguredDelays() throws Exception {
        wan.link("eu", "us").delay(Duration.ofMillis(60));
        wan.link("us", "eu").delay(Duration.ofMillis(40));
        String relay = wan.relayFor("eu", "us", echo.endpoint());

        try (UdpClient client = new UdpClient(relay)) {
            long start = System.nanoTime();
            client.send(new byte[]{7});
            assertThat(client.receive(RECEIVE_TIMEOUT_MS)).isNotNull();
            long rttMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(rttMillis).isGreaterThanOrEqualTo(100).isLessThan(RECEIVE_TIMEOUT_MS);
        }
    }

    @Test
    void fullLossDropsEverything() throws Exception {
        wan.link("eu", "us").loss(1.0);
        String relay = wan.relayFor("eu", "us", echo.endpoint());

        try (UdpClient client = new UdpClient(relay)) {
            for (int i = 0; i < 50; i++) {
                client.send(new byte[]{(byte) i});
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> wan.stats().get("eu->us").droppedLoss() == 50);
        }
        // Dropped datagrams are never queued, so nothing can still be on its way.
        assertThat(wan.stats().get("eu->us").admitted()).isZero();
        assertThat(echo.received()).isZero();
    }

    @Test
    void partitionDropsEverythingAndHealRestores() throws Exception {
        String relay = wan.relayFor("eu", "us", echo.endpoint());
        wan.partition("us", "eu");
        assertThat(wan.link("eu", "us").isPartitioned()).isTrue();
        assertThat(wan.link("us", "eu").isPartitioned()).isTrue();

        try (UdpClient client = new UdpClient(relay)) {
            for (int i = 0; i < 10; i++) {
                client.send(new byte[]{(byte) i});
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> wan.stats().get("eu->us").droppedPartition() == 10);
            assertThat(echo.received()).isZero();

            wan.heal("eu", "us");
            client.send(new byte[]{99});
            DatagramPacket reply = client.receive(RECEIVE_TIMEOUT_MS);
            assertThat(reply).isNotNull();
            assertThat(reply.getData()[0]).isEqualTo((byte) 99);
        }
    }

    @Test
    void bandwidthCapSpreadsDelivery() throws Exception {
        // 20 x 1000 bytes at 100 kB/s: the last datagram leaves the emulated wire ~200 ms after the first.
        wan.link("eu", "us").bandwidth(100_000);
        String relay = wan.relayFor("eu", "us", echo.endpoint());

        try (UdpClient client = new UdpClient(relay)) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                client.send(new byte[1000]);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(client.receive(RECEIVE_TIMEOUT_MS)).as("reply %d", i).isNotNull();
            }
            // Measured from the first send: a slow test thread can only make this longer, never shorter.
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(195);
        }
    }

    @Test
    void jitterDoesNotReorderALink() throws Exception {
        wan.link("eu", "us").delay(Duration.ofMillis(20)).jitter(Duration.ofMillis(15));
        String relay = wan.relayFor("eu", "us", echo.endpoint());

        try (UdpClient client = new UdpClient(relay)) {
            int n = 300;
            for (int i = 0; i < n; i++) {
                client.send(ByteBuffer.allocate(4).putInt(i).array());
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DatagramPacket p = client.receive(RECEIVE_TIMEOUT_MS);
                assertThat(p).as("reply %d", i).isNotNull();
                order.add(ByteBuffer.wrap(p.getData(), 0, 4).getInt());
            }
            assertThat(order).isSorted().hasSize(n);
        }
    }

    @Test
    void isolateCutsEveryLinkOfTheRegionIncludingLaterOnes() {
        wan.link("eu", "us");
        wan.link("us", "ap");

        wan.isolate("eu");

        assertThat(wan.link("eu", "us").isPartitioned()).isTrue();
        assertThat(wan.link("us", "eu").isPartitioned()).isTrue();
        assertThat(wan.link("us", "ap").isPartitioned()).isFalse();
        assertThat(wan.link("ap", "eu").isPartitioned()).as("created after isolate").isTrue();

        wan.healAll();

        assertThat(wan.stats().values()).allSatisfy(s ->
                assertThat(wan.link(s.link().split("->")[0], s.link().split("->")[1]).isPartitioned()).isFalse());
    }

    @Test
    void defaultsApplyToNewLinksOnly() {
        LinkConditions before = wan.link("eu", "us");
        wan.defaults().delay(Duration.ofMillis(35)).loss(0.01);

        assertThat(before.settings().delay()).isZero();
        assertThat(wan.link("us", "eu").settings().delay()).isEqualTo(Duration.ofMillis(35));
        assertThat(wan.link("us", "eu").settings().loss()).isEqualTo(0.01);
    }

    @Test
    void sameSeedGivesTheSameLossPatternPerLink() {
        try (WanEmulator a = new WanEmulator(7); WanEmulator b = new WanEmulator(7); WanEmulator c = new WanEmulator(8)) {
            // Different creation order must not matter: each link's stream comes from its name.
            b.link("us", "eu");
            for (WanEmulator w : List.of(a, b, c)) {
                w.link("eu", "us").loss(0.5);
            }
            String pa = pattern(a.link("eu", "us"));
            assertThat(pattern(b.link("eu", "us"))).isEqualTo(pa);
            assertThat(pattern(c.link("eu", "us"))).isNotEqualTo(pa);
        }
    }

    @Test
    void rejectsMalformedEndpointsAndSelfLinks() {
        assertThatThrownBy(() -> wan.relayFor("eu", "us", "nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> wan.link("eu", "eu")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String pattern(LinkConditions link) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            long at = link.admit(100, i);
            sb.append(at < 0 ? 'x' : '.');
            if (at >= 0) {
                link.delivered(100);
            }
        }
        return sb.toString();
    }

    private static String addressOf(DatagramPacket p) {
        InetSocketAddress a = (InetSocketAddress) p.getSocketAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
