package io.meridian.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.nio.file.Path;

/**
 * Micrometer's standard JVM and process metrics ({@code jvm_*}, {@code process_*}, {@code system_*},
 * {@code disk_*}) on a node's registry, so that a dashboard shows heap, GC pauses, threads and CPU next
 * to replication. The GC binder listens to JMX notifications and must be closed with the node, or a
 * closed node (tests run several per JVM) would keep feeding a dead registry.
 */
final class JvmProcessMetrics implements AutoCloseable {

    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** @param dataDir the node's data directory: its file system's free space is exported as disk_free_bytes */
    JvmProcessMetrics(MeterRegistry registry, Path dataDir) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Open files against LimitNOFILE: JRaft's RocksDB and Chronicle's mapped files both hold many.
        new FileDescriptorMetrics().bindTo(registry);
        if (dataDir != null) {
            new DiskSpaceMetrics(dataDir.toFile()).bindTo(registry);
        }
    }

    @Override
    public void close() {
        gc.close();
    }
}
