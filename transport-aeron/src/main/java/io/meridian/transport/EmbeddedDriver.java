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
 * which matters on small machines running several nodes in one JVM. The shared thread uses
 * {@link AgentIdle}: it parks up to 100 µs when idle, instead of spinning or Aeron's 1 ms, which
 * would be added to every frame's trip at low rates.
 *
 * <p>Recovery: when the shared client has been closed under its users (Aeron closes it after a
 * conductor service timeout, e.g. when the process was stopped for longer than the driver's
 * liveness timeouts), {@link #renew} replaces driver and client with a fresh pair; every transport
 * renews its lease and the first one to do so restarts the pair. The driver is restarted together
 * with the client because a driver that outlived its client only holds that client's dead
 * publications, and one that died with it must be replaced anyway.
 *
 * <p>Term buffers default to 1 MiB and are sparse: Aeron's 16-64 MiB defaults would need gigabytes
 * of /dev/shm for a test JVM with a few dozen streams.
 */
public final class EmbeddedDriver {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDriver.class);
    private static final int TERM_LENGTH = 1024 * 1024;
    /**
     * Receiver window (capped by Aeron at termLength / 2) and socket receive buffer. Aeron's 128 KiB
     * default limits one stream to 128 KiB per round trip, ~3 MB/s across a 40 ms WAN: too little
     * for large payloads, and a shipper whose batches queue behind flow control times out waiting
     * for acks and resends, making the queue longer. 2 MiB per round trip is ~50 MB/s at 40 ms.
     */
    private static final int RECEIVER_WINDOW = 2 * 1024 * 1024;

    private static MediaDriver driver;
    private static Aeron aeron;
    private static int leases;
    private static int generation;
    private static int driverGeneration;

    private EmbeddedDriver() {
    }

    /** A share in the JVM's embedded driver; close it exactly once when done (idempotent). */
    public static final class Lease implements AutoCloseable {
        private final Aeron aeron;
        private final int driverGeneration;
        private boolean released;

        private Lease(Aeron aeron, int driverGeneration) {
            this.aeron = aeron;
            this.driverGeneration = driverGeneration;
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
        return new Lease(aeron, driverGeneration);
    }

    /**
     * Exchanges a lease whose client is closed for one on a working driver and client, restarting
     * both if nobody has done so since that lease was taken. The old lease is consumed (do not close it).
     *
     * @throws RuntimeException if a new driver or client cannot be started (the old lease stays valid)
     */
    public static synchronized Lease renew(Lease old) {
        if (old.released) {
            throw new IllegalStateException("lease already released");
        }
        if (old.driverGeneration == driverGeneration && (aeron == null || aeron.isClosed())) {
            LOG.warn("Aeron client in {} is closed; restarting the embedded media driver and client",
                driver == null ? "?" : driver.aeronDirectoryName());
            CloseHelper.quietCloseAll(aeron, driver);
            aeron = null;
            driver = null;
            start();
        }
        old.released = true;
        return new Lease(aeron, driverGeneration);
    }

    /** Number of live leases (for tests and diagnostics). */
    public static synchronized int leaseCount() {
        return leases;
    }

    private static void start() {
        String directory = uniqueDirectory();
        StaleAeronDirectories.removeDead(new File(directory).getParentFile());
        MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(directory)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(AgentIdle.strategy())
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .initialWindowLength(RECEIVER_WINDOW)
            .socketRcvbufLength(RECEIVER_WINDOW)
            .termBufferSparseFile(true)
            .publicationLingerTimeoutNs(TimeUnit.SECONDS.toNanos(1))
            .errorHandler(EmbeddedDriver::onDriverError);
        driver = MediaDriver.launchEmbedded(driverContext);
        try {
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .errorHandler(EmbeddedDriver::onClientError));
        } catch (RuntimeException e) {
            CloseHelper.quietClose(driver);
            driver = null;
            throw e;
        }
        driverGeneration++;
        LOG.info("embedded Aeron media driver started in {}", driver.aeronDirectoryName());
    }

    // Rate-limited: once a client is closed, Aeron may report the same error on every call.
    private static final LogRateLimiter ERRORS = new LogRateLimiter(java.util.concurrent.TimeUnit.SECONDS.toNanos(10));

    static void onClientError(Throwable t) {
        logLimited("Aeron client error", t);
    }

    private static void onDriverError(Throwable t) {
        logLimited("Aeron media driver error", t);
    }

    static void logLimited(String what, Throwable t) {
        long suppressed = ERRORS.admit(what + '|' + t.getClass().getName(), System.nanoTime());
        if (suppressed == 0) {
            LOG.error("{}: {}", what, t.toString(), t);
        } else if (suppressed > 0) {
            LOG.error("{} ({} more in the last 10 s): {}", what, suppressed, t.toString());
        }
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
