package dev.paperlab.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.optim.Adam;
import java.util.List;
import java.util.Map;

/** A one-part task with a cheap step (fit y = sum(x) with a Linear layer), for harness tests. */
class TinyTask implements TrainingTask {
    private final long stepsPerEpoch;
    protected TrainedPart part;

    TinyTask(long stepsPerEpoch) {
        this.stepsPerEpoch = stepsPerEpoch;
    }

    @Override
    public void setUp(RunConfig config) {
        part = Parts.create(
                "tiny",
                Linear.builder().setUnits(1).build(),
                new SquaredErrorLoss(),
                Adam.builder().optLearningRate(0.01f).build(),
                Device.cpu(),
                new Shape(4, 3));
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
    public Map<String, Double> step(StepContext context) {
        NDArray x = context.scope().randomNormal(new Shape(4, 3));
        double loss = part.update(() -> part.trainer()
                .forward(new NDList(x))
                .head()
                .sub(x.sum(new int[] {1}, true))
                .square()
                .mean());
        return Map.of("loss", loss);
    }
}
