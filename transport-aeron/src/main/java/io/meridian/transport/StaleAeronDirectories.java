package io.meridian.transport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.IoUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the embedded-driver directories ({@code meridian-aeron-<pid>-<generation>-<random>}, see
 * {@link EmbeddedDriver}) left behind by processes that died without closing their driver (kill -9,
 * OOM, power loss of a container). Each holds up to 3 terms per publication, and /dev/shm is memory
 * shared by everything on the machine, so without this every crash leaks memory until reboot.
 *
 * <p>Only directories whose pid is no longer alive and that belong to the current user are removed:
 * a live pid may be another Meridian JVM (or an unrelated process that reused the pid; then the
 * directory stays until that one exits too, which errs on the safe side).
 */
final class StaleAeronDirectories {

    private static final Logger LOG = LoggerFactory.getLogger(StaleAeronDirectories.class);
    private static final Pattern NAME = Pattern.compile("meridian-aeron-(\\d{1,18})-.*");

    private StaleAeronDirectories() {
    }

    /** Removes dead processes' directories under {@code base}; returns how many were removed. */
    static int removeDead(File base) {
        return removeDead(base, pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    static int removeDead(File base, LongPredicate isAlive) {
        File[] candidates = base.listFiles((dir, name) -> NAME.matcher(name).matches());
        if (candidates == null) {
            return 0;
        }
        String user = System.getProperty("user.name");
        int removed = 0;
        for (File dir : candidates) {
            Matcher m = NAME.matcher(dir.getName());
            if (!m.matches() || isAlive.test(Long.parseLong(m.group(1))) || !ownedBy(dir, user)) {
                continue;
            }
            IoUtil.delete(dir, true);
            if (!dir.exists()) {
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} Aeron director{} of dead processes under {}", removed, removed == 1 ? "y" : "ies",
                base);
        }
        return removed;
    }

    private static boolean ownedBy(File dir, String user) {
        try {
            return Files.getOwner(dir.toPath()).getName().equals(user);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
