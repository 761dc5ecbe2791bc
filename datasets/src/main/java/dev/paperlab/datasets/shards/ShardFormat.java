package dev.paperlab.datasets.shards;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary layout of a token shard ({@code .bin}) and its document index ({@code .idx}), both
 * little-endian so that other tools (numpy's {@code memmap}) read them directly.
 *
 * <pre>
 *   shard-00003.bin   "PLTOKBIN" | version int32 | width int32 (2 or 4) | ids, width bytes each
 *   shard-00003.idx   "PLTOKIDX" | version int32 | 0 int32 | docs + 1 token offsets, int64 each
 * </pre>
 *
 * Ids are unsigned 16-bit when the vocabulary has at most 65,536 ids, else signed 32-bit. Document
 * {@code d} of a shard is tokens {@code [offset[d], offset[d+1])}; the last offset is the shard's
 * token count. Counts and CRC-32 checksums live in the manifest ({@link ShardManifest}).
 */
public final class ShardFormat {
    /** Format version of both files. */
    public static final int VERSION = 1;
    /** Bytes before the first id or offset. */
    public static final int HEADER_BYTES = 16;

    static final byte[] BIN_MAGIC = {'P', 'L', 'T', 'O', 'K', 'B', 'I', 'N'};
    static final byte[] IDX_MAGIC = {'P', 'L', 'T', 'O', 'K', 'I', 'D', 'X'};

    private ShardFormat() {}

    /** Bytes per id for a vocabulary of {@code vocabSize} ids: 2 up to 65,536 ids, else 4. */
    public static int tokenWidth(int vocabSize) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocabSize);
        }
        return vocabSize <= 1 << 16 ? 2 : 4;
    }

    /** The name of shard {@code i}'s token file, e.g. {@code shard-00003.bin}. */
    public static String binName(int shard) {
        return String.format("shard-%05d.bin", shard);
    }

    /** The name of shard {@code i}'s index file, e.g. {@code shard-00003.idx}. */
    public static String idxName(int shard) {
        return String.format("shard-%05d.idx", shard);
    }

    static byte[] header(byte[] magic, int field) {
        return ByteBuffer.allocate(HEADER_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(magic)
                .putInt(VERSION)
                .putInt(field)
                .array();
    }
}
