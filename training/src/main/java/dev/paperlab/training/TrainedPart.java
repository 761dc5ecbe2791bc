package dev.paperlab.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import java.util.Objects;

/**
 * One set of parameters trained by one optimizer: a DJL {@link Model} with its {@link Trainer}.
 * A supervised task has one part; a GAN has two (generator and discriminator).
 *
 * @param name file-safe name used for checkpoints and metric prefixes
 * @param model the model whose block holds the parameters
 * @param trainer the DJL trainer that updates them
 * @param optimizer the optimizer inside the trainer's config (its state is checkpointed when it
 *     is a {@link dev.paperlab.training.optim.StatefulOptimizer})
 */
public record TrainedPart(String name, Model model, Trainer trainer, Optimizer optimizer) {

    /**
     * One optimizer update of every trainable parameter from its gradient, in place. Same effect
     * as {@link Trainer#step()} on one device, without the gradient copy DJL's parameter server
     * makes for multi-device reduction (a fresh allocation per parameter per step).
     */
    public void step() {
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            Parameter parameter = pair.getValue();
            if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            try (NDArray grad = weight.getGradient()) {
                optimizer.update(parameter.getId(), weight, grad);
            }
        }
    }

    public TrainedPart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(optimizer, "optimizer");
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                    "part name must match [A-Za-z0-9_-]+ (used in file names), got '" + name + "'");
        }
    }
}
