package dev.paperlab.framework.algorithms.bloom;

import dev.paperlab.framework.algorithms.hashing.Murmur3;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A Bloom filter (Bloom, 1970) with double hashing (Kirsch and Mitzenmacher, 2006).
 *
 * <p>A set of {@code n} keys is stored in {@code m} bits with {@code k} hash functions; a key
 * is reported present when all its {@code k} bits are set, so there are no false negatives and
 * the false-positive rate is {@code p ~ (1 - e^(-kn/m))^k}. For a target {@code p} the optimum
 * is {@code m = -n ln p / (ln 2)^2} and {@code k = (m/n) ln 2} ({@link #optimalNumBits},
 * {@link #optimalNumHashes}). The {@code k} bit positions come from one 128-bit
 * {@link Murmur3} hash {@code (h1, h2)} as {@code g_i(x) = (h1 + i h2) mod m},
 * {@code i = 0..k-1}, which keeps the asymptotic false-positive rate of {@code k} independent
 * hashes.
 *
 * <p>Legend: {@code n} expected insertions, {@code p} target false-positive probability,
 * {@code m} bits, {@code k} hash functions.
 *
 * <p>Not thread-safe. {@link #toBytes()} writes a version byte, {@code k}, {@code m} and the
 * bit words; {@link #fromBytes(byte[])} checks them.
 */
public final class BloomFilter {
    /** Format version written first by {@link #toBytes()}. */
    public static final byte FORMAT_VERSION = 1;

    private static final int SEED = 0;
    private static final double LN2 = Math.log(2);

    private final long[] words;
    private final long numBits;
    private final int numHashes;

    private BloomFilter(long numBits, int numHashes, long[] words) {
        this.numBits = numBits;
        this.numHashes = numHashes;
        this.words = words;
    }

    /** A filter sized for {@code expectedInsertions} keys at false-positive rate {@code fpp}. */
    public static BloomFilter create(long expectedInsertions, double fpp) {
        long m = optimalNumBits(expectedInsertions, fpp);
        return withSize(m, optimalNumHashes(expectedInsertions, m));
    }

    /** A filter of exactly {@code numBits} bits and {@code numHashes} hash functions. */
    public static BloomFilter withSize(long numBits, int numHashes) {
        if (numBits < 1 || numBits > (long) Integer.MAX_VALUE * Long.SIZE) {
            throw new IllegalArgumentException(
                    "number of bits " + numBits + " must be in [1, " + (long) Integer.MAX_VALUE * 64 + "]");
        }
        if (numHashes < 1 || numHashes > 255) {
            throw new IllegalArgumentException("number of hashes " + numHashes + " must be in [1, 255]");
        }
        return new BloomFilter(numBits, numHashes, new long[(int) ((numBits + 63) >>> 6)]);
    }

    /**
     * Optimal bit count {@code m = ceil(-n ln p / (ln 2)^2)} for {@code n} keys at rate {@code p}:
     * it minimises {@code (1 - e^(-kn/m))^k} at {@code k = (m/n) ln 2}, where half the bits are set.
     */
    public static long optimalNumBits(long n, double p) {
        if (n <= 0) {
            throw new IllegalArgumentException("expected insertions must be > 0, got " + n);
        }
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("false-positive probability must be in (0, 1), got " + p);
        }
        return (long) Math.ceil(-n * Math.log(p) / (LN2 * LN2));
    }

    /** Optimal hash count {@code k = max(1, round((m/n) ln 2))} for {@code n} keys in {@code m} bits. */
    public static int optimalNumHashes(long n, long m) {
        if (n <= 0 || m <= 0) {
            throw new IllegalArgumentException("expected insertions and bits must be > 0, got n = " + n + ", m = " + m);
        }
        return (int) Math.max(1, Math.min(255, Math.round((double) m / n * LN2)));
    }

    /** Adds a 64-bit key; returns true if any bit changed (the key was surely new). */
    public boolean put(long key) {
        Murmur3.Hash128 h = Murmur3.hash128(key, SEED);
        return put(h.h1(), h.h2());
    }

    /** Adds a byte-string key; returns true if any bit changed. */
    public boolean put(byte[] key) {
        Murmur3.Hash128 h = Murmur3.hash128(key, SEED);
        return put(h.h1(), h.h2());
    }

    /** Adds a text key (hashed as UTF-8); returns true if any bit changed. */
    public boolean put(CharSequence key) {
        return put(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** False means the key was never added; true means it probably was. */
    public boolean mightContain(long key) {
        Murmur3.Hash128 h = Murmur3.hash128(key, SEED);
        return mightContain(h.h1(), h.h2());
    }

    /** {@link #mightContain(long)} for a byte-string key. */
    public boolean mightContain(byte[] key) {
        Murmur3.Hash128 h = Murmur3.hash128(key, SEED);
        return mightContain(h.h1(), h.h2());
    }

    /** {@link #mightContain(long)} for a text key. */
    public boolean mightContain(CharSequence key) {
        return mightContain(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The 128-bit key hash {@code (h1, h2)} that {@link #put(byte[])} and {@link
     * #mightContain(byte[])} use; hash once, then {@link #putHash}/{@link #mightContainHash} as often
     * as needed.
     */
    public static Murmur3.Hash128 hash(byte[] key) {
        return Murmur3.hash128(key, SEED);
    }

    /** {@link #hash(byte[])} of the {@code len} bytes of {@code key} from {@code off}. */
    public static Murmur3.Hash128 hash(byte[] key, int off, int len) {
        return Murmur3.hash128(key, off, len, SEED);
    }

    /** Adds a key given by its {@link #hash}; returns true if any bit changed. */
    public boolean putHash(long h1, long h2) {
        return put(h1, h2);
    }

    /** {@link #mightContain(byte[])} for a key given by its {@link #hash}. */
    public boolean mightContainHash(long h1, long h2) {
        return mightContain(h1, h2);
    }

    private boolean put(long h1, long h2) {
        boolean changed = false;
        long g = h1;
        for (int i = 0; i < numHashes; i++) {
            // g_i = h1 + i h2 (mod 2^64), then reduced mod m after clearing the sign bit.
            long bit = (g & Long.MAX_VALUE) % numBits;
            long mask = 1L << bit;
            int w = (int) (bit >>> 6);
            changed |= (words[w] & mask) == 0;
            words[w] |= mask;
            g += h2;
        }
        return changed;
    }

    private boolean mightContain(long h1, long h2) {
        long g = h1;
        for (int i = 0; i < numHashes; i++) {
            long bit = (g & Long.MAX_VALUE) % numBits;
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            g += h2;
        }
        return true;
    }

    /** A new filter holding the keys of both; they must have the same {@code m} and {@code k}. */
    public BloomFilter union(BloomFilter other) {
        if (other.numBits != numBits || other.numHashes != numHashes) {
            throw new IllegalArgumentException("cannot union filters of m = " + numBits + ", k = " + numHashes
                    + " and m = " + other.numBits + ", k = " + other.numHashes);
        }
        long[] out = words.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] |= other.words[i];
        }
        return new BloomFilter(numBits, numHashes, out);
    }

    /** Number of bits {@code m}. */
    public long numBits() {
        return numBits;
    }

    /** Number of hash functions {@code k}. */
    public int numHashes() {
        return numHashes;
    }

    /** Number of bits set. */
    public long bitCount() {
        long c = 0;
        for (long w : words) {
            c += Long.bitCount(w);
        }
        return c;
    }

    /** The false-positive rate implied by the bits now set: {@code (bitCount / m)^k}. */
    public double expectedFpp() {
        return Math.pow((double) bitCount() / numBits, numHashes);
    }

    /** Serialises as: version byte, {@code k} (1 byte), {@code m} (8 bytes), the bit words. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(10 + 8 * words.length);
        out.put(FORMAT_VERSION).put((byte) numHashes).putLong(numBits);
        for (long w : words) {
            out.putLong(w);
        }
        return out.array();
    }

    /** Reads {@link #toBytes()} output; throws IllegalArgumentException on a bad header or length. */
    public static BloomFilter fromBytes(byte[] bytes) {
        if (bytes.length < 10) {
            throw new IllegalArgumentException(
                    "Bloom filter data of " + bytes.length + " bytes is shorter than its 10-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "unsupported Bloom filter format version " + version + ", expected " + FORMAT_VERSION);
        }
        int k = in.get() & 0xff;
        long m = in.getLong();
        BloomFilter filter = withSize(m, k);
        long expected = 10L + 8L * filter.words.length;
        if (bytes.length != expected) {
            throw new IllegalArgumentException("Bloom filter data of " + bytes.length + " bytes does not match m = " + m
                    + " (expected " + expected + " bytes)");
        }
        for (int i = 0; i < filter.words.length; i++) {
            filter.words[i] = in.getLong();
        }
        return filter;
    }
}
