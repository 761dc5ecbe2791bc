package dev.paperlab.training;

import ai.djl.Model;
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
