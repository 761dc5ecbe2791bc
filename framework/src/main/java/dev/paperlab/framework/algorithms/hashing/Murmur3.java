package dev.paperlab.framework.algorithms.hashing;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3, the x64 128-bit variant (Appleby, 2011), written from its specification.
 *
 * <p>The input is read as little-endian 16-byte blocks {@code (k1, k2)}; each block is mixed
 * into the state {@code (h1, h2)}, the 0..15 tail bytes are mixed the same way, and both halves
 * pass through the finaliser {@code fmix64}. The result equals the reference C++
 * {@code MurmurHash3_x64_128} (and Guava's {@code murmur3_128}): {@link Hash128#h1()} is the
 * first 8 little-endian bytes of the 16-byte digest.
 *
 * <p>{@link #hash128(long, int)} hashes the 8 little-endian bytes of a {@code long} without
 * allocating a byte array.
 */
public final class Murmur3 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {}

    /** The two 64-bit halves of a 128-bit hash, in digest order. */
    public record Hash128(long h1, long h2) {}

    /** Hashes all of {@code data}. */
    public static Hash128 hash128(byte[] data, int seed) {
        return hash128(data, 0, data.length, seed);
    }

    /** Hashes the UTF-8 bytes of {@code text}. */
    public static Hash128 hash128(CharSequence text, int seed) {
        return hash128(text.toString().getBytes(StandardCharsets.UTF_8), seed);
    }

    /** Hashes {@code len} bytes of {@code data} from {@code off}. */
    public static Hash128 hash128(byte[] data, int off, int len, int seed) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new IllegalArgumentException(
                    "range off=" + off + " len=" + len + " is outside an array of " + data.length);
        }
        long h1 = seed & 0xffffffffL;
        long h2 = h1;
        int blocks = len >>> 4;
        for (int b = 0; b < blocks; b++) {
            int i = off + (b << 4);
            long k1 = littleEndianLong(data, i);
            long k2 = littleEndianLong(data, i + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = off + (blocks << 4);
        int rest = len & 15;
        long k1 = 0;
        long k2 = 0;
        // Tail bytes 8..14 go to k2 and 0..7 to k1, little-endian, as in the reference switch.
        for (int j = rest - 1; j >= 8; j--) {
            k2 |= (data[tail + j] & 0xffL) << ((j - 8) << 3);
        }
        for (int j = Math.min(rest, 8) - 1; j >= 0; j--) {
            k1 |= (data[tail + j] & 0xffL) << (j << 3);
        }
        if (rest > 8) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }
        return finish(h1, h2, len);
    }

    /** Hashes the 8 little-endian bytes of {@code value}; equals {@code hash128(bytesLE(value))}. */
    public static Hash128 hash128(long value, int seed) {
        long h1 = seed & 0xffffffffL;
        long h2 = h1;
        h1 ^= mixK1(value);
        return finish(h1, h2, 8);
    }

    /** The first 64 bits ({@code h1}) of {@link #hash128(long, int)}. */
    public static long hash64(long value, int seed) {
        long h1 = seed & 0xffffffffL;
        long h2 = h1;
        h1 ^= mixK1(value);
        h1 ^= 8;
        h2 ^= 8;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        return h1 + h2;
    }

    /** The 64-bit finaliser: an avalanche mix in which every input bit affects every output bit. */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static Hash128 finish(long h1, long h2, int len) {
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new Hash128(h1, h2);
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long littleEndianLong(byte[] b, int i) {
        return (b[i] & 0xffL)
                | (b[i + 1] & 0xffL) << 8
                | (b[i + 2] & 0xffL) << 16
                | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32
                | (b[i + 5] & 0xffL) << 40
                | (b[i + 6] & 0xffL) << 48
                | (b[i + 7] & 0xffL) << 56;
    }
}
