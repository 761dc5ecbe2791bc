package dev.paperlab.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.optim.Adam;
import java.util.List;
import java.util.Map;

/**
 * A step that samples its own inputs and noise each step (as DDPM samples t and eps) and builds
 * two views of every example (as SimCLR does): learn y = x W* + noise with a Linear block (the
 * second view is x scaled, with y scaled alike). Optionally poisons the loss at a given step.
 */
final class NoisyRegressionTask implements TrainingTask {
    static final int IN = 8;
    static final int OUT = 3;
    private final long stepsPerEpoch;
    private final long nanAtStep;
    private final float lr;
    private TrainedPart part;
    private NDArray target;

    NoisyRegressionTask(long stepsPerEpoch, long nanAtStep, float lr) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.nanAtStep = nanAtStep;
        this.lr = lr;
    }

    @Override
    public void setUp(RunConfig config) {
        Block block = Linear.builder().setUnits(OUT).build();
        part = Parts.create(
                "regressor",
                block,
                new SquaredErrorLoss(),
                Adam.builder().optLearningRate(lr).build(),
                Device.cpu(),
                new Shape(1, IN));
        NDManager manager = part.model().getNDManager();
        target = manager.arange(IN * OUT).reshape(IN, OUT).div(IN * OUT).sub(0.5f);
    }

    @Override
    public List<TrainedPart> parts() {
        return List.of(part);
    }

    @Override
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public long examplesPerStep() {
        return 16;
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        NDManager scope = context.scope();
        Trainer trainer = part.trainer();
        NDArray x = scope.randomNormal(new Shape(16, IN));
        NDArray y = x.matMul(target).add(scope.randomNormal(0, 0.1f, new Shape(16, OUT), x.getDataType()));
        // Two views per example, as a contrastive step builds them: engine-RNG jitter and a
        // Java-RNG scale; both must replay identically after a resume.
        float scale = 0.5f + context.random().nextFloat();
        NDArray view1 = x.add(scope.randomNormal(0, 0.01f, x.getShape(), x.getDataType()));
        NDArray view2 = x.mul(scale);
        double value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList pred1 = trainer.forward(new NDList(view1));
            NDList pred2 = trainer.forward(new NDList(view2));
            NDArray loss = trainer.getLoss()
                    .evaluate(new NDList(y), pred1)
                    .add(trainer.getLoss().evaluate(new NDList(y.mul(scale)), pred2));
            if (context.step() == nanAtStep) {
                loss = loss.mul(Float.NaN);
            }
            collector.backward(loss);
            value = loss.getFloat();
        }
        trainer.step();
        return Map.of("loss", value);
    }

    @Override
    public Map<String, Double> evaluate(NDManager scope) {
        NDArray w = part.model().getBlock().getParameters().get("weight").getArray();
        return Map.of(
                "weight_error", (double) w.transpose().sub(target).abs().max().getFloat());
    }
}
