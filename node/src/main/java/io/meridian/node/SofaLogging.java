package io.meridian.node;

/**
 * Keeps SOFA's logging bridge out of the way. JRaft's RPC layer (Bolt) asks sofa-common-tools for a
 * "logger space"; finding logback on the classpath, sofa-common-tools configures it by calling
 * {@code ContextInitializer.configureByResource(URL)}, which logback 1.3+ no longer has, so every
 * node printed a {@code NoSuchMethodError} stack trace at start ("Build ILoggerFactory error!")
 * before falling back. Logback 1.2 is not an option (slf4j 2, which Chronicle needs, ignores it).
 * Disabling the bridge sends nothing through it; setting its internal level to ERROR also drops
 * its own "Sofa-Middleware-Log is disabled" notice. Our logback.xml configures everything else.
 */
final class SofaLogging {

    private SofaLogging() {
    }

    /** Must run before any JRaft or Bolt class is loaded; explicit -D settings win. */
    static void disableBridge() {
        setIfAbsent("sofa.middleware.log.disable", "true");
        setIfAbsent("logback.middleware.log.disable", "true");
        setIfAbsent("sofa.middleware.log.internal.level", "ERROR");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
