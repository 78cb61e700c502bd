package io.meridian.node;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The lab of {@code meridian up --netns}: its namespaces are named after the cluster directory, and
 * {@code DIR/netns.properties} records the lab's shape so that {@code up} (again) and {@code down}
 * find it. Unlike a test's lab it outlives the JVM that made it, until {@code meridian down}.
 */
final class NetnsUp {

    static final String MARKER = "netns.properties";

    private NetnsUp() {
    }

    /** The lab recorded in {@code dir}, if {@code up --netns} made one there. */
    static Optional<NetnsLab> recorded(Path dir) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return Optional.of(NetnsLab.describe(p.getProperty("prefix"), Integer.parseInt(p.getProperty("regions")),
                Integer.parseInt(p.getProperty("nodesPerRegion")), Boolean.parseBoolean(p.getProperty("witness"))));
    }

    /**
     * The lab for a cluster in {@code dir}: the recorded one (re-created if its namespaces are gone, e.g.
     * after a reboot), or a new one. A directory holding a loopback cluster is refused.
     */
    static NetnsLab open(LocalCluster cluster, int regions, int nodesPerRegion) throws IOException {
        Path dir = cluster.dir();
        Optional<NetnsLab> recorded = recorded(dir);
        if (recorded.isEmpty() && !cluster.nodes().isEmpty()) {
            throw new ConfigException("--netns", dir + " holds a loopback cluster; use another --dir");
        }
        NetnsLab lab = recorded.orElseGet(() -> NetnsLab.describe(prefixFor(dir), regions, nodesPerRegion, regions == 2));
        if (!lab.exists()) {
            // Nothing can run in a namespace that is gone: clear leftovers of a partial lab first.
            NetnsLab.destroyAll(lab.ns(""));
            lab = NetnsLab.create(lab.ns(""), lab.regions().size(), (int) lab.nodes().stream()
                    .filter(id -> id.startsWith("r0-")).count(), lab.nodes().contains(io.meridian.Witness.NAME), false);
        }
        if (recorded.isEmpty()) {
            Properties p = new Properties();
            p.setProperty("prefix", lab.ns(""));
            p.setProperty("regions", Integer.toString(regions));
            p.setProperty("nodesPerRegion", Integer.toString(nodesPerRegion));
            p.setProperty("witness", Boolean.toString(regions == 2));
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve(MARKER), StandardCharsets.UTF_8)) {
                p.store(w, "network-namespace lab of `meridian up --netns`; `meridian down` removes it");
            }
        }
        return lab;
    }

    /** Namespace names from the directory: {@code up} on the same directory finds the same lab. */
    private static String prefixFor(Path dir) {
        return "mrdup" + String.format("%06x", dir.toAbsolutePath().normalize().toString().hashCode() & 0xffffff) + "-";
    }

    /** Removes the lab of {@code dir} (after its nodes were stopped); returns the namespaces removed. */
    static List<String> destroy(Path dir) throws IOException {
        Optional<NetnsLab> lab = recorded(dir);
        return lab.isPresent() ? NetnsLab.destroyAll(lab.get().ns("")) : List.of();
    }
}
