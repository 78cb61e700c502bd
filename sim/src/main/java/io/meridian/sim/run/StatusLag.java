package io.meridian.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.sim.report.RunReport;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a node process's inbound lag and lag anatomy out of its {@code /status} JSON. */
final class StatusLag {

    private StatusLag() {
    }

    static RunReport.Lag inbound(JsonNode status, String origin) {
        JsonNode in = status == null ? null : status.path("inbound").path(origin);
        if (in == null || in.isMissingNode()) {
            return new RunReport.Lag(0, 0, 0, 0);
        }
        return new RunReport.Lag(in.path("lag_ms_p50").asDouble(), in.path("lag_ms_p99").asDouble(),
                in.path("lag_ms_p999").asDouble(), in.path("lag_ms_max").asDouble());
    }

    static Map<String, RunReport.StageLag> anatomy(JsonNode status, String origin) {
        Map<String, RunReport.StageLag> out = new LinkedHashMap<>();
        JsonNode stages = status == null ? null : status.path("lag_anatomy").path(origin);
        if (stages == null || !stages.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = stages.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            out.put(e.getKey(), new RunReport.StageLag(s.path("count").asLong(), s.path("p50_us").asDouble(),
                    s.path("p90_us").asDouble(), s.path("p99_us").asDouble(), s.path("p999_us").asDouble(),
                    s.path("max_us").asDouble()));
        }
        return out;
    }
}
