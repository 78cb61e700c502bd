package io.meridian.node;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code MERIDIAN_<UPPER_SNAKE_PATH>} environment variables onto a parsed YAML tree. The
 * paths are read from {@link NodeConfig}'s fields so that a new setting is overridable without
 * touching this class.
 */
final class EnvOverrides {

    static final String PREFIX = "MERIDIAN_";

    private EnvOverrides() {
    }

    /** Every overridable setting: dotted YAML path to its environment variable name. */
    static Map<String, String> variables() {
        Map<String, String> out = new LinkedHashMap<>();
        collect(NodeConfig.class, "", out);
        return out;
    }

    /**
     * Writes each variable present in {@code env} into {@code tree} as text (Jackson coerces it to
     * the field's type) and returns, per path, the variable it came from.
     */
    static Map<String, String> apply(ObjectNode tree, Map<String, String> env) {
        Map<String, String> applied = new LinkedHashMap<>();
        variables().forEach((path, variable) -> {
            String value = env.get(variable);
            if (value == null) {
                return;
            }
            String[] parts = path.split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.get(parts[i]) instanceof ObjectNode o ? o : parent.putObject(parts[i]);
            }
            String leaf = parts[parts.length - 1];
            if ("adminEndpoints".equals(path) || "crossRegion.endpointMap".equals(path)) {
                parent.set(leaf, parseMap(variable, value, parent.putObject(leaf)));
            } else {
                parent.put(leaf, value);
            }
            applied.put(path, variable);
        });
        return applied;
    }

    /** Upper snake case of a camelCase path: {@code crossRegion.leaseMs} gives {@code CROSS_REGION_LEASE_MS}. */
    static String toVariable(String path) {
        return PREFIX + path.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    private static void collect(Class<?> type, String prefix, Map<String, String> out) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) {
                continue;
            }
            String path = prefix + f.getName();
            if (f.getType().getEnclosingClass() == NodeConfig.class) {
                collect(f.getType(), path + ".", out);
            } else {
                out.put(path, toVariable(path));
            }
        }
    }

    /** {@code id=host:port,id2=host:port} into an object node. */
    private static ObjectNode parseMap(String variable, String value, ObjectNode into) {
        List<String> bad = new ArrayList<>();
        for (String pair : value.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                bad.add(pair);
            } else {
                into.put(kv[0].trim(), kv[1].trim());
            }
        }
        if (!bad.isEmpty()) {
            throw new ConfigException("adminEndpoints", "from " + variable + ": expected id=host:port,... but got " + bad);
        }
        return into;
    }
}
