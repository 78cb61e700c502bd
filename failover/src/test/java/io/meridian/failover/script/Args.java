package io.meridian.failover.script;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Arguments of one script line: positional words, then {@code key=value} or {@code key~substring}. */
final class Args {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> named = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    Args(List<String> tokens) {
        for (final String token : tokens) {
            final int eq = token.indexOf('=');
            final int tilde = token.indexOf('~');
            if (tilde > 0 && (eq < 0 || tilde < eq)) {
                named.put(token.substring(0, tilde) + "~", token.substring(tilde + 1));
            } else if (eq > 0) {
                named.put(token.substring(0, eq), token.substring(eq + 1));
            } else if (named.isEmpty()) {
                positional.add(token);
            } else {
                throw new AssertionError("positional argument '" + token + "' after named arguments");
            }
        }
    }

    String positional(int i) {
        if (i >= positional.size()) {
            throw new AssertionError("missing positional argument " + (i + 1));
        }
        return positional.get(i);
    }

    boolean bool(int i) {
        final String value = positional(i);
        if (!value.equals("true") && !value.equals("false")) {
            throw new AssertionError("expected true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    boolean has(String key) {
        return named.containsKey(key);
    }

    String text(String key) {
        final String value = text(key, null);
        if (value == null) {
            throw new AssertionError("missing argument " + key + "=...");
        }
        return value;
    }

    String text(String key, String fallback) {
        used.add(key);
        return named.getOrDefault(key, fallback);
    }

    long longValue(String key) {
        return Long.parseLong(text(key));
    }

    long longValue(String key, long fallback) {
        final String value = text(key, null);
        return value == null ? fallback : Long.parseLong(value);
    }

    /** The substring expected for {@code key~...}, or null. */
    String contains(String key) {
        return text(key + "~", null);
    }

    /** All named arguments, consumed as action field matchers. */
    Map<String, String> fields() {
        used.addAll(named.keySet());
        return named;
    }

    String describeFields() {
        return named.toString();
    }

    void checkAllUsed() {
        final Set<String> unused = new HashSet<>(named.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new AssertionError("unknown arguments " + unused);
        }
    }
}
