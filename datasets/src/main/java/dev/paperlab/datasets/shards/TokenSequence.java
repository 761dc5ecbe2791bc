package dev.paperlab.datasets.shards;

/** A read-only sequence of token ids, addressed by a 64-bit position. */
public interface TokenSequence {
    /** Number of tokens. */
    long size();

    /** Copies tokens {@code [from, from + length)} into {@code dst[offset..]}. */
    void read(long from, int[] dst, int offset, int length);

    /** The tokens {@code [from, to)} as a new sequence sharing this one's storage. */
    default TokenSequence slice(long from, long to) {
        if (from < 0 || to < from || to > size()) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is not within [0, " + size() + ")");
        }
        TokenSequence parent = this;
        return new TokenSequence() {
            @Override
            public long size() {
                return to - from;
            }

            @Override
            public void read(long start, int[] dst, int offset, int length) {
                if (start < 0 || start + length > to - from) {
                    throw new IndexOutOfBoundsException(
                            "tokens [" + start + ", " + (start + length) + ") of a slice of " + (to - from));
                }
                parent.read(from + start, dst, offset, length);
            }
        };
    }

    /** An in-memory sequence over {@code ids} (not copied). */
    static TokenSequence of(int[] ids) {
        return new TokenSequence() {
            @Override
            public long size() {
                return ids.length;
            }

            @Override
            public void read(long from, int[] dst, int offset, int length) {
                System.arraycopy(ids, Math.toIntExact(from), dst, offset, length);
            }
        };
    }
}
