package dev.paperlab.models.tokenizer;

import java.util.Arrays;

/**
 * The ordinary vocabulary of a byte-level BPE: token bytes to rank and back. The rank of a token is
 * its id and its merge priority (lower merges first), as in OpenAI's {@code .tiktoken} files.
 *
 * <p>Lookups take a byte slice and allocate nothing: an open-addressing table of ids hashed by the
 * token bytes, which the encoder probes for every candidate pair.
 */
final class TokenRanks {
    private final byte[][] bytesOf; // rank -> token bytes; null where a rank is unused
    private final int[] slots; // hash slot -> rank + 1; 0 when empty
    private final int mask;
    private final int count;

    /**
     * @param bytesOf token bytes indexed by rank ({@code null} for unused ranks); every single byte
     *     must be a token so that any input can be encoded
     * @throws IllegalArgumentException on a duplicate token or a missing single byte
     */
    TokenRanks(byte[][] bytesOf) {
        this.bytesOf = bytesOf.clone();
        int n = 0;
        for (byte[] b : bytesOf) {
            n += b == null ? 0 : 1;
        }
        this.count = n;
        int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int rank = 0; rank < bytesOf.length; rank++) {
            byte[] b = bytesOf[rank];
            if (b == null) {
                continue;
            }
            if (b.length == 0) {
                throw new IllegalArgumentException("token of rank " + rank + " is empty");
            }
            int slot = hash(b, 0, b.length) & mask;
            while (slots[slot] != 0) {
                if (Arrays.equals(bytesOf[slots[slot] - 1], b)) {
                    throw new IllegalArgumentException(
                            "ranks " + (slots[slot] - 1) + " and " + rank + " have the same bytes");
                }
                slot = (slot + 1) & mask;
            }
            slots[slot] = rank + 1;
        }
        for (int v = 0; v < 256; v++) {
            if (rank(new byte[] {(byte) v}, 0, 1) < 0) {
                throw new IllegalArgumentException("the vocabulary lacks the single byte 0x" + Integer.toHexString(v));
            }
        }
    }

    private static int hash(byte[] b, int off, int len) {
        int h = len;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return (h ^ (h >>> 15)) * 0x9E3779B1 >>> 7;
    }

    /** Rank of the token with bytes {@code b[off, off + len)}, or -1 if it is not a token. */
    int rank(byte[] b, int off, int len) {
        int slot = hash(b, off, len) & mask;
        int id;
        while ((id = slots[slot]) != 0) {
            byte[] t = bytesOf[id - 1];
            if (t.length == len && Arrays.equals(t, 0, len, b, off, off + len)) {
                return id - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Bytes of the token of this rank, or {@code null} if the rank is unused. */
    byte[] bytes(int rank) {
        return rank >= 0 && rank < bytesOf.length ? bytesOf[rank] : null;
    }

    /** One past the largest rank. */
    int rankLimit() {
        return bytesOf.length;
    }

    /** Number of tokens. */
    int size() {
        return count;
    }
}
