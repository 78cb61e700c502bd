package io.meridian.transport;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RejectReasonTest {

    @Test
    void codesNeverChangeAndRemovedCodesStayReserved() {
        Map<String, Integer> codes = new LinkedHashMap<>();
        Arrays.stream(RejectReason.values()).forEach(r -> codes.put(r.name(), r.code()));
        assertThat(codes).containsExactly(Map.entry("STALE_EPOCH", 1), Map.entry("NOT_LEADER", 2), Map.entry("GAP", 3),
                Map.entry("DIVERGED", 5), Map.entry("OVERLOADED", 7), Map.entry("UNKNOWN", 99));
        // 4 (BAD_SECRET) and 6 (NOT_PRIMARY) were never sent and are reserved: an old peer's code decodes as UNKNOWN.
        assertThat(RejectReason.fromCode(4)).isEqualTo(RejectReason.UNKNOWN);
        assertThat(RejectReason.fromCode(6)).isEqualTo(RejectReason.UNKNOWN);
        assertThat(RejectReason.fromCode(3)).isEqualTo(RejectReason.GAP);
    }
}
