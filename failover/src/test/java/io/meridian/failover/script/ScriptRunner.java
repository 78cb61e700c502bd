package io.meridian.failover.script;

import io.meridian.failover.CommandResult;
import io.meridian.failover.FailoverConfig;
import io.meridian.failover.RegionState;
import io.meridian.failover.Role;
import io.meridian.failover.RoleAction;
import io.meridian.failover.RoleMachine;
import io.meridian.failover.Voters;
import io.meridian.failover.WriteAdmission;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives a {@link RoleMachine} from a script; the grammar is in {@code src/test/resources/scripts/README.md}.
 *
 * <p>Every time in a script is shifted by {@code clockBase}, so one script also checks that nothing
 * depends on the absolute value of the monotonic clock (negative values, wrap-around).
 */
final class ScriptRunner {

    /** Action fields holding an absolute clock value, shifted by the clock base like input times. */
    private static final Set<String> TIME_FIELDS = Set.of("sentNanos");

    private final String name;
    private final long clockBase;
    private final List<RoleAction> pending = new ArrayList<>();
    private RoleMachine machine;
    private CommandResult lastResult;
    private long lastNanos;
    private int lineNo;

    ScriptRunner(String name, long clockBase) {
        this.name = name;
        this.clockBase = clockBase;
        this.lastNanos = clockBase;
    }

    void run(List<String> lines) {
        for (lineNo = 1; lineNo <= lines.size(); lineNo++) {
            final String line = lines.get(lineNo - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                execute(tokenize(line));
            } catch (final AssertionError | RuntimeException e) {
                throw new AssertionError(name + ":" + lineNo + ": `" + line + "`: " + e.getMessage(), e);
            }
        }
        if (!pending.isEmpty()) {
            throw new AssertionError(name + ": script ended with unexpected actions " + pending);
        }
    }

    private void execute(List<String> tokens) {
        final String command = tokens.get(0);
        final Args args = new Args(tokens.subList(1, tokens.size()));
        if (machine == null && !command.equals("config")) {
            throw new AssertionError("the first command must be config");
        }
        switch (command) {
            case "config" -> configure(args);
            case "state" -> {
                final long basis = args.longValue("basis", 0);
                machine.onRegionState(new RegionState(args.longValue("epoch"), args.text("primary"), basis + 1, basis,
                        args.longValue("fenced-by", 0), args.longValue("voted", 0), args.text("voted-for", "")), at(args));
            }
            case "commit-epoch" -> machine.onRegionState(machine.regionState()
                    .advance(args.longValue("epoch"), args.text("primary"), args.longValue("basis")), at(args));
            case "commit-fence" -> machine.onRegionState(machine.regionState().withFence(args.longValue("epoch")), at(args));
            case "leader" -> machine.onLeadership(args.bool(0), at(args));
            case "pong" -> machine.onPong(args.positional(0), time(args.text("sent")), at(args));
            case "tick" -> machine.tick(at(args));
            case "higher-epoch" -> machine.onHigherEpoch(args.longValue("epoch"), args.text("primary"), at(args));
            case "switchover" -> lastResult = machine.requestSwitchover(args.text("target"), args.longValue("last"), at(args));
            case "drain-index" -> machine.onDrainIndex(Long.parseLong(args.positional(0)));
            case "ack" -> machine.onRemoteAck(args.positional(0), args.longValue("index"), at(args));
            case "promote" -> lastResult = machine.requestPromotion(Boolean.parseBoolean(args.text("allow-data-loss")),
                    args.longValue("lag"), args.longValue("last"), at(args));
            case "vote" -> machine.onVote(args.positional(0), args.longValue("epoch"),
                    Boolean.parseBoolean(args.text("granted")), args.text("holder", ""), at(args));
            case "drop-actions" -> {
                machine.drainActions().forEach(pending::add);
                pending.clear();
            }
            case "expect" -> expect(args);
            default -> throw new AssertionError("unknown command '" + command + "'");
        }
        pending.addAll(machine.drainActions());
        args.checkAllUsed();
    }

    private void configure(Args args) {
        if (!pending.isEmpty()) {
            throw new AssertionError("unexpected actions before reconfiguring: " + pending);
        }
        final List<String> regions = Arrays.asList(args.text("regions").split(","));
        final String witness = args.text("witness", null);
        final FailoverConfig config = new FailoverConfig()
                .leaseNanos(duration(args.text("lease")))
                .leaseMarginNanos(duration(args.text("margin", "0ms")))
                .switchoverTimeoutNanos(duration(args.text("switchover-timeout", "5s")))
                .promotionVoteTimeoutNanos(duration(args.text("vote-timeout", "2s")))
                .voteResendIntervalNanos(duration(args.text("vote-resend", "1000s")));
        final Voters voters = witness == null ? Voters.of(regions) : Voters.withWitness(regions, witness);
        lastResult = null;
        machine = new RoleMachine(args.text("region"), voters, config,
                RegionState.initial(args.text("primary", regions.get(0))));
    }

    private void expect(Args args) {
        final String what = args.positional(0);
        switch (what) {
            case "admission" -> {
                final WriteAdmission admission = machine.admission(args.has("at") ? time(args.text("at")) : lastNanos);
                final String actual = admission.admitted() ? "ADMIT" : admission.refusal().name();
                check(actual.equals(args.positional(1)), "admission " + actual + " (" + admission.message() + ")");
                checkContains(admission.message(), args.contains("message"));
            }
            case "role" -> {
                final Role role = machine.role();
                check(role.name().equals(args.positional(1)), "role " + role);
            }
            case "result" -> {
                check(lastResult != null, "no command result yet");
                final String actual = lastResult.accepted() ? "ok" : "refused";
                check(actual.equals(args.positional(1)), "result " + actual + " (" + lastResult.message() + ")");
                checkContains(lastResult.message(), args.contains("message"));
                lastResult = null;
            }
            case "action" -> consumeAction(args.positional(1), args);
            case "no-actions" -> check(pending.isEmpty(), "pending actions " + pending);
            default -> throw new AssertionError("unknown expectation '" + what + "'");
        }
    }

    private void consumeAction(String type, Args args) {
        for (int i = 0; i < pending.size(); i++) {
            final RoleAction action = pending.get(i);
            if (action.getClass().getSimpleName().equals(type) && fieldsMatch(action, args)) {
                pending.remove(i);
                return;
            }
        }
        throw new AssertionError("no pending action " + type + " matching " + args.describeFields() + "; pending " + pending);
    }

    private boolean fieldsMatch(RoleAction action, Args args) {
        final Map<String, Object> values = new HashMap<>();
        for (final RecordComponent component : action.getClass().getRecordComponents()) {
            try {
                values.put(component.getName(), component.getAccessor().invoke(action));
            } catch (final ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        for (final Map.Entry<String, String> field : args.fields().entrySet()) {
            final String key = field.getKey();
            final boolean contains = key.endsWith("~");
            final String component = contains ? key.substring(0, key.length() - 1) : key;
            if (!values.containsKey(component)) {
                throw new AssertionError(action.getClass().getSimpleName() + " has no field '" + component + "'");
            }
            final Object value = values.get(component);
            final boolean ok;
            if (contains) {
                ok = String.valueOf(value).contains(field.getValue());
            } else if (value instanceof Long l) {
                ok = l == (TIME_FIELDS.contains(component) ? time(field.getValue()) : number(field.getValue()));
            } else if (value instanceof List<?> list) {
                ok = String.join(",", list.stream().map(String::valueOf).toList()).equals(field.getValue());
            } else {
                ok = String.valueOf(value).equals(field.getValue());
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private long at(Args args) {
        lastNanos = time(args.text("at"));
        return lastNanos;
    }

    private long time(String text) {
        return clockBase + duration(text);
    }

    private static long number(String text) {
        return text.matches("-?\\d+") ? Long.parseLong(text) : duration(text);
    }

    static long duration(String text) {
        final String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}};
        for (final String[] unit : units) {
            if (text.endsWith(unit[0]) && text.substring(0, text.length() - unit[0].length()).matches("-?\\d+")) {
                return Long.parseLong(text.substring(0, text.length() - unit[0].length())) * Long.parseLong(unit[1]);
            }
        }
        throw new AssertionError("'" + text + "' is not a duration such as 1500ms, 2s, 10us or 5ns");
    }

    private static void check(boolean condition, String actual) {
        if (!condition) {
            throw new AssertionError("got " + actual);
        }
    }

    private static void checkContains(String message, String expected) {
        if (expected != null && !message.contains(expected)) {
            throw new AssertionError("message '" + message + "' does not contain '" + expected + "'");
        }
    }

    static List<String> tokenize(String line) {
        final List<String> tokens = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (final char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!current.isEmpty()) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new AssertionError("unterminated quote");
        }
        if (!current.isEmpty()) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
