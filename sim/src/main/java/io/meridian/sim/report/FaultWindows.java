package io.meridian.sim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the run's timeline back into what the charts draw: fault windows (a crash until its
 * restart, a pause until its resume, an isolation or a node cut until the heal, slowed applies)
 * per region, role changes as points, and which region was primary when. The timeline's texts are
 * written by ScenarioContext; a text this class does not know is still listed in the events table.
 */
final class FaultWindows {

    /** What a window is, with its colour in the charts. */
    enum Kind {
        CRASH("#d62728"), PAUSE("#ff7f0e"), ISOLATE("#9467bd"), CUT("#8c564b"), SLOW("#17becf");

        final String colour;

        Kind(String colour) {
            this.colour = colour;
        }
    }

    record Window(String region, Kind kind, String label, long startMs, long endMs) { }

    /** A role change: the region that became primary, how. */
    record RoleChange(String region, long tMs, String label) { }

    private static final Pattern CRASH = Pattern.compile("^crashing (\\S+)");
    private static final Pattern RESTART = Pattern.compile("^restarting (\\S+)");
    private static final Pattern PAUSE = Pattern.compile("^pausing (\\S+)");
    private static final Pattern RESUME = Pattern.compile("^resuming (\\S+)");
    private static final Pattern ISOLATE = Pattern.compile("^isolating (\\S+) from");
    private static final Pattern CUT = Pattern.compile("^cutting (\\S+) off the WAN");
    private static final Pattern SLOW = Pattern.compile("^slowing every apply in (\\S+)");
    private static final Pattern UNSLOW = Pattern.compile("^applies in (\\S+) back to normal");
    private static final Pattern SWITCHED = Pattern.compile("^switchover to (\\S+) done");
    private static final Pattern PROMOTED = Pattern.compile("^(\\S+) promoted: epoch (\\d+)");

    final List<Window> windows = new ArrayList<>();
    final List<RoleChange> roleChanges = new ArrayList<>();

    private FaultWindows() {
    }

    static FaultWindows of(List<RunReport.TimelineEvent> events, long endMs) {
        FaultWindows w = new FaultWindows();
        Map<String, long[]> open = new LinkedHashMap<>();
        Map<String, Kind> kinds = new LinkedHashMap<>();
        for (RunReport.TimelineEvent e : events) {
            String text = e.event();
            Matcher m;
            if ((m = CRASH.matcher(text)).find()) {
                w.open(open, kinds, "crash " + m.group(1), Kind.CRASH, e.tMs());
            } else if ((m = RESTART.matcher(text)).find()) {
                w.close(open, kinds, "crash " + m.group(1), e.tMs());
            } else if ((m = PAUSE.matcher(text)).find()) {
                w.open(open, kinds, "pause " + m.group(1), Kind.PAUSE, e.tMs());
            } else if ((m = RESUME.matcher(text)).find()) {
                w.close(open, kinds, "pause " + m.group(1), e.tMs());
            } else if ((m = ISOLATE.matcher(text)).find()) {
                w.open(open, kinds, "isolated " + m.group(1), Kind.ISOLATE, e.tMs());
            } else if ((m = CUT.matcher(text)).find()) {
                w.open(open, kinds, "cut " + m.group(1), Kind.CUT, e.tMs());
            } else if (text.startsWith("healing every partition")) {
                for (String name : List.copyOf(open.keySet())) {
                    if (kinds.get(name) == Kind.ISOLATE || kinds.get(name) == Kind.CUT) {
                        w.close(open, kinds, name, e.tMs());
                    }
                }
            } else if ((m = SLOW.matcher(text)).find()) {
                w.open(open, kinds, "slow applies " + m.group(1), Kind.SLOW, e.tMs());
            } else if ((m = UNSLOW.matcher(text)).find()) {
                w.close(open, kinds, "slow applies " + m.group(1), e.tMs());
            } else if ((m = SWITCHED.matcher(text)).find()) {
                w.roleChanges.add(new RoleChange(m.group(1), e.tMs(), "switchover to " + m.group(1)));
            } else if ((m = PROMOTED.matcher(text)).find()) {
                w.roleChanges.add(new RoleChange(m.group(1), e.tMs(), m.group(1) + " promoted, epoch " + m.group(2)));
            }
        }
        for (String name : List.copyOf(open.keySet())) {
            w.close(open, kinds, name, endMs);
        }
        w.windows.sort(java.util.Comparator.comparingLong(Window::startMs));
        return w;
    }

    private void open(Map<String, long[]> open, Map<String, Kind> kinds, String name, Kind kind, long tMs) {
        open.putIfAbsent(name, new long[]{tMs});
        kinds.put(name, kind);
    }

    private void close(Map<String, long[]> open, Map<String, Kind> kinds, String name, long tMs) {
        long[] start = open.remove(name);
        if (start != null) {
            String target = name.substring(name.lastIndexOf(' ') + 1);
            windows.add(new Window(regionOf(target), kinds.get(name), name, start[0], tMs));
        }
    }

    /** "r0-2" is in region r0; a region name stands for itself. */
    static String regionOf(String nodeOrRegion) {
        int dash = nodeOrRegion.lastIndexOf('-');
        return dash > 0 && nodeOrRegion.startsWith("r") ? nodeOrRegion.substring(0, dash) : nodeOrRegion;
    }

    /** Which region was primary from when: the first region from 0, then every role change. */
    List<RoleChange> primaryPeriods(String initialPrimary) {
        List<RoleChange> periods = new ArrayList<>();
        periods.add(new RoleChange(initialPrimary, 0, "primary"));
        periods.addAll(roleChanges);
        return periods;
    }
}
