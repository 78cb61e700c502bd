package io.meridian.transport;

import org.agrona.BitUtil;

/**
 * The arithmetic linking Aeron's term length, the largest frame and the largest batch, kept in one
 * place so the transport, the batcher and configuration validation can never disagree.
 *
 * <p>Aeron carries a message of at most {@code termLength / 8} bytes. A frame is header + body + MAC;
 * a Batch body is a few fixed fields plus the entries bytes. {@link #BATCH_FRAME_OVERHEAD} bounds
 * everything but the entries bytes, assuming the sender's names stay within
 * {@link #MAX_SENDER_NAMES_BYTES} (checked by {@link AeronTransport.Context#conclude()}).
 *
 * <p>Why size the term instead of fragmenting batches ourselves: an own fragmentation layer needs a
 * new message type, a partial-send state that survives back-pressure across duty cycles and a
 * bounded reassembly buffer per sender, i.e. a second reliable-delivery layer on top of Aeron's. A
 * larger term costs only memory, and only where data actually flows: term files are sparse, so a
 * publication touches pages as it writes them. A 16 MiB term (what the 1 MiB default payload
 * needs) costs at most 3 x 16 MiB per publication that streams batches (one per remote region on
 * the shipping leader) and as much for the receiving image; pings, acks and handshakes touch a few
 * pages. Three regions therefore cost a few hundred MiB of /dev/shm at worst, on a 24 GiB machine.
 * Small payload limits keep the 1 MiB floor: {@link #termLengthFor} grows the term only as needed.
 */
public final class FrameLimits {

    /** Aeron's own rule for the largest message of a publication: a term must hold eight of them. */
    public static final int TERM_TO_MESSAGE_RATIO = 8;
    /** Region, node and endpoint names together, UTF-8, at most this long (plenty for host:port). */
    public static final int MAX_SENDER_NAMES_BYTES = 768;
    /** Header (with names at their max) + Batch fixed fields + MAC, rounded up. */
    public static final int BATCH_FRAME_OVERHEAD = 1024;
    /** The default and smallest term the node uses: 1 MiB, i.e. 128 KiB frames. */
    public static final int MIN_TERM_LENGTH = 1024 * 1024;
    /** Aeron's largest term length. */
    public static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;

    static {
        int fixedHeader = WireFormat.MIN_HEADER_LENGTH;
        int batchFields = 8 + 8 + 8 + 4 + 1 + 4 + 4 + 8 + 8; // epoch, first, last, count, compressed, uncompressed, bytes len, v2 stamps
        if (fixedHeader + MAX_SENDER_NAMES_BYTES + batchFields + FrameAuthenticator.MAC_LENGTH > BATCH_FRAME_OVERHEAD) {
            throw new ExceptionInInitializerError("BATCH_FRAME_OVERHEAD too small for the wire format");
        }
    }

    private FrameLimits() {
    }

    /** The largest frame a publication with this term length carries. */
    public static int maxMessageLength(int termLength) {
        return termLength / TERM_TO_MESSAGE_RATIO;
    }

    /** The largest entries bytes of one Batch that still fits one frame of this term length. */
    public static int maxBatchBytes(int termLength) {
        return maxMessageLength(termLength) - BATCH_FRAME_OVERHEAD;
    }

    /**
     * The smallest valid term length (a power of two, at least {@link #MIN_TERM_LENGTH}) whose frames
     * carry a Batch of {@code batchBytes} entries bytes.
     *
     * @throws IllegalArgumentException if no Aeron term is large enough
     */
    public static int termLengthFor(long batchBytes) {
        long needed = (batchBytes + BATCH_FRAME_OVERHEAD) * TERM_TO_MESSAGE_RATIO;
        if (batchBytes < 0 || needed > MAX_TERM_LENGTH) {
            throw new IllegalArgumentException("a batch of " + batchBytes + " bytes does not fit any Aeron term");
        }
        return Math.max(MIN_TERM_LENGTH, BitUtil.findNextPositivePowerOfTwo((int) needed));
    }
}
