package io.meridian;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;
import io.meridian.wal.WalReader;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a rejoining old primary's divergent tail — every WAL entry after the new primary's basis —
 * to a file before the node rewinds, so the exact set of writes the failover lost is on record.
 *
 * <p>Format: JSON lines, one object per entry:
 * {@code {"origin":"eu","index":1042,"epoch":1,"type":"DATA","timestamp_ms":...,"payload_b64":"..."}}.
 * The file is {@code divergent-tail-epoch<E>-after<basis>.jsonl}, written to a temp name and renamed.
 */
public final class DivergentTailExporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DivergentTailExporter() {
    }

    /** Exports entries {@code (basis, wal.lastIndex()]}; returns the file, or null if there were none. */
    static Path export(Wal wal, long basis, long newEpoch, Path dir) throws IOException {
        long from = Math.max(basis + 1, wal.firstIndex());
        if (from > wal.lastIndex()) {
            return null;
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("divergent-tail-epoch" + newEpoch + "-after" + basis + ".jsonl");
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp); WalReader reader = wal.openReader(from)) {
            for (WalEntry e = reader.next(); e != null; e = reader.next()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("origin", e.originRegion());
                line.put("index", e.index());
                line.put("epoch", e.epoch());
                line.put("type", e.isData() ? "DATA" : "CONTROL");
                line.put("timestamp_ms", e.timestampMillis());
                io.meridian.wal.SessionTag session = io.meridian.wal.SessionTag.of(e);
                if (session != null) {
                    line.put("client_id", session.clientId());
                    line.put("client_seq", session.sequence());
                }
                line.put("payload_b64", Base64.getEncoder().encodeToString(io.meridian.wal.SessionTag.userPayload(e)));
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** One exported entry, as read back by tools and the simulator's checker. */
    public record TailEntry(String origin, long index, long epoch, String type, long timestampMillis, byte[] payload) { }

    /** Reads a file written by {@link #export}. */
    public static List<TailEntry> read(Path file) throws IOException {
        List<TailEntry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            var node = JSON.readTree(line);
            entries.add(new TailEntry(node.get("origin").asText(), node.get("index").asLong(),
                    node.get("epoch").asLong(), node.get("type").asText(), node.get("timestamp_ms").asLong(),
                    Base64.getDecoder().decode(node.get("payload_b64").asText())));
        }
        return entries;
    }
}
