package dev.paperlab.framework.algorithms.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Murmur3Test {

    private static Murmur3.Hash128 fromDigest(HashCode code) {
        ByteBuffer b = ByteBuffer.wrap(code.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
        return new Murmur3.Hash128(b.getLong(), b.getLong());
    }

    @Test
    void publishedVectors() {
        // MurmurHash3_x64_128("The quick brown fox jumps over the lazy dog", seed 0)
        // = 6c1b07bc7bbc4be347939ac4a93c437a (digest bytes, little-endian halves).
        Murmur3.Hash128 fox =
                Murmur3.hash128("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals(0xe34bbc7bbc071b6cL, fox.h1());
        assertEquals(0x7a433ca9c49a9347L, fox.h2());
        // The empty input with seed 0 hashes to all zeros.
        assertEquals(new Murmur3.Hash128(0, 0), Murmur3.hash128(new byte[0], 0));
    }

    // Guava sign-extends a negative seed where the reference zero-extends it (uint32_t), so the
    // two agree only on seeds >= 0.
    @Property(tries = 500)
    void equalsGuavaOnEveryTailLength(
            @ForAll long seed, @ForAll @IntRange(max = 70) int len, @ForAll @IntRange int hashSeed) {
        byte[] data = new byte[len];
        new Random(seed).nextBytes(data);
        assertEquals(fromDigest(Hashing.murmur3_128(hashSeed).hashBytes(data)), Murmur3.hash128(data, hashSeed));
    }

    @Property(tries = 300)
    void longHashEqualsItsLittleEndianBytes(@ForAll long value, @ForAll @IntRange int hashSeed) {
        byte[] le = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(value)
                .array();
        Murmur3.Hash128 h = Murmur3.hash128(value, hashSeed);
        assertEquals(Murmur3.hash128(le, hashSeed), h);
        assertEquals(fromDigest(Hashing.murmur3_128(hashSeed).hashLong(value)), h);
        assertEquals(h.h1(), Murmur3.hash64(value, hashSeed));
    }

    @Test
    void offsetRangeIsHashedAlone() {
        byte[] data = "xxhelloyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(Murmur3.hash128("hello", 7), Murmur3.hash128(data, 2, 5, 7));
    }

    @Test
    void rejectsRangesOutsideTheArray() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Murmur3.hash128(new byte[4], 3, 2, 0));
        assertTrue(e.getMessage().contains("off=3") && e.getMessage().contains("len=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Murmur3.hash128(new byte[4], -1, 1, 0));
    }
}
