package io.meridian.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.ClusterTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a node's YAML, applies {@code MERIDIAN_*} environment overrides, binds and validates it.
 * Every failure is one {@link ConfigException} naming the setting, raised before anything starts.
 */
public final class ConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    static final String SECRET_VARIABLE = "MERIDIAN_CLUSTER_SECRET";
    private static final Set<String> MAY_BE_ZERO = Set.of("crossRegion.leaseMs", "crossRegion.leaseMarginMs", "wal.maxAgeS",
            "crossRegion.lingerMs", "crossRegion.compressThresholdBytes", "crossRegion.imageBytesPerSecond");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public ResolvedConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e);
        }
        return parse(text, file.getParent() == null ? Path.of(".") : file.getParent());
    }

    /** Parses YAML text; relative paths in it are resolved against {@code baseDir}. */
    public ResolvedConfig parse(String text, Path baseDir) {
        ObjectNode tree = readTree(text);
        if (tree.has("clusterSecret")) {
            throw new ConfigException("clusterSecret", "must not be written in the YAML: set " + SECRET_VARIABLE
                    + " or clusterSecretFile");
        }
        if (tree.path("admin").has("token") || tree.path("admin").path("tls").has("keyStorePassword")) {
            throw new ConfigException(tree.path("admin").has("token") ? "admin.token" : "admin.tls.keyStorePassword",
                    "must not be written in the YAML: set " + AdminToken.VARIABLE + " or admin.tokenFile (and "
                    + AdminTls.PASSWORD_VARIABLE + " or admin.tls.keyStorePasswordFile)");
        }
        Map<String, String> fromEnv = EnvOverrides.apply(tree, env);
        NodeConfig config = bind(tree, fromEnv);
        boolean witness = "witness".equals(config.role);
        if (!witness && !"node".equals(config.role)) {
            throw new ConfigException("role", "must be 'node' or 'witness', got '" + config.role + "'");
        }
        if (witness && blank(config.nodeId)) {
            config.nodeId = io.meridian.Witness.NAME;
        }
        require("nodeId", config.nodeId);
        require("dataDir", config.dataDir);
        config.dataDir = baseDir.resolve(config.dataDir).toString();
        checkNumbers(config);
        ClusterTopology topology = topology(config);
        if (!witness && topology.node(config.nodeId).isEmpty()) {
            throw new ConfigException("nodeId", "'" + config.nodeId + "' is not in the topology " + topology);
        }
        if (!witness && !loadableStateMachine(config.stateMachine)) {
            throw new ConfigException("stateMachine", "class '" + config.stateMachine + "' not found on the classpath");
        }
        if (witness && topology.witnessEndpoint() == null) {
            throw new ConfigException("witnessEndpoint", "required for role witness (or a witness in the topology)");
        }
        checkBind(config, witness);
        byte[] secret = secret(config, baseDir, topology.isMultiRegion() || witness);
        InetSocketAddress admin = admin(config);
        Map<String, String> adminEndpoints = new LinkedHashMap<>(config.adminEndpoints);
        adminEndpoints.putIfAbsent(config.nodeId, admin.getHostString() + ":" + admin.getPort());
        return new ResolvedConfig(config, topology, secret, admin, adminEndpoints, adminToken(config, baseDir),
                adminTls(config, baseDir));
    }

    private ObjectNode readTree(String text) {
        try {
            JsonNode node = yaml.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return yaml.createObjectNode();
            }
            if (!(node instanceof ObjectNode object)) {
                throw new ConfigException("config", "the YAML must be a mapping of settings, got " + node.getNodeType());
            }
            return object;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ConfigException("yaml", "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    private NodeConfig bind(ObjectNode tree, Map<String, String> fromEnv) {
        try {
            return yaml.treeToValue(tree, NodeConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(path(e), "unknown setting" + known);
        } catch (JsonMappingException e) {
            String path = path(e);
            String source = fromEnv.containsKey(path) ? " (from " + fromEnv.get(path) + ")" : "";
            throw new ConfigException(path, "invalid value" + source + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static void checkNumbers(NodeConfig config) {
        checkNumbers(config, "");
        checkNumbers(config.crossRegion, "crossRegion.");
        checkNumbers(config.wal, "wal.");
    }

    private static void checkNumbers(Object holder, String prefix) {
        for (Field f : holder.getClass().getFields()) {
            if (f.getType() != long.class && f.getType() != int.class) {
                continue;
            }
            String path = prefix + f.getName();
            long v;
            try {
                v = ((Number) f.get(holder)).longValue();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (v < 0 || (v == 0 && !MAY_BE_ZERO.contains(path))) {
                throw new ConfigException(path, "must be " + (MAY_BE_ZERO.contains(path) ? ">= 0" : "> 0") + ", got " + v);
            }
        }
    }

    private static void checkBind(NodeConfig config, boolean witness) {
        if (witness && (!blank(config.bind.raft) || !blank(config.bind.aeron))) {
            throw new ConfigException(blank(config.bind.raft) ? "bind.aeron" : "bind.raft",
                    "not supported for the witness: it listens on its witness endpoint");
        }
        if (!blank(config.bind.raft)) {
            hostPort("bind.raft", config.bind.raft);
        }
        if (!blank(config.bind.aeron)) {
            hostPort("bind.aeron", config.bind.aeron);
        }
    }

    private static ClusterTopology topology(NodeConfig config) {
        JsonNode t = config.topology;
        if (t == null || t.isNull() || (t.isTextual() && t.asText().isBlank())) {
            throw new ConfigException("topology", "required (text form 'r0=n1@host:raftPort/host:aeronPort,...;r1=...'"
                    + " or a mapping with primary, witness and regions)");
        }
        try {
            ClusterTopology.Builder b = ClusterTopology.builder();
            String primary = config.primaryRegion;
            String witness = config.witnessEndpoint;
            if (t.isTextual()) {
                ClusterTopology parsed = ClusterTopology.parse(t.asText());
                for (String region : parsed.regionNames()) {
                    b.region(region);
                    parsed.nodes(region).forEach(n -> b.node(n.nodeId(), n.raftEndpoint(), n.aeronEndpoint()));
                }
            } else if (t.isObject()) {
                primary = t.hasNonNull("primary") ? t.get("primary").asText() : primary;
                witness = t.hasNonNull("witness") ? t.get("witness").asText() : witness;
                structuredRegions(t, b);
            } else {
                throw new IllegalArgumentException("must be text or a mapping, got " + t.getNodeType());
            }
            return b.primary(blank(primary) ? null : primary).witness(blank(witness) ? null : witness).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("topology", e.getMessage());
        }
    }

    private static void structuredRegions(JsonNode t, ClusterTopology.Builder b) {
        JsonNode regions = t.get("regions");
        if (regions == null || !regions.isObject()) {
            throw new IllegalArgumentException("'regions' must map each region name to a list of nodes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = regions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> region = it.next();
            b.region(region.getKey());
            if (!region.getValue().isArray()) {
                throw new IllegalArgumentException("region '" + region.getKey() + "' must list nodes as {id, raft, aeron}");
            }
            for (JsonNode n : region.getValue()) {
                if (!n.hasNonNull("id") || !n.hasNonNull("raft")) {
                    throw new IllegalArgumentException("a node of region '" + region.getKey() + "' lacks id or raft: " + n);
                }
                b.node(n.get("id").asText(), n.get("raft").asText(), n.hasNonNull("aeron") ? n.get("aeron").asText() : null);
            }
        }
    }

    private byte[] secret(NodeConfig config, Path baseDir, boolean required) {
        byte[] secret = null;
        String fromEnv = env.get(SECRET_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            secret = fromEnv.getBytes(StandardCharsets.UTF_8);
        } else if (!blank(config.clusterSecretFile)) {
            Path file = baseDir.resolve(config.clusterSecretFile);
            try {
                String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
                secret = first.getBytes(StandardCharsets.UTF_8);
                warnIfReadableByOthers(file);
            } catch (IOException e) {
                throw new ConfigException("clusterSecretFile", "cannot read " + file + ": " + e);
            }
        }
        if (secret == null && required) {
            throw new ConfigException("clusterSecret", "required with more than one region: set " + SECRET_VARIABLE
                    + " or clusterSecretFile");
        }
        if (secret != null && secret.length < 16) {
            throw new ConfigException("clusterSecret", "must be at least 16 bytes, got " + secret.length);
        }
        return secret;
    }

    /** The configured admin token, or null: then the node uses (or generates) one in its data directory. */
    private AdminToken adminToken(NodeConfig config, Path baseDir) {
        String fromEnv = env.get(AdminToken.VARIABLE);
        try {
            if (fromEnv != null && !fromEnv.isEmpty()) {
                return AdminToken.of(fromEnv.trim(), AdminToken.VARIABLE);
            }
            if (blank(config.admin.tokenFile)) {
                return null;
            }
            Path file = baseDir.resolve(config.admin.tokenFile);
            return AdminToken.of(AdminToken.read(file), file.toString());
        } catch (IOException e) {
            // Only the exception's class and message: they name the file, never its content.
            throw new ConfigException("admin.tokenFile", "cannot read " + baseDir.resolve(config.admin.tokenFile)
                    + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fromEnv != null && !fromEnv.isEmpty() ? "admin.token" : "admin.tokenFile",
                    e.getMessage());
        }
    }

    private SSLContext adminTls(NodeConfig config, Path baseDir) {
        NodeConfig.AdminTlsSettings tls = config.admin.tls;
        if (blank(tls.keyStore)) {
            if (!blank(tls.keyStorePasswordFile)) {
                throw new ConfigException("admin.tls.keyStore", "required when admin.tls.keyStorePasswordFile is set");
            }
            return null;
        }
        Path keyStore = baseDir.resolve(tls.keyStore);
        String password = env.get(AdminTls.PASSWORD_VARIABLE);
        if (password == null) {
            if (blank(tls.keyStorePasswordFile)) {
                throw new ConfigException("admin.tls.keyStorePasswordFile", "required with admin.tls.keyStore (or set "
                        + AdminTls.PASSWORD_VARIABLE + ")");
            }
            Path file = baseDir.resolve(tls.keyStorePasswordFile);
            try {
                password = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            } catch (IOException e) {
                throw new ConfigException("admin.tls.keyStorePasswordFile", "cannot read " + file + ": "
                        + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        try {
            return AdminTls.server(keyStore, password.toCharArray());
        } catch (IOException | java.security.GeneralSecurityException e) {
            // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
            throw new ConfigException("admin.tls.keyStore", "cannot load the PKCS12 keystore " + keyStore
                    + " (wrong password or not PKCS12?): " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("cluster secret file {} is readable by group or others; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
    }

    private static InetSocketAddress admin(NodeConfig config) {
        String endpoint = config.adminEndpoint;
        if (blank(endpoint) && config.adminPort != null) {
            endpoint = "127.0.0.1:" + config.adminPort;
        }
        if (blank(endpoint)) {
            endpoint = config.adminEndpoints.get(config.nodeId);
        }
        if (blank(endpoint)) {
            throw new ConfigException("adminPort", "required (or adminEndpoint host:port, or adminEndpoints."
                    + config.nodeId + ")");
        }
        return hostPort(config.adminPort != null && blank(config.adminEndpoint) ? "adminPort" : "adminEndpoint", endpoint);
    }

    static InetSocketAddress hostPort(String field, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        try {
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(endpoint.substring(0, colon), port);
        } catch (RuntimeException e) {
            throw new ConfigException(field, "expected host:port with a port in 0..65535, got '" + endpoint + "'");
        }
    }

    private static boolean loadableStateMachine(String className) {
        try {
            Class.forName(className, false, ConfigLoader.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void require(String field, String value) {
        if (blank(value)) {
            throw new ConfigException(field, "required");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
