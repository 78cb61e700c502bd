package io.meridian.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded Aeron media driver per JVM, plus one Aeron client connected to it, shared by every
 * {@link AeronTransport} that does not name an external driver directory.
 *
 * <p>Reference-counted: the first {@link #acquire()} starts both, closing the last {@link Lease}
 * stops them and deletes the driver directory. A later acquire starts a fresh pair in a new
 * directory. Sharing one client keeps the thread count down (the driver runs its conductor, sender
 * and receiver on one {@link ThreadingMode#SHARED} thread, the client adds one conductor thread)
 * which matters on small machines running several nodes in one JVM. The shared thread uses Aeron's
 * default backoff idle strategy, which parks up to 1 ms when idle instead of spinning.
 *
 * <p>Term buffers default to 1 MiB and are sparse: Aeron's 16-64 MiB defaults would need gigabytes
 * of /dev/shm for a test JVM with a few dozen streams.
 */
public final class EmbeddedDriver {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDriver.class);
    private static final int TERM_LENGTH = 1024 * 1024;

    private static MediaDriver driver;
    private static Aeron aeron;
    private static int leases;
    private static int generation;

    private EmbeddedDriver() {
    }

    /** A share in the JVM's embedded driver; close it exactly once when done (idempotent). */
    public static final class Lease implements AutoCloseable {
        private final Aeron aeron;
        private boolean released;

        private Lease(Aeron aeron) {
            this.aeron = aeron;
        }

        /** The shared client; do not close it, close the lease. */
        public Aeron aeron() {
            return aeron;
        }

        public String aeronDirectoryName() {
            return aeron.context().aeronDirectoryName();
        }

        @Override
        public void close() {
            synchronized (EmbeddedDriver.class) {
                if (!released) {
                    released = true;
                    release();
                }
            }
        }
    }

    /** Starts the driver and client if this is the first live lease, then hands out a share. */
    public static synchronized Lease acquire() {
        if (leases == 0) {
            start();
        }
        leases++;
        return new Lease(aeron);
    }

    /** Number of live leases (for tests and diagnostics). */
    public static synchronized int leaseCount() {
        return leases;
    }

    private static void start() {
        String directory = uniqueDirectory();
        MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(directory)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ThreadingMode.SHARED)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .termBufferSparseFile(true)
            .publicationLingerTimeoutNs(TimeUnit.SECONDS.toNanos(1))
            .errorHandler(t -> LOG.error("Aeron media driver error", t));
        driver = MediaDriver.launchEmbedded(driverContext);
        try {
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .errorHandler(t -> LOG.error("Aeron client error", t)));
        } catch (RuntimeException e) {
            CloseHelper.quietClose(driver);
            driver = null;
            throw e;
        }
        LOG.info("embedded Aeron media driver started in {}", driver.aeronDirectoryName());
    }

    private static void release() {
        if (--leases == 0) {
            String directory = driver.aeronDirectoryName();
            CloseHelper.closeAll(aeron, driver);
            aeron = null;
            driver = null;
            LOG.info("embedded Aeron media driver in {} stopped", directory);
        }
    }

    /** Under /dev/shm when available (memory-backed), unique per JVM and per restart within it. */
    private static String uniqueDirectory() {
        File shm = new File("/dev/shm");
        String base = shm.isDirectory() && shm.canWrite() ? shm.getPath() : System.getProperty("java.io.tmpdir");
        String name = "meridian-aeron-" + ProcessHandle.current().pid() + "-" + (++generation) + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
        return new File(base, name).getPath();
    }
}
