package io.meridian.sim.check.linear;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.sim.check.WriteRecord;
import io.meridian.sim.check.linear.Op.Outcome;
import io.meridian.sim.check.linear.SecondaryAnomaly.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LinearSecondaryReadsTest {

    /** Key "k" written by writes 1..4 at log indexes 3, 5, 8, 12; key "j" by write 9 at index 6. */
    private static final WriteOrder ORDER = WriteOrder.builder()
            .applied("k", 1, 3).applied("k", 2, 5).applied("k", 3, 8).applied("k", 4, 12)
            .applied("j", 9, 6)
            .build();

    private final List<SecondaryRead> reads = new ArrayList<>();
    private long nextId = 100;

    /** A read of "k" by {@code client} on {@code region} returning write {@code writeId}'s value (0 = absent). */
    private Op read(String client, String region, long writeId, long invoke, long complete) {
        String value = writeId == 0 ? null : ValueFormat.of(writeId) + "xxxx";
        return Op.read(nextId++, client, "k", value, invoke, complete, Outcome.OK, region);
    }

    private Op unbracketed(String client, String region, long writeId, long invoke, long complete) {
        Op op = read(client, region, writeId, invoke, complete);
        reads.add(SecondaryRead.of(op));
        return op;
    }

    /** A read by a client of its own, so that only the prefix check can object to it. */
    private Op bracketed(long writeId, long before, long after) {
        Op op = read("b" + nextId, "us", writeId, 0, 10);
        reads.add(new SecondaryRead(op, before, after));
        return op;
    }

    private SecondaryResult check() {
        return SecondaryReadChecker.check(reads, ORDER);
    }

    // ---- value format and write order ----

    @Test
    void valueFormatRoundTripsAndMatchesTheWorkloadsValues() {
        assertThat(ValueFormat.of(42)).isEqualTo("w42:");
        assertThat(ValueFormat.writeIdOf("w42:xxxxxxxx")).isEqualTo(42);
        assertThat(ValueFormat.writeIdOf(new String(WriteRecord.valueFor(7, 64), StandardCharsets.US_ASCII)))
                .isEqualTo(7);
        assertThat(ValueFormat.writeIdOf(null)).isEqualTo(-1);
        assertThat(ValueFormat.writeIdOf("w:")).isEqualTo(-1);
        assertThat(ValueFormat.writeIdOf("x42:")).isEqualTo(-1);
        assertThat(ValueFormat.writeIdOf("w42")).isEqualTo(-1);
        assertThat(ValueFormat.writeIdOf("w4a:")).isEqualTo(-1);
    }

    @Test
    void writeOrderPlacesValuesAndFindsWritesInARange() {
        assertThat(ORDER.indexOf("k", "w2:pad")).isEqualTo(5);
        assertThat(ORDER.indexOf("k", null)).isEqualTo(WriteOrder.ABSENT_INDEX);
        assertThat(ORDER.indexOf("k", "w9:")).as("write 9 is of another key").isEqualTo(WriteOrder.UNKNOWN);
        assertThat(ORDER.indexOf("k", "w77:")).isEqualTo(WriteOrder.UNKNOWN);
        assertThat(ORDER.firstWriteBetween("k", 3, 12)).isEqualTo(5);
        assertThat(ORDER.firstWriteBetween("k", 5, 7)).isEqualTo(-1);
        assertThat(ORDER.firstWriteBetween("k", 0, 3)).isEqualTo(3);
        assertThat(ORDER.firstWriteBetween("k", 12, 100)).isEqualTo(-1);
        assertThat(ORDER.firstWriteBetween("nope", 0, 100)).isEqualTo(-1);
        assertThat(ORDER.size()).isEqualTo(5);
    }

    // ---- monotonic reads ----

    @Test
    void cleanSecondaryReadsPass() {
        unbracketed("c1", "us", 0, 0, 10);
        unbracketed("c1", "us", 1, 20, 30);
        unbracketed("c1", "us", 1, 40, 50);
        unbracketed("c1", "us", 3, 60, 70);
        unbracketed("c2", "us", 2, 65, 75);   // another client may lag behind c1
        unbracketed("c1", "eu", 2, 80, 90);   // another region is another scope
        reads.add(SecondaryRead.of(Op.read(nextId++, "c1", "k", "w77:", 95, 99, Outcome.UNKNOWN, "us")));
        bracketed(2, 5, 7);
        bracketed(3, 8, 11);
        bracketed(0, 0, 2);

        SecondaryResult r = check();

        assertThat(r.anomalies()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.reads()).isEqualTo(10);
        assertThat(r.checkedReads()).isEqualTo(9);
    }

    @Test
    void olderValueAfterANewerOneIsANonMonotonicRead() {
        unbracketed("c1", "us", 1, 0, 10);
        Op newer = unbracketed("c1", "us", 3, 20, 30);
        unbracketed("c1", "us", 3, 40, 50);
        Op older = unbracketed("c1", "us", 2, 60, 70);

        SecondaryResult r = check();

        assertThat(r.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.NON_MONOTONIC_READ);
            assertThat(a.ops()).containsExactly(newer, older);
            assertThat(a.region()).isEqualTo("us");
            assertThat(a.description()).contains("log index 8", "log index 5", "#" + older.id());
        });
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void absentAfterAValueIsANonMonotonicRead() {
        unbracketed("c1", "us", 1, 0, 10);
        unbracketed("c1", "us", 0, 20, 30);

        assertThat(check().anomalies()).extracting(SecondaryAnomaly::kind).containsExactly(Kind.NON_MONOTONIC_READ);
    }

    @Test
    void overlappingReadsOfOneClientAreNotOrdered() {
        unbracketed("c1", "us", 3, 0, 50);
        unbracketed("c1", "us", 2, 10, 60);

        assertThat(check().ok()).isTrue();
    }

    // ---- prefix visibility ----

    @Test
    void valueOlderThanAWriteInsideTheAppliedPrefixIsAPrefixGap() {
        // The replica had applied up to 10 (so write 3 at index 8) yet shows write 2 (index 5).
        Op op = bracketed(2, 10, 10);

        SecondaryResult r = check();

        assertThat(r.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.PREFIX_GAP);
            assertThat(a.ops()).containsExactly(op);
            assertThat(a.description()).contains("applied up to index 10", "missing the write at index 8");
        });
    }

    @Test
    void absentKeyBehindAnAppliedWriteIsAPrefixGap() {
        bracketed(0, 2, 2);   // fine: the first write of k is at 3
        bracketed(0, 3, 4);   // not fine

        assertThat(check().anomalies()).extracting(SecondaryAnomaly::kind).containsExactly(Kind.PREFIX_GAP);
    }

    @Test
    void valueBeyondTheAppliedPrefixIsAFutureValue() {
        bracketed(4, 9, 11);  // write 4 is at index 12

        assertThat(check().anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.FUTURE_VALUE);
            assertThat(a.description()).contains("applied only up to index 11", "log index 12");
        });
    }

    @Test
    void valueNoWriteCarriesIsReported() {
        reads.add(SecondaryRead.of(Op.read(1, "c1", "k", "w77:", 0, 10, Outcome.OK, "us")));
        reads.add(SecondaryRead.of(Op.read(2, "c1", "k", "not-a-workload-value", 20, 30, Outcome.OK, "us")));

        assertThat(check().anomalies(Kind.UNKNOWN_VALUE)).hasSize(2);
    }

    @Test
    void resultSerialisesToJson() throws Exception {
        unbracketed("c1", "us", 3, 0, 10);
        unbracketed("c1", "us", 1, 20, 30);
        bracketed(1, 6, 6);

        SecondaryResult r = check();
        Map<String, Object> json = r.toJson();

        assertThat(json).containsEntry("verdict", "violation").containsEntry("reads", 3);
        assertThat(r.violationLines()).hasSize(2).allMatch(l -> l.startsWith("NON_MONOTONIC_READ: ")
                || l.startsWith("PREFIX_GAP: "));
        assertThat(new ObjectMapper().writeValueAsString(json))
                .contains("\"non_monotonic_read\":1", "\"prefix_gap\":1", "\"kind\":\"prefix_gap\"");
    }
}
