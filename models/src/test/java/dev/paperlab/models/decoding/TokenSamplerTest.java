package dev.paperlab.models.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.models.lm.DecoderLm;
import dev.paperlab.models.lm.LmConfig;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Sampling settings checked against sorting the distribution in doubles. */
class TokenSamplerTest {

    private static float[] randomLogits(long seed, int vocab) {
        Random random = new Random(seed);
        float[] z = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            z[i] = (float) (3 * random.nextGaussian());
        }
        return z;
    }

    /** Token ids by descending logit, ties by lower id: the reference order. */
    private static int[] sortedIds(float[] z) {
        return IntStream.range(0, z.length)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -z[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    @Property(tries = 200)
    void topKNeverEmitsATokenOutsideTheTopK(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 2, max = 60) int vocab,
            @ForAll @IntRange(min = 1, max = 60) int k,
            @ForAll @FloatRange(min = 0.05f, max = 3f) float temperature) {
        Assume.that(k <= vocab);
        float[] z = randomLogits(seed, vocab);
        Set<Integer> topK = new HashSet<>();
        Arrays.stream(sortedIds(z), 0, k).forEach(topK::add);
        SamplingConfig config = new SamplingConfig(temperature, k, 1f);
        TokenSampler.Candidates c = TokenSampler.candidates(z, config);
        assertEquals(topK, new HashSet<>(Arrays.stream(c.ids()).boxed().toList()));
        Random random = new Random(seed);
        for (int draw = 0; draw < 50; draw++) {
            int token = TokenSampler.sample(z, config, random);
            assertTrue(topK.contains(token), "token " + token + " is not in the top " + k);
        }
    }

    @Property(tries = 200)
    void topPKeepsTheSmallestPrefixThatReachesP(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 40) int vocab,
            @ForAll @FloatRange(min = 0.05f, max = 0.99f) float p) {
        float[] z = randomLogits(seed, vocab);
        int[] order = sortedIds(z);
        // softmax in doubles, summed in descending order until the mass reaches p
        double max = z[order[0]];
        double norm =
                Arrays.stream(order).mapToDouble(i -> Math.exp(z[i] - max)).sum();
        double mass = 0;
        int expected = 0;
        while (mass < p) {
            double before = mass;
            mass += Math.exp(z[order[expected++]] - max) / norm;
            Assume.that(Math.abs(mass - p) > 1e-5 && Math.abs(before - p) > 1e-5); // clear of rounding
        }
        TokenSampler.Candidates c = TokenSampler.candidates(z, new SamplingConfig(1f, 0, p));
        assertArrayEquals(Arrays.copyOf(order, expected), c.ids());
        Random random = new Random(seed);
        Set<Integer> kept = new HashSet<>(Arrays.stream(c.ids()).boxed().toList());
        for (int draw = 0; draw < 50; draw++) {
            assertTrue(kept.contains(TokenSampler.sample(z, new SamplingConfig(1f, 0, p), random)));
        }
    }

    @Property(tries = 50)
    void logSoftmaxIsTheLogOfTheNormalisedExponentials(@ForAll @LongRange(min = 0, max = 1000) long seed) {
        float[] z = randomLogits(seed, 17);
        double[] logp = TokenSampler.logSoftmax(z);
        double norm = 0;
        for (float x : z) {
            norm += Math.exp(x);
        }
        for (int i = 0; i < z.length; i++) {
            assertEquals(Math.log(Math.exp(z[i]) / norm), logp[i], 1e-9);
        }
    }

    @Property(tries = 5)
    void samplingWithASeedIsReproducible(@ForAll @LongRange(min = 0, max = 1000) long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            LmConfig config =
                    new LmConfig(11, 16, 1, 16, 2, 2, LmConfig.Kernel.CHUNKED, LmConfig.PositionKind.LEARNED, true, 0f);
            DecoderLm lm = DecoderLm.builder().optConfig(config).build();
            lm.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            SamplingConfig sampling = new SamplingConfig(1.2f, 6, 0.9f);
            Generator.Sequence a = Generator.sequence(lm, manager, new int[] {3}, 20, sampling, new Random(seed));
            Generator.Sequence b = Generator.sequence(lm, manager, new int[] {3}, 20, sampling, new Random(seed));
            assertArrayEquals(a.tokens(), b.tokens());
            assertEquals(a.logProb(), b.logProb(), 0.0);
        }
    }
}
