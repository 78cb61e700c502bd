package io.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Regenerates the result tables of docs/benchmarks.md from a JMH JSON result file, keeping the
 * hand-written prose: only the {@code <!-- BEGIN:name -->}...{@code <!-- END:name -->} sections
 * change.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar io.meridian.bench.BenchTables \
 *     jmh/target/result.json docs/benchmarks.md "bin/bench short"
 * </pre>
 */
public final class BenchTables {

    private BenchTables() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: BenchTables <jmh-result.json> <benchmarks.md> <command that produced the results>");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path doc = Path.of(args[1]);
        String document = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "# Benchmarks\n";
        Files.writeString(doc, update(document, results, args[2]), StandardCharsets.UTF_8);
        System.out.println("updated " + doc + " from " + results);
    }

    /**
     * The document with its run description and the comparison tables this run measured regenerated.
     * A table the run did not measure keeps what an earlier run wrote (a focused run such as
     * {@code bin/bench long RegionCommitBenchmark} must not erase the others); every table names the
     * command and the day that produced it.
     */
    static String update(String document, Path results, String command) throws IOException {
        List<JmhMetric> metrics = JmhMetric.read(results);
        String updated = MarkdownBlocks.replace(document, "run", runDescription(results, command));
        String day = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
        for (Comparison comparison : Comparison.ALL) {
            boolean measured = metrics.stream().anyMatch(m -> m.id().equals(comparison.meridian()));
            if (!measured && MarkdownBlocks.has(updated, comparison.block())) {
                continue;
            }
            String table = ComparisonTable.render(comparison, metrics);
            updated = MarkdownBlocks.replace(updated, comparison.block(),
                    measured ? table + "\n_From `" + command + "`, " + day + "._\n" : table);
        }
        return updated;
    }

    private static String runDescription(Path results, String command) throws IOException {
        JsonNode root = new ObjectMapper().readTree(results.toFile());
        JsonNode first = root.size() > 0 ? root.get(0) : null;
        String jvm = first == null ? "java" : first.path("jvm").asText("java");
        StringBuilder out = new StringBuilder();
        out.append("Generated ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE))
                .append(" by `BenchTables` from `").append(results.getFileName()).append("`.\n\n");
        out.append(MachineInfo.describe(jvm)).append('\n');
        if (first != null) {
            out.append("- JDK: ").append(first.path("jdkVersion").asText()).append(", ")
                    .append(first.path("vmName").asText()).append(' ').append(first.path("vmVersion").asText())
                    .append('\n');
            out.append("- JMH ").append(first.path("jmhVersion").asText()).append(": ")
                    .append(first.path("forks").asInt()).append(" fork, ")
                    .append(first.path("warmupIterations").asInt()).append(" x ")
                    .append(first.path("warmupTime").asText()).append(" warmup, ")
                    .append(first.path("measurementIterations").asInt()).append(" x ")
                    .append(first.path("measurementTime").asText()).append(" measurement\n");
        }
        out.append("- Command: `").append(command).append("`\n");
        return out.toString();
    }
}
