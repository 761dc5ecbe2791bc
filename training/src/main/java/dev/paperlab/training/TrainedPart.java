package dev.paperlab.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.paperlab.training.optim.MultiTensorOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One set of parameters trained by one optimizer: a DJL {@link Model} with its {@link Trainer}.
 * A supervised task has one part; a GAN has two (generator and discriminator), each updated on
 * its own with {@link #update}.
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
     * makes for multi-device reduction (a fresh allocation per parameter per step). An optimizer
     * that is a {@link MultiTensorOptimizer} gets all parameters in one call.
     */
    public void step() {
        step(Set.of());
    }

    /**
     * Like {@link #step()}, but leaves the parameters in {@code skip} untouched: no decay, no
     * momentum, no step count. PyTorch skips a parameter whose {@code .grad} is {@code None}
     * because it took no part in the loss; DJL's gradient of such a parameter is a zero array,
     * which Adam would still move by its momentum and weight decay, so a task names them here.
     *
     * @param skip parameters (by identity) to leave as they are this step
     */
    public void step(Set<Parameter> skip) {
        Objects.requireNonNull(skip, "skip");
        List<String> ids = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            Parameter parameter = pair.getValue();
            if (!parameter.requiresGradient() || !parameter.isInitialized() || skip.contains(parameter)) {
                continue;
            }
            ids.add(parameter.getId());
            weights.add(parameter.getArray());
        }
        if (optimizer instanceof MultiTensorOptimizer multi) {
            // one update over all parameters: a few large operations instead of many per parameter
            List<NDArray> grads = new ArrayList<>(weights.size());
            try {
                weights.forEach(w -> grads.add(w.getGradient()));
                multi.updateAll(ids, weights, grads);
            } finally {
                grads.forEach(NDArray::close);
            }
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            NDArray weight = weights.get(i);
            try (NDArray grad = weight.getGradient()) {
                optimizer.update(ids.get(i), weight, grad);
            }
        }
    }

    /**
     * One complete update of this part alone, as {@link #update(Supplier, GradientHook, Set)}
     * without a hook and without skipped parameters.
     */
    public double update(Supplier<NDArray> loss) {
        return update(loss, GradientHook.NONE, Set.of());
    }

    /** As {@link #update(Supplier, GradientHook, Set)} without skipped parameters. */
    public double update(Supplier<NDArray> loss, GradientHook hook) {
        return update(loss, hook, Set.of());
    }

    /**
     * One complete update of this part alone: zero this part's gradients, compute {@code loss}
     * inside a gradient collector and run backward, call {@code hook}, then apply this part's
     * optimizer to its parameters (except {@code skip}). Call it for any part, in any order,
     * any number of times in a step (k critic updates per generator update).
     *
     * <p>Nothing leaks between parts: backward of a discriminator loss on {@code G(z)} also
     * writes gradient into the generator's parameters (DJL's PyTorch engine accumulates into
     * {@code .grad} of every parameter on the graph), but that gradient is never applied — the
     * generator's own update zeroes its gradients before its backward pass. Stop gradients
     * ({@code stopGradient}) are only an optimisation here, not needed for correctness.
     *
     * @param loss computes the scalar loss; it runs inside the collector, so the forward pass that
     *     the loss needs must happen in it (create its arrays in the step's scope)
     * @param hook runs between backward and update (clipping, inspection); {@link
     *     GradientHook#NONE} for none
     * @param skip parameters this update leaves untouched, see {@link #step(Set)}
     * @return the loss value
     */
    public double update(Supplier<NDArray> loss, GradientHook hook, Set<Parameter> skip) {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(hook, "hook");
        Gradients.zero(model.getBlock());
        double value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray l = loss.get();
            if (l.size() != 1) {
                throw new IllegalArgumentException(
                        "loss of part '" + name + "' must be a scalar, got shape " + l.getShape());
            }
            collector.backward(l);
            value = l.getFloat();
        }
        hook.beforeUpdate(this);
        step(skip);
        return value;
    }

    /** The device of this part's parameters (its model's manager). */
    public Device device() {
        return model.getNDManager().getDevice();
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
