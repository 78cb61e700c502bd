package io.meridian.raft;

import io.meridian.wal.SessionTag;
import io.meridian.wal.WalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SessionTableTest {

    @Test
    void freshDuplicateStale() {
        SessionTable t = new SessionTable();
        SessionTag a3 = new SessionTag("a", 3);
        assertThat(t.check(a3)).isInstanceOf(SessionTable.Fresh.class);
        t.record(a3, 1, 10);
        assertThat(t.check(a3)).isEqualTo(new SessionTable.Duplicate(1, 10));
        assertThat(t.check(new SessionTag("a", 2))).isEqualTo(new SessionTable.Stale(3));
        assertThat(t.check(new SessionTag("a", 4))).isInstanceOf(SessionTable.Fresh.class);
    }

    @Test
    void evictsTheLeastRecentlyWrittenClientAndTheOrderSurvivesEncoding() throws Exception {
        SessionTable t = new SessionTable(2);
        t.record(new SessionTag("a", 1), 1, 1);
        t.record(new SessionTag("b", 1), 1, 2);
        t.record(new SessionTag("a", 2), 1, 3); // a is now the most recent
        SessionTable copy = SessionTable.decode(t.encode());
        t.record(new SessionTag("c", 1), 1, 4);
        assertThat(t.get("b")).isNull();
        assertThat(t.get("a")).isEqualTo(new SessionTable.Session(2, 1, 3));
        // The decoded copy evicts the same client: order is part of the replicated state.
        SessionTable bounded = new SessionTable(2);
        bounded.replaceWith(copy);
        bounded.record(new SessionTag("c", 1), 1, 4);
        assertThat(bounded.get("b")).isNull();
        assertThat(bounded.encode()).isEqualTo(t.encode());
        assertThat(SessionTable.decode(new byte[0]).size()).isZero();
    }

    @Test
    void theTagTravelsInTheWalEntry() {
        SessionTag tag = new SessionTag("c/client-1", 42);
        WalEntry e = new WalEntry(7, 7, 1, 1, "r0", 0, WalEntry.TYPE_SESSION_DATA, tag.wrap(new byte[] {1, 2, 3}));
        assertThat(SessionTag.of(e)).isEqualTo(tag);
        assertThat(SessionTag.userPayload(e)).containsExactly(1, 2, 3);
        assertThat(e.isData()).isTrue();
        RaftCommand.Write w = (RaftCommand.Write) RaftCommand.decode(java.nio.ByteBuffer.wrap(
                RaftCommand.encode(new RaftCommand.Write(1, 5, new byte[] {9}, tag))));
        assertThat(w.session()).isEqualTo(tag);
        assertThat(w.payload()).containsExactly(9);
    }
}
