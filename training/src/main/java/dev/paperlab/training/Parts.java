package dev.paperlab.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

/** Builds a {@link TrainedPart}: a DJL model on a device, its trainer, initialised parameters. */
public final class Parts {
    private Parts() {}

    /**
     * Creates model {@code name} around {@code block}, a DJL {@link Trainer} with {@code loss} and
     * {@code optimizer} on {@code device}, and initialises the block for {@code inputShapes}.
     * Parameters already initialised (e.g. by a custom init) are kept.
     */
    public static TrainedPart create(
            String name, Block block, Loss loss, Optimizer optimizer, Device device, Shape... inputShapes) {
        Model model = Model.newInstance(name, device);
        model.setBlock(block);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss).optOptimizer(optimizer).optDevices(new Device[] {device});
        Trainer trainer = model.newTrainer(config);
        if (!block.isInitialized()) {
            block.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes);
        }
        return new TrainedPart(name, model, trainer, optimizer);
    }
}
