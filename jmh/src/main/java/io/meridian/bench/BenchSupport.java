package io.meridian.bench;

import io.meridian.support.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Loopback ports, scratch directories and waiting, shared by the benchmark states. */
final class BenchSupport {

    // The OS may hand a just-closed port out again; several nodes start in one JVM, so remember ours.

    private BenchSupport() {
    }

    /** A port free for both TCP (Raft) and UDP (Aeron) on 127.0.0.1. */
    static int freePort() {
        return LoopbackPorts.free();
    }

    static String loopbackEndpoint() {
        return LoopbackPorts.endpoint();
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("meridian-bench-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; a benchmark's scratch data must not pile up across trials. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /**
     * Polls {@code condition} until true. Used only in setup and teardown, outside measured code,
     * where a short park keeps the pollers off the cores the nodes under test need.
     */
    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
