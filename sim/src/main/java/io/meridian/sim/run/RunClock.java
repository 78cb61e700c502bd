package io.meridian.sim.run;

import io.meridian.sim.report.RunReport;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's time base (ms since start, as the history and report use it) and its fault timeline:
 * every event is printed as it happens and kept for the report. Thread-safe.
 */
public final class RunClock {

    private final long startNanos = System.nanoTime();
    private final PrintStream out;
    private final List<RunReport.TimelineEvent> events = new ArrayList<>();

    public RunClock(PrintStream out) {
        this.out = out;
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Nanoseconds since the start: the one clock every recorded operation is timed on. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The nanoTime of {@code ms} after the start. */
    public long nanosAt(long ms) {
        return startNanos + ms * 1_000_000;
    }

    /** Prints {@code [  12.3s] scenario: text} and records it in the timeline. */
    public void event(String text) {
        long t = elapsedMs();
        synchronized (this) {
            events.add(new RunReport.TimelineEvent(t, text));
        }
        out.println(String.format(Locale.US, "[%6.1fs] scenario: %s", t / 1000.0, text));
        out.flush();
    }

    public synchronized List<RunReport.TimelineEvent> events() {
        return new ArrayList<>(events);
    }

    public PrintStream out() {
        return out;
    }
}
