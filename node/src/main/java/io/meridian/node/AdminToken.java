package io.meridian.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bearer token of the admin API. Only a SHA-256 digest of it is kept, so the token itself is
 * not in the heap of a running server longer than needed and can never end up in a log line,
 * a {@code toString} or a JSON answer by accident.
 */
final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

    /** The token itself; wins over {@code admin.tokenFile} (node) and over {@code --dir}'s file (ctl). */
    static final String VARIABLE = "MERIDIAN_ADMIN_TOKEN";
    /** Name of the file a node writes in its data directory, and {@code up} in its cluster directory. */
    static final String FILE_NAME = "admin.token";
    static final int MIN_LENGTH = 16;

    private final byte[] digest;
    private final String source;

    private AdminToken(byte[] digest, String source) {
        this.digest = digest;
        this.source = source;
    }

    /**
     * @param token  the token as configured
     * @param source where it came from, for messages (a variable name or a file path, never the value)
     */
    static AdminToken of(String token, String source) {
        return new AdminToken(sha256(check(token, source)), source);
    }

    /**
     * Whether {@code presented} is the token. Both sides are hashed first: {@link MessageDigest#isEqual}
     * takes time independent of the bytes but not of the lengths, and digests have one length.
     */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    String source() {
        return source;
    }

    @Override
    public String toString() {
        return "AdminToken[from " + source + "]";
    }

    /** A new random token: 32 bytes from {@link SecureRandom} as 64 hex characters. */
    static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** The token in the first line of {@code file} (trimmed); the message of a failure names only the file. */
    static String read(Path file) throws IOException {
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
        warnIfReadableByOthers(file);
        return check(first, file.toString());
    }

    /**
     * Writes {@code token} to {@code file}, which must not exist yet: first to a temporary file
     * created with mode 0600 (so it is never readable by others, whatever the umask), then renamed,
     * so that a crash never leaves a half-written token behind.
     */
    static void writeNew(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".admin-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            tmp = Files.createTempFile(dir, ".admin-token", ".tmp");
        }
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The token of a node configured with none: the one in {@code <dataDir>/admin.token} if a
     * previous start wrote it (so operators' scripts keep working across restarts), else a new one
     * written there. Only the path is logged.
     */
    static AdminToken generatedIn(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                LOG.info("no admin token configured: using the one in {}", file);
                return of(read(file), file.toString());
            }
            String token = generate();
            writeNew(file, token);
            LOG.info("no admin token configured: generated one in {} (mode 0600); give it to ctl with --token-file",
                    file);
            return of(token, file.toString());
        } catch (FileAlreadyExistsException raced) {
            return generatedIn(dataDir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("admin.tokenFile", e.getMessage() + " (delete it to have a new one generated)");
        } catch (IOException e) {
            throw new ConfigException("admin.tokenFile", "none configured and cannot write a generated token to "
                    + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** The token a node uses: the configured one, else the generated one in its data directory. */
    static AdminToken forNode(ResolvedConfig config) {
        return config.adminToken() != null ? config.adminToken() : generatedIn(config.dataDir());
    }

    /** A token goes into an HTTP header: printable ASCII without spaces, and long enough not to be guessed. */
    private static String check(String token, String source) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin token from " + source + " must be at least " + MIN_LENGTH
                    + " characters");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c >= 127) {
                throw new IllegalArgumentException("the admin token from " + source
                        + " must be printable ASCII without spaces");
            }
        }
        return token;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("admin token file {} is readable by group or others; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
    }
}
