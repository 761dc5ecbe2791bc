package dev.paperlab.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Algorithm 2 and DDIM: exact recovery with the true noise, DDIM(eta=1, S=T) = Algorithm 2, flat memory. */
class SamplersTest {

    /** The true eps of x_t = sqrt(a_t) x_0 + sqrt(1 - a_t) eps for a known x_0. */
    private static EpsilonModel trueNoise(NoiseSchedule s, NDArray x0) {
        return (xt, t) -> xt.sub(x0.mul((float) s.sqrtAlphaBar(t))).div((float) s.sqrtOneMinusAlphaBar(t));
    }

    /**
     * With the true noise, each step of Algorithm 2 has the posterior mean mu~(x_t, x_0) as its
     * mean, and at t = 1 the posterior is a point mass on x_0 (no noise is added there): the result
     * is x_0 whatever the noise drawn before. Likewise DDIM's x0^ is exactly x_0 at every step.
     * Float32 rounding of the last step is ~1e-6; 1e-4 is far from any sampler error (order 1).
     */
    @Test
    void trueNoiseRecoversX0() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            NDArray x0 = m.randomUniform(-1f, 1f, new Shape(4, 1, 8, 8));
            NDArray xT = m.randomNormal(x0.getShape());
            for (NoiseSchedule.Kind kind : NoiseSchedule.Kind.values()) {
                NoiseSchedule s = NoiseSchedule.of(kind, 1000);
                EpsilonModel oracle = trueNoise(s, x0);
                for (Samplers.Variance v : Samplers.Variance.values()) {
                    NDArray out = Samplers.ancestral(m, s, oracle, xT, v, Samplers.Observer.NONE);
                    assertClose(x0, out, 1e-4, "ancestral " + kind + " " + v);
                }
                NDArray ddim = Samplers.ddim(m, s, oracle, xT, 50, 0f, 0, Samplers.Observer.NONE);
                assertClose(x0, ddim, 1e-4, "DDIM eta 0 " + kind);
                NDArray ddim1 = Samplers.ddim(m, s, oracle, xT, 50, 1f, 0, Samplers.Observer.NONE);
                assertClose(x0, ddim1, 1e-4, "DDIM eta 1 " + kind);
                int[] quadratic = Samplers.ddimTimesteps(1000, 50, Samplers.Spacing.QUADRATIC);
                NDArray ddimQ = Samplers.ddim(m, s, oracle, xT, quadratic, 1f, 0, Samplers.Observer.NONE);
                assertClose(x0, ddimQ, 1e-4, "DDIM eta 1 quadratic " + kind);
            }
        }
    }

    /**
     * Clipping DDIM's predicted x_0: with the true noise it changes nothing (x_0 lies in [-1, 1]).
     * With a model that predicts no noise at all, x0^ = x_t / sqrt(alpha-bar_t) and the unclipped
     * deterministic sampler multiplies x_T by sqrt(alpha-bar_p / alpha-bar_t) at every step, about
     * 1/sqrt(alpha-bar_T') ~ 100 in all; clipped, every x0^ and so the last one, which is the sample,
     * lies in [-1, 1].
     */
    @Test
    void clippingDdimsPredictedX0BoundsTheSamples() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(13);
            NDArray x0 = m.randomUniform(-1f, 1f, new Shape(4, 1, 8, 8));
            NDArray xT = m.randomNormal(x0.getShape());
            NoiseSchedule s = NoiseSchedule.of("linear", 1000);
            EpsilonModel oracle = trueNoise(s, x0);
            assertClose(
                    x0, Samplers.ddim(m, s, oracle, xT, 20, 0f, 1.0, Samplers.Observer.NONE), 1e-4, "clip, true noise");
            EpsilonModel none = (xt, t) -> xt.zerosLike();
            NDArray free = Samplers.ddim(m, s, none, xT, 20, 0f, 0, Samplers.Observer.NONE);
            NDArray clipped = Samplers.ddim(m, s, none, xT, 20, 0f, 1.0, Samplers.Observer.NONE);
            assertTrue(
                    free.abs().max().getFloat() > 10f,
                    "unclipped max " + free.abs().max().getFloat());
            assertTrue(
                    clipped.abs().max().getFloat() <= 1f,
                    "clipped max " + clipped.abs().max().getFloat());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new SamplerConfig(
                            SamplerConfig.Kind.DDIM, 20, 0f, Samplers.Variance.BETA, -1, Samplers.Spacing.UNIFORM));
        }
    }

    /**
     * Song et al. §4.1: with eta = 1 and every timestep, DDIM's update is the DDPM ancestral
     * step with sigma_t^2 = beta~_t. Both draw their T - 1 noises from the engine RNG in the same
     * order, so from the same seed the two samplers give the same x_0 (float32 rounding over 100
     * steps: ~1e-5; 1e-3 tolerates it while a wrong coefficient moves x_0 by order 1).
     */
    @Test
    void ddimWithEtaOneOnAllStepsIsTheAncestralSampler() {
        NoiseSchedule s = NoiseSchedule.of("linear", 100);
        EpsilonModel linear = (xt, t) -> xt.mul(0.3f + t / 200f); // any smooth predictor
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xT = m.randomNormal(new Shape(3, 1, 4, 4));
            Engine.getInstance().setRandomSeed(5);
            NDArray a = Samplers.ancestral(m, s, linear, xT, Samplers.Variance.POSTERIOR, Samplers.Observer.NONE);
            Engine.getInstance().setRandomSeed(5);
            NDArray d = Samplers.ddim(m, s, linear, xT, 100, 1f, 0, Samplers.Observer.NONE);
            assertClose(a, d, 1e-3, "DDIM(eta=1, S=T) vs Algorithm 2");
            // and eta = 0 differs: the test can tell samplers apart
            NDArray d0 = Samplers.ddim(m, s, linear, xT, 100, 0f, 0, Samplers.Observer.NONE);
            assertTrue(a.sub(d0).abs().max().getFloat() > 0.1f);
        }
    }

    @Test
    void ddimTimestepsAreEvenlySpacedFromOne() {
        assertArrayEquals(new int[] {1, 21, 41}, java.util.Arrays.copyOf(Samplers.ddimTimesteps(1000, 50), 3));
        assertEquals(981, Samplers.ddimTimesteps(1000, 50)[49]);
        assertArrayEquals(new int[] {1, 2, 3}, Samplers.ddimTimesteps(3, 3));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Samplers.ddimTimesteps(100, 101));
        assertTrue(e.getMessage().contains("[1, T = 100], got 101"), e.getMessage());
    }

    /**
     * Quadratic selection (Song et al. 2020, D.2): tau_i = floor((i - 1)^2 T / S^2) + 1 wherever
     * that already exceeds tau_(i-1); its gaps never shrink, and it puts more steps below T / 4 than
     * the even spacing does.
     */
    @Test
    void quadraticDdimTimestepsCrowdSmallT() {
        int[] q = Samplers.ddimTimesteps(1000, 50, Samplers.Spacing.QUADRATIC);
        assertEquals(1, q[0]);
        assertEquals(251, q[25]); // 25^2 * 1000 / 50^2 + 1
        assertEquals(961, q[49]); // 49^2 * 1000 / 50^2 + 1
        for (int i = 1; i < q.length; i++) {
            assertTrue(q[i] > q[i - 1], "strictly increasing at " + i);
            if (i > 1) {
                assertTrue(q[i] - q[i - 1] >= q[i - 1] - q[i - 2], "gaps never shrink at " + i);
            }
            long exact = (long) i * i * 1000 / 2500 + 1;
            assertTrue(q[i] == exact || q[i] == q[i - 1] + 1 && exact <= q[i - 1], "tau at " + i);
        }
        int[] u = Samplers.ddimTimesteps(1000, 50);
        assertTrue(java.util.Arrays.stream(q).filter(t -> t <= 250).count()
                > java.util.Arrays.stream(u).filter(t -> t <= 250).count());
        assertArrayEquals(new int[] {1, 2, 3}, Samplers.ddimTimesteps(3, 3, Samplers.Spacing.QUADRATIC));
    }

    /** Timesteps given by hand must increase strictly within [1, T]. */
    @Test
    void ddimRejectsTimestepsOutOfOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseSchedule s = NoiseSchedule.of("linear", 100);
            NDArray xT = m.randomNormal(new Shape(1, 1, 4, 4));
            EpsilonModel none = (xt, t) -> xt.zerosLike();
            for (int[] bad : new int[][] {{0, 5}, {5, 5}, {1, 101}}) {
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class,
                        () -> Samplers.ddim(m, s, none, xT, bad, 0f, 0, Samplers.Observer.NONE));
                assertTrue(e.getMessage().contains("[1, T = 100], got " + java.util.Arrays.toString(bad)));
            }
        }
    }

    /** 1,000 ancestral steps of a small U-Net: the live NDArray count at step 10 equals that at step 990. */
    @Test
    void aThousandStepsKeepTheLiveArrayCountFlat() {
        UNet unet = UNet.builder()
                .optImage(1, 8)
                .optBaseChannels(8)
                .optChannelMultipliers(1, 2)
                .optGroups(4)
                .build();
        NoiseSchedule s = NoiseSchedule.of("linear", 1000);
        List<Integer> counts = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            unet.initialize(m, DataType.FLOAT32, new Shape(2, 1, 8, 8), new Shape(2));
            EpsilonModel model = DdpmTask.epsilonModel(unet, null, 0f);
            NDArray xT = m.randomNormal(new Shape(2, 1, 8, 8));
            NDArray out = Samplers.ancestral(m, s, model, xT, Samplers.Variance.BETA, (t, x) -> {
                if (t == 990 || t == 10) {
                    counts.add(liveArrays());
                }
            });
            assertTrue(Float.isFinite(out.sum().getFloat()));
        }
        assertEquals(2, counts.size());
        assertEquals(counts.get(0), counts.get(1), "live NDArrays at step 10 vs 990");
    }

    static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    static void assertClose(NDArray expected, NDArray actual, double tol, String what) {
        float err = expected.sub(actual).abs().max().getFloat();
        assertTrue(err < tol, what + ": max |difference| " + err);
    }

    @Test
    void guidanceIsEquationSixOfHoAndSalimans() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray c = m.create(new float[] {1f, -2f, 0.5f});
            NDArray u = m.create(new float[] {0.25f, 1f, -1f});
            assertArrayEquals(c.toFloatArray(), Guidance.combine(c, u, 0f).toFloatArray(), 0f);
            assertArrayEquals(u.toFloatArray(), Guidance.combine(c, u, -1f).toFloatArray(), 1e-7f);
            // w = 3: 4c - 3u, element by element
            assertArrayEquals(
                    new float[] {4 - 0.75f, -8 - 3, 2 + 3},
                    Guidance.combine(c, u, 3f).toFloatArray(),
                    1e-6f);
            assertThrows(IllegalArgumentException.class, () -> Guidance.combine(c, u.reshape(3, 1), 1f));
        }
    }

    /** A tiny class-conditional U-Net: 8x8 images, 3 classes. */
    private static UNet threeClassNet() {
        return UNet.builder()
                .optImage(1, 8)
                .optBaseChannels(8)
                .optChannelMultipliers(1, 2)
                .optGroups(4)
                .optClasses(3)
                .build();
    }

    /**
     * Balanced sampling: samples 1-5 of a 3-class net are of classes 1, 2, 0, 1, 2, drawn grouped
     * by class (one sample of class 0, then two of 1, then two of 2), each group from its own x_T
     * in that order; a fixed class draws every sample from that class; all clipped to [-1, 1].
     */
    @Test
    void balancedSamplesTakeClassesInTurn() {
        UNet unet = threeClassNet();
        NoiseSchedule s = NoiseSchedule.of("linear", 20);
        SamplerConfig ddim = SamplerConfig.ddim(4);
        try (NDManager m = NDManager.newBaseManager()) {
            unet.initialize(m, DataType.FLOAT32, new Shape(2, 1, 8, 8), new Shape(2), new Shape(2));
            Engine.getInstance().setRandomSeed(5);
            NDArray got = DdpmTask.sampleBalanced(m, unet, s, ddim, 5, 1, null, 1.5f);
            Engine.getInstance().setRandomSeed(5);
            NDList expected = new NDList();
            int[] perClass = {1, 2, 2};
            for (int c = 0; c < 3; c++) {
                NDArray xT = m.randomNormal(new Shape(perClass[c], 1, 8, 8));
                expected.add(
                        DdpmTask.run(m, s, DdpmTask.epsilonModel(unet, c, 1.5f), xT, ddim, Samplers.Observer.NONE));
            }
            assertClose(NDArrays.concat(expected).clip(-1f, 1f), got, 1e-6, "classes in turn");
            Engine.getInstance().setRandomSeed(5);
            NDArray fixed = DdpmTask.sampleBalanced(m, unet, s, ddim, 3, 0, 2, 1.5f);
            Engine.getInstance().setRandomSeed(5);
            NDArray xT = m.randomNormal(new Shape(3, 1, 8, 8));
            NDArray one = DdpmTask.run(m, s, DdpmTask.epsilonModel(unet, 2, 1.5f), xT, ddim, Samplers.Observer.NONE);
            assertClose(one.clip(-1f, 1f), fixed, 1e-6, "a fixed class");
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> DdpmTask.sampleBalanced(m, unet, s, ddim, 2, 0, 3, 0f));
            assertTrue(e.getMessage().contains("[0, 3), got 3"), e.getMessage());
        }
    }

    /**
     * A class-conditional U-Net: the guided prediction (one batched pass over [z; z]) equals Eq. 6
     * applied to the class prediction and the null-label prediction computed separately; w = 0 is
     * the class prediction alone.
     */
    @Test
    void guidedNetPredictionAppliesEquationSix() {
        UNet unet = threeClassNet();
        try (NDManager m = NDManager.newBaseManager()) {
            Shape x = new Shape(2, 1, 8, 8);
            unet.initialize(m, DataType.FLOAT32, x, new Shape(2), new Shape(2));
            NDArray z = m.randomNormal(x);
            NDArray cond = predict(unet, m, z, 7, 2);
            NDArray uncond = predict(unet, m, z, 7, 3); // the null label K = 3
            assertTrue(cond.sub(uncond).abs().max().getFloat() > 1e-4f, "labels must change the prediction");
            NDArray guided = DdpmTask.epsilonModel(unet, 2, 1.5f).epsilon(z, 7);
            assertClose(Guidance.combine(cond, uncond, 1.5f), guided, 1e-5, "guided");
            assertClose(cond, DdpmTask.epsilonModel(unet, 2, 0f).epsilon(z, 7), 1e-6, "w = 0");
            assertClose(uncond, DdpmTask.epsilonModel(unet, null, 0f).epsilon(z, 7), 1e-6, "no class");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> DdpmTask.epsilonModel(unet, 3, 1f));
            assertTrue(e.getMessage().contains("[0, 3), got 3"), e.getMessage());
        }
    }

    @Test
    void guidanceWithoutClassConditioningIsRefused() {
        UNet unet = UNet.builder()
                .optImage(1, 8)
                .optBaseChannels(8)
                .optChannelMultipliers(1)
                .optGroups(4)
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DdpmTask.epsilonModel(unet, null, 2f));
        assertTrue(e.getMessage().contains("need a class-conditional model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DdpmTask.epsilonModel(unet, 1, 0f));
        assertTrue(e.getMessage().contains("need a class-conditional model"), e.getMessage());
    }

    private static NDArray predict(UNet unet, NDManager m, NDArray z, int t, int label) {
        int b = (int) z.getShape().get(0);
        int[] ts = new int[b];
        int[] ys = new int[b];
        java.util.Arrays.fill(ts, t);
        java.util.Arrays.fill(ys, label);
        return unet.forward(
                        new ai.djl.training.ParameterStore(m, false), new NDList(z, m.create(ts), m.create(ys)), false)
                .head();
    }
}
