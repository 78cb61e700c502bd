package io.meridian.node;

/** An invalid node configuration; {@link #field()} names the setting at fault. */
public final class ConfigException extends RuntimeException {

    private final String field;

    public ConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
