package io.meridian.bench;

import io.meridian.wal.ChronicleWal;
import io.meridian.wal.Wal;
import io.meridian.wal.WalConfig;
import io.meridian.wal.WalEntry;
import io.meridian.wal.WalReader;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Meridian's WAL append (entry header, CRC32C, gap/duplicate checks, locks) against a bare Chronicle
 * Queue append of the same payload bytes, with the same roll cycle and sync mode, in the same kind of
 * temp directory; and append followed by a same-thread tail read of that entry.
 *
 * <p>Each iteration gets a fresh queue, so disk use stays bounded to one iteration's writes and
 * every iteration starts from the same state.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class WalBenchmark {

    private static final long TIMESTAMP = 1_700_000_000_000L;

    /** A Meridian {@link ChronicleWal} with a tail reader. */
    @State(Scope.Thread)
    public static class MeridianWal {
        @Param({"64", "1024"})
        public int payload;

        byte[] bytes;
        Path dir;
        Wal wal;
        WalReader reader;
        long index;

        @Setup(Level.Iteration)
        public void open() {
            bytes = Payloads.kvPut(payload, 1);
            dir = BenchSupport.tempDir("wal");
            wal = ChronicleWal.open(WalConfig.of(dir));
            reader = wal.openReader(1);
            index = 0;
        }

        WalEntry next() {
            index++;
            return new WalEntry(index, index, 1, 1, "r0", TIMESTAMP, WalEntry.TYPE_DATA, bytes);
        }

        @TearDown(Level.Iteration)
        public void close() {
            reader.close();
            wal.close();
            BenchSupport.deleteTree(dir);
        }
    }

    /** A bare Chronicle queue built like the WAL's (binary, same roll cycle and sync mode). */
    @State(Scope.Thread)
    public static class RawQueue {
        @Param({"64", "1024"})
        public int payload;

        BytesStore<?, ?> bytes;
        Bytes<?> readBuffer;
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        ExcerptTailer tailer;

        @Setup(Level.Iteration)
        public void open() {
            bytes = BytesStore.wrap(Payloads.kvPut(payload, 1));
            readBuffer = Bytes.allocateElasticOnHeap(payload);
            dir = BenchSupport.tempDir("chronicle");
            WalConfig defaults = WalConfig.of(dir);
            queue = SingleChronicleQueueBuilder.binary(dir)
                    .rollCycle(defaults.rollCycle())
                    .syncMode(defaults.syncMode())
                    .build();
            appender = queue.createAppender();
            tailer = queue.createTailer();
        }

        @TearDown(Level.Iteration)
        public void close() {
            queue.close();
            BenchSupport.deleteTree(dir);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Wal.AppendResult meridianAppend(MeridianWal s) {
        return s.wal.append(s.next());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void rawAppend(RawQueue s) {
        s.appender.writeBytes(s.bytes);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public WalEntry meridianAppendToTail(MeridianWal s) {
        s.wal.append(s.next());
        WalEntry read = s.reader.next();
        if (read == null || read.index() != s.index) {
            throw new IllegalStateException("tail did not see entry " + s.index + ": " + read);
        }
        return read;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long rawAppendToTail(RawQueue s) {
        s.appender.writeBytes(s.bytes);
        s.readBuffer.clear();
        if (!s.tailer.readBytes(s.readBuffer)) {
            throw new IllegalStateException("tail did not see the excerpt just appended");
        }
        return s.readBuffer.readRemaining();
    }
}
