package io.meridian.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The on-disk layout of one WAL root: an exclusive lock file, a metadata file naming the base index
 * and the current queue generation, and one Chronicle queue directory per generation.
 *
 * <p>A {@link Wal#reset} switches generations by rewriting the metadata file atomically, so a crash
 * leaves either the old queue or the new empty one in force, never a half-deleted mix; directories of
 * other generations are garbage and are removed on open.
 */
final class WalDirectory implements AutoCloseable {

    private static final String META_FILE = "wal.meta";
    private static final String LOCK_FILE = "wal.lock";
    private static final String QUEUE_PREFIX = "queue-";
    private static final String META_HEADER = "meridian-wal-meta v1";

    /** What the metadata file records. */
    record Meta(long baseIndex, long generation) {
    }

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private WalDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the root if needed and takes the lock that keeps a second WAL instance out. */
    static WalDirectory lock(Path root) {
        FileChannel channel = null;
        try {
            Files.createDirectories(root);
            channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new WalException("WAL directory " + root + " is in use by another process");
            }
            return new WalDirectory(root, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new WalException("WAL directory " + root + " is already open in this JVM", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new WalException("cannot lock WAL directory " + root, e);
        }
    }

    Meta loadOrCreateMeta() {
        Path file = root.resolve(META_FILE);
        if (!Files.exists(file)) {
            Meta initial = new Meta(0, 0);
            commit(initial);
            return initial;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 3 || !META_HEADER.equals(lines.get(0))) {
                throw new WalCorruptionException("unrecognised WAL metadata file " + file);
            }
            return new Meta(parse(lines.get(1), "baseIndex", file), parse(lines.get(2), "generation", file));
        } catch (IOException e) {
            throw new WalException("cannot read " + file, e);
        }
    }

    /** Durably replaces the metadata; this single rename is the commit point of a reset. */
    void commit(Meta meta) {
        Path file = root.resolve(META_FILE);
        Path tmp = root.resolve(META_FILE + ".tmp");
        String text = META_HEADER + "\nbaseIndex=" + meta.baseIndex() + "\ngeneration=" + meta.generation() + "\n";
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new WalException("cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new WalException("file system of " + root + " cannot rename atomically", e);
        } catch (IOException e) {
            throw new WalException("cannot replace " + file, e);
        }
        syncDirectory();
    }

    Path queueDirectory(Meta meta) {
        return root.resolve(QUEUE_PREFIX + meta.generation());
    }

    /** Removes queue directories of generations other than {@code meta}'s (left by an interrupted reset). */
    void deleteOtherGenerations(Meta meta) {
        Path keep = queueDirectory(meta);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, QUEUE_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (!dir.equals(keep)) {
                    deleteRecursively(dir);
                }
            }
        } catch (IOException e) {
            throw new WalException("cannot clean stale queue directories under " + root, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock anyway
        }
        closeQuietly(lockChannel);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not every platform can open a directory, and there it is skipped.
        try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort: the rename is already atomic, only its durability on power loss is at stake
        }
    }

    private static long parse(String line, String key, Path file) {
        String prefix = key + "=";
        if (!line.startsWith(prefix)) {
            throw new WalCorruptionException("expected " + key + " in " + file + ", found: " + line);
        }
        try {
            return Long.parseLong(line.substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new WalCorruptionException("bad " + key + " in " + file, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing useful to do while already failing or shutting down
            }
        }
    }
}
