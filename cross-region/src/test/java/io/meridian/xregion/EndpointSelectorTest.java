package io.meridian.xregion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A remote region's membership changes under a shipper: the new list, the current target kept. */
@Timeout(10)
class EndpointSelectorTest {

    @Test
    void aNewListKeepsTheCurrentTargetAndRotatesThroughTheNewNodes() {
        EndpointSelector s = new EndpointSelector(List.of("a:1", "b:1", "c:1"));
        s.rotate();
        assertThat(s.current()).isEqualTo("b:1");

        s.replace(List.of("a:1", "b:1", "c:1", "d:1"));

        assertThat(s.current()).isEqualTo("b:1");
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.rotate()).isEqualTo("c:1");
        assertThat(s.rotate()).isEqualTo("d:1");
        assertThat(s.rotate()).isEqualTo("a:1");
    }

    @Test
    void aRemovedTargetStaysUntilItFailsThenTheListStartsOver() {
        EndpointSelector s = new EndpointSelector(List.of("a:1", "b:1"));
        s.replace(List.of("b:1", "c:1"));
        assertThat(s.current()).isEqualTo("a:1");
        assertThat(s.rotate()).isEqualTo("b:1");
        assertThat(s.rotate()).isEqualTo("c:1");
        s.replace(List.of());
        assertThat(s.size()).isEqualTo(2);
    }
}
