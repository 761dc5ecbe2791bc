package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.optim.Adam;
import dev.paperlab.training.optim.MultiTensorOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The multi-tensor Adam step ({@link MultiTensorOptimizer}, taken by {@link TrainedPart#step}) must
 * move every weight exactly as the per-parameter update does. Both run the same float operations on
 * each element (elementwise IEEE add, sub, mul, div, sqrt with the same float scalars), only over
 * one flat buffer instead of one per parameter, so the weights must be bit-identical, not merely
 * close; the same holds for the checkpointed moments.
 */
class MultiTensorStepTest {
    private static final int STEPS = 6;
    private static final Shape INPUT = new Shape(16, 5);

    /** Hides {@link MultiTensorOptimizer} so that {@link TrainedPart#step} loops per parameter. */
    private static final class PerParameter extends Optimizer {
        private final Adam adam;

        PerParameter(Adam adam) {
            super(Adam.builder());
            this.adam = adam;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            adam.update(parameterId, weight, grad);
        }
    }

    private static TrainedPart part(Optimizer optimizer) {
        Engine.getInstance().setRandomSeed(7); // both parts start from the same weights
        SequentialBlock mlp = new SequentialBlock()
                .add(Linear.builder().setUnits(9).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
        return Parts.create("mlp", mlp, new SquaredErrorLoss(), optimizer, Device.cpu(), INPUT);
    }

    /** Runs {@code steps} updates on fixed data; skips {@code skipped} on the steps in {@code at}. */
    private static void train(TrainedPart part, int steps, String skipped, Set<Integer> at) {
        try (NDManager data = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDArray x = data.randomNormal(INPUT);
            NDArray y = data.randomNormal(new Shape(16, 3));
            Parameter skip = skipped == null
                    ? null
                    : part.model().getBlock().getParameters().get(skipped);
            for (int s = 0; s < steps; s++) {
                try (NDManager scope = part.trainer().getManager().newSubManager()) {
                    NDArray sx = x.duplicate();
                    sx.attach(scope);
                    Supplier<NDArray> loss = () -> part.trainer()
                            .forward(new NDList(sx))
                            .head()
                            .sub(y)
                            .square()
                            .mean();
                    part.update(loss, GradientHook.NONE, at.contains(s) ? Set.of(skip) : Set.of());
                }
            }
        }
    }

    private static Map<String, float[]> weights(TrainedPart part) {
        Map<String, float[]> out = new HashMap<>();
        part.model()
                .getBlock()
                .getParameters()
                .forEach(p -> out.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return out;
    }

    private static byte[] state(TrainedPart part, Adam adam) throws IOException {
        Map<String, String> idToName = new HashMap<>();
        part.model()
                .getBlock()
                .getParameters()
                .forEach(p -> idToName.put(p.getValue().getId(), p.getKey()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            adam.saveState(out, idToName::get);
        }
        return bytes.toByteArray();
    }

    /** Trains a multi-tensor part and a per-parameter part side by side; both must agree bit for bit. */
    private static void assertSameAsPerParameter(Supplier<Adam> config, String skipped, Set<Integer> at)
            throws IOException {
        Adam fast = config.get();
        Adam slow = config.get();
        TrainedPart multi = part(fast);
        TrainedPart loop = part(new PerParameter(slow));
        try (var mm = multi.model();
                var mt = multi.trainer();
                var lm = loop.model();
                var lt = loop.trainer()) {
            Map<String, float[]> start = weights(multi);
            train(multi, STEPS, skipped, at);
            train(loop, STEPS, skipped, at);
            Map<String, float[]> a = weights(multi);
            Map<String, float[]> b = weights(loop);
            assertEquals(b.keySet(), a.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(b.get(name), a.get(name), 0f, name);
                // the weights must have moved, or equality proves nothing
                boolean frozen = skipped != null && skipped.equals(name) && at.size() == STEPS;
                assertEquals(!frozen, maxDiff(start.get(name), a.get(name)) > 1e-4, name + " moved");
            }
            assertArrayEquals(state(loop, slow), state(multi, fast), "checkpointed moments");
            // a parameter skipped on the last step keeps its gradient, as in the per-parameter loop
            String kept = at.contains(STEPS - 1) ? skipped : null;
            for (float[] grad : gradients(multi, kept)) {
                assertArrayEquals(new float[grad.length], grad, 0f, "gradient zeroed after the update");
            }
        }
    }

    private static List<float[]> gradients(TrainedPart part, String except) {
        List<float[]> out = new ArrayList<>();
        part.model().getBlock().getParameters().forEach(p -> {
            if (p.getKey().equals(except)) {
                return;
            }
            try (NDArray grad = p.getValue().getArray().getGradient()) {
                out.add(grad.toFloatArray());
            }
        });
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void adamPaperEpsilonMatchesPerParameterBitForBit() throws IOException {
        assertSameAsPerParameter(() -> Adam.builder().optLearningRate(0.01f).build(), null, Set.of());
    }

    @Test
    void adamEfficientEpsilonWithCoupledDecayMatches() throws IOException {
        assertSameAsPerParameter(
                () -> Adam.builder()
                        .optLearningRate(0.01f)
                        .optWeightDecays(0.1f)
                        .optEpsilonPlacement(Adam.EpsilonPlacement.EFFICIENT)
                        .build(),
                null,
                Set.of());
    }

    @Test
    void adamWWithDecayingLearningRateMatches() throws IOException {
        assertSameAsPerParameter(
                () -> Adam.builder()
                        .optLearningRateTracker(Tracker.factor()
                                .setBaseValue(0.02f)
                                .setFactor(0.7f)
                                .build())
                        .optWeightDecays(0.3f)
                        .optDecoupledWeightDecay(true)
                        .optClipGrad(0.05f)
                        .build(),
                null,
                Set.of());
    }

    /** A parameter skipped on some steps falls behind in step count; the rest must still match. */
    @Test
    void skippedParameterStaysAndOthersMatch() throws IOException {
        assertSameAsPerParameter(() -> Adam.builder().optLearningRate(0.01f).build(), "01Linear_bias", Set.of(1, 2));
        assertSameAsPerParameter(
                () -> Adam.builder().optLearningRate(0.01f).build(), "01Linear_weight", Set.of(0, 1, 2, 3, 4, 5));
    }

    /**
     * A learning rate per parameter: the parameters cannot share one flat step. Ids differ between
     * the two models, so the rate follows the order in which a tracker first sees a parameter.
     */
    @Test
    void perParameterLearningRateMatches() throws IOException {
        assertSameAsPerParameter(
                () -> {
                    Map<String, Float> base = new HashMap<>();
                    ParameterTracker byParameter =
                            (id, t) -> base.computeIfAbsent(id, k -> 0.01f * (1 + base.size() % 3)) / t;
                    return Adam.builder().optLearningRateTracker(byParameter).build();
                },
                null,
                Set.of());
    }

    /**
     * Moments loaded from a checkpoint (per parameter name, the unchanged format) replace the flat
     * buffers: loading the per-parameter run's state into the multi-tensor run and continuing both
     * keeps them identical, and a skipped step in between changes nothing about that.
     */
    @Test
    void resumesFromPerParameterStateExactly() throws IOException {
        Adam fast = Adam.builder().optLearningRate(0.01f).build();
        Adam slow = Adam.builder().optLearningRate(0.01f).build();
        TrainedPart multi = part(fast);
        TrainedPart loop = part(new PerParameter(slow));
        try (var mm = multi.model();
                var mt = multi.trainer();
                var lm = loop.model();
                var lt = loop.trainer()) {
            train(multi, 3, null, Set.of());
            train(loop, 3, null, Set.of());
            byte[] saved = state(loop, slow);
            Map<String, String> nameToId = new HashMap<>();
            multi.model()
                    .getBlock()
                    .getParameters()
                    .forEach(p -> nameToId.put(p.getKey(), p.getValue().getId()));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
                fast.loadState(multi.model().getNDManager(), in, nameToId::get);
            }
            assertEquals(3, fast.stepCount(nameToId.get("01Linear_weight")));
            train(multi, 3, null, Set.of());
            train(loop, 3, null, Set.of());
            Map<String, float[]> a = weights(multi);
            Map<String, float[]> b = weights(loop);
            for (String name : a.keySet()) {
                assertArrayEquals(b.get(name), a.get(name), 0f, name);
            }
            assertArrayEquals(state(loop, slow), state(multi, fast));
        }
    }

    /**
     * Scoping: the flat buffers and their views are made once, and again when the list of
     * parameters changes (here from all four to three by a permanently skipped bias); nothing else
     * stays on the model's manager from one step to the next.
     */
    @Test
    void noArraysAccumulateAcrossSteps() {
        TrainedPart multi = part(Adam.builder().optLearningRate(0.01f).build());
        try (var mm = multi.model();
                var mt = multi.trainer()) {
            train(multi, 2, null, Set.of());
            int first = multi.model().getNDManager().getManagedArrays().size();
            train(multi, 4, null, Set.of());
            assertEquals(first, multi.model().getNDManager().getManagedArrays().size());
            Set<Integer> always = Set.of(0, 1, 2, 3);
            train(multi, 2, "03Linear_bias", always);
            int rebuilt = multi.model().getNDManager().getManagedArrays().size();
            train(multi, 4, "03Linear_bias", always);
            assertEquals(
                    rebuilt, multi.model().getNDManager().getManagedArrays().size());
            // old flat handles closed; the skipped bias keeps its two moment views for when it returns
            assertEquals(first, rebuilt, "arrays after the rebuild");
        }
    }

    /** As {@link Gradients#zero(NDArray)}: a NaN gradient does not survive the update. */
    @Test
    void nanGradientIsZeroedAfterTheUpdate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.ones(new Shape(2, 3));
            NDArray b = manager.ones(new Shape(4));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(a.sum().add(b.log().sum()).mul(Float.NaN));
            }
            NDArray ga = a.getGradient();
            NDArray gb = b.getGradient();
            assertTrue(Float.isNaN(ga.toFloatArray()[0]), "the test needs a NaN gradient");
            Adam adam = Adam.builder().build();
            adam.updateAll(List.of("a", "b"), List.of(a, b), List.of(ga, gb));
            assertArrayEquals(new float[6], ga.toFloatArray(), 0f);
            assertArrayEquals(new float[4], gb.toFloatArray(), 0f);
            assertEquals(1, adam.stepCount("b"));
        }
    }
}
