package io.meridian.sim.wan;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Locale;

/**
 * The WAN emulator's own error, measured alone: datagrams sent through one relay link with a fixed
 * delay, received by a blocking socket on another thread; the histogram is (arrival - send) minus
 * the configured delay, in µs. This is the part of the simulator's "network" stage that the
 * emulator itself adds (its selector, its delivery thread's timer, two extra loopback hops), so a
 * lag figure can be read against it.
 *
 * <pre>java -cp sim/target/meridian-sim.jar io.meridian.sim.wan.RelayPrecision [delayMs] [rate/s] [seconds] [out.json]</pre>
 */
public final class RelayPrecision {

    private RelayPrecision() {
    }

    public static void main(String[] args) throws Exception {
        long delayMs = args.length > 0 ? Long.parseLong(args[0]) : 30;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Histogram error = measure(Duration.ofMillis(delayMs), rate, seconds);
        if (args.length > 3) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[3]), String.format(Locale.US,
                    "{\"delay_ms\": %d, \"rate_per_s\": %d, \"seconds\": %d, \"received\": %d, \"error_us\": "
                            + "{\"p50\": %d, \"p90\": %d, \"p99\": %d, \"p999\": %d, \"max\": %d}}%n",
                    delayMs, rate, seconds, error.getTotalCount(), error.getValueAtPercentile(50),
                    error.getValueAtPercentile(90), error.getValueAtPercentile(99), error.getValueAtPercentile(99.9),
                    error.getMaxValue()));
        }
        System.out.printf(Locale.US, "relay %d ms, %d datagrams/s, %d s: %d received; error over the delay (µs) "
                        + "p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n", delayMs, rate, seconds, error.getTotalCount(),
                error.getValueAtPercentile(50), error.getValueAtPercentile(90), error.getValueAtPercentile(99),
                error.getValueAtPercentile(99.9), error.getMaxValue());
    }

    static Histogram measure(Duration delay, int rate, int seconds) throws IOException, InterruptedException {
        Histogram error = new Histogram(10_000_000L, 3);
        try (WanEmulator wan = new WanEmulator(1);
             DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            wan.defaults().delay(delay).jitter(Duration.ZERO);
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress target = (InetSocketAddress) receiver.getLocalAddress();
            String relay = wan.relayFor("a", "b", "127.0.0.1:" + target.getPort());
            String[] hp = relay.split(":");
            InetSocketAddress via = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
            long delayNanos = delay.toNanos();
            int total = rate * seconds;
            Thread reader = new Thread(() -> {
                ByteBuffer in = ByteBuffer.allocate(64);
                try {
                    for (int i = 0; i < total; i++) {
                        in.clear();
                        receiver.receive(in);
                        long sent = in.getLong(0);
                        long micros = (System.nanoTime() - sent - delayNanos) / 1000;
                        synchronized (error) {
                            error.recordValue(Math.max(0, Math.min(10_000_000L, micros)));
                        }
                    }
                } catch (IOException e) {
                    // closed at the end: datagrams lost in the relay are simply not counted
                }
            }, "relay-precision-reader");
            reader.setDaemon(true);
            reader.start();
            ByteBuffer out = ByteBuffer.allocate(64);
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                    if (wait > 200_000) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                next += interval;
                out.clear();
                out.putLong(0, System.nanoTime());
                out.limit(64);
                sender.send(out, via);
            }
            reader.join(delay.toMillis() + 2_000);
        }
        synchronized (error) {
            return error.copy();
        }
    }
}
