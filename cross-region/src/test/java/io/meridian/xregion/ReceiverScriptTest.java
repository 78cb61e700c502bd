package io.meridian.xregion;

import io.meridian.xregion.ReceiverWindow.ReceiverAction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs every {@code receiver/*.txt} script against a fresh {@link ReceiverWindow}; the format is
 * described in {@code receiver/README.md}. Pure: no threads, no transport, no Raft.
 */
@Timeout(30)
class ReceiverScriptTest {

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/receiver").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no receiver scripts in " + dir);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    /** The runner itself can fail: a wrong field, a missing action and an unconsumed one are errors. */
    @org.junit.jupiter.api.Test
    void wrongExpectationsFail(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        for (String script : List.of(
                "region applied=10\nbatch epoch=1 first=11 last=12\nexpect propose fromIndex=12\n",
                "region applied=10\nbatch epoch=1 first=11 last=12\nexpect propose fromIndex=11\nexpect reply Ack\n",
                "region applied=10\nbatch epoch=1 first=11 last=12\n")) {
            Path f = Files.writeString(dir.resolve("bad.txt"), script);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(f)).isInstanceOf(AssertionError.class);
        }
    }

    static void run(Path file) throws IOException {
        ReceiverWindow window = new ReceiverWindow();
        Deque<ReceiverAction> pending = new ArrayDeque<>();
        ReceiverWindow.View view = new ReceiverWindow.View(true, 0, 0, 1, "eu", false, "");
        List<String> lines = Files.readAllLines(file);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file.getFileName() + ":" + n + ": " + line;
            String[] words = line.split("\\s+");
            Map<String, String> args = args(words, where);
            try {
                switch (words[0]) {
                    case "region" -> view = view(view, args);
                    case "handshake" -> pending.addAll(window.onHandshake(view, num(args, "epoch"),
                            args.getOrDefault("primary", "")));
                    case "batch" -> pending.addAll(window.onBatch(view, args.getOrDefault("from", "eu"),
                            num(args, "epoch"), num(args, "first"), num(args, "last")));
                    case "done" -> pending.addAll(window.onProposalDone(view, outcome(words[1], args)));
                    case "malformed" -> window.onMalformed(view);
                    case "leadership-change" -> window.onLeadershipChange();
                    case "expect" -> expect(words, args, pending, window, where);
                    default -> throw new IllegalArgumentException("unknown command");
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(where + "\n  " + e.getMessage(), e);
            }
        }
        if (!pending.isEmpty()) {
            throw new AssertionError(file.getFileName() + ": unconsumed actions at the end: " + pending);
        }
    }

    private static void expect(String[] words, Map<String, String> args, Deque<ReceiverAction> pending,
                               ReceiverWindow window, String where) {
        switch (words[1]) {
            case "no-actions" -> {
                if (!pending.isEmpty()) {
                    throw new AssertionError("expected no actions, got " + pending);
                }
            }
            case "frontier" -> {
                long want = Long.parseLong(words[2]);
                if (window.frontier() != want) {
                    throw new AssertionError("frontier is " + window.frontier() + ", expected " + want);
                }
            }
            case "reply", "fence", "propose" -> {
                ReceiverAction next = pending.pollFirst();
                if (next == null) {
                    throw new AssertionError("expected " + words[1] + ", got no action");
                }
                Object subject = next;
                if (words[1].equals("reply")) {
                    if (!(next instanceof ReceiverAction.Reply r)) {
                        throw new AssertionError("expected a reply, got " + next);
                    }
                    subject = r.message();
                    if (!subject.getClass().getSimpleName().equals(words[2])) {
                        throw new AssertionError("expected a " + words[2] + " reply, got " + subject);
                    }
                } else if (!next.getClass().getSimpleName().equalsIgnoreCase(words[1])) {
                    throw new AssertionError("expected " + words[1] + ", got " + next);
                }
                for (Map.Entry<String, String> a : args.entrySet()) {
                    String actual = component(subject, a.getKey());
                    if (!actual.equals(a.getValue())) {
                        throw new AssertionError(a.getKey() + " is " + actual + ", expected " + a.getValue() + " in "
                                + subject);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown expectation");
        }
    }

    private static String component(Object record, String name) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    return String.valueOf(c.getAccessor().invoke(record));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException("no field " + name + " in " + record);
    }

    private static ReceiverWindow.View view(ReceiverWindow.View v, Map<String, String> a) {
        long epoch = a.containsKey("epoch") ? num(a, "epoch") : v.knownEpoch();
        return new ReceiverWindow.View(
                a.containsKey("leader") ? Boolean.parseBoolean(a.get("leader")) : v.leader(),
                a.containsKey("applied") ? num(a, "applied") : v.appliedIndex(),
                a.containsKey("applied-epoch") ? num(a, "applied-epoch") : epoch,
                epoch,
                a.getOrDefault("primary", v.knownPrimary()),
                a.containsKey("primary-here") ? Boolean.parseBoolean(a.get("primary-here")) : v.primaryHere(),
                a.getOrDefault("hint", v.leaderHint()));
    }

    private static ReceiverWindow.Outcome outcome(String kind, Map<String, String> a) {
        return switch (kind) {
            case "applied" -> new ReceiverWindow.Outcome.Applied(num(a, "index"));
            case "gap" -> new ReceiverWindow.Outcome.Gap(num(a, "expected"));
            case "stale" -> new ReceiverWindow.Outcome.Stale(num(a, "epoch"), a.get("primary"));
            case "failed" -> new ReceiverWindow.Outcome.Failed(a.getOrDefault("reason", "failed"));
            default -> throw new IllegalArgumentException("unknown outcome " + kind);
        };
    }

    private static Map<String, String> args(String[] words, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                out.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return out;
    }

    private static long num(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return Long.parseLong(v);
    }
}
