package io.meridian.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a run's report.json and a self-contained report.html, and formats the stdout summary.
 */
public final class ReportWriter {

    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /** Writes {@value #JSON_FILE} and {@value #HTML_FILE} into {@code dir}, creating it if needed. */
    public static void write(RunReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(JSON_FILE), toJson(report));
        writeAtomically(dir.resolve(HTML_FILE), toHtml(report));
    }

    public static String toJson(RunReport report) {
        try {
            return MAPPER.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise report", e);
        }
    }

    public static String toHtml(RunReport report) {
        return HtmlReport.render(report);
    }

    /** A multi-line human summary for stdout, ending with the verdict and every violation. */
    public static String summary(RunReport report) {
        StringBuilder sb = new StringBuilder();
        int width = SummaryRows.of(report).stream().mapToInt(r -> r.label().length()).max().orElse(0) + 2;
        for (SummaryRows.Row row : SummaryRows.of(report)) {
            sb.append("  ").append(row.label()).append(" ".repeat(width - row.label().length())).append(row.value())
                    .append('\n');
        }
        if (report.passed()) {
            sb.append("PASS: no violations\n");
        } else {
            sb.append("FAIL: ").append(report.violations().size()).append(" violation(s)\n");
            report.violations().forEach(v -> sb.append("  - ").append(v).append('\n'));
        }
        return sb.toString();
    }

    /** Readers (a browser refreshing, a CI step) never see a half-written file. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
