package dev.paperlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.paperlab.framework.nn.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exponential moving average of a block's parameters (Polyak &amp; Juditsky 1992; the EMA of
 * weights DDPM samples with, Ho et al. 2020, decay 0.9999):
 *
 * <pre>
 *   shadow_t = d_t * shadow_{t-1} + (1 - d_t) * theta_t
 *   d_t = decay, or with warm-up  d_t = min(decay, (1 + t) / (10 + t))
 * </pre>
 *
 * <p>The warm-up (the {@code num_updates} rule of TensorFlow's {@code ExponentialMovingAverage})
 * matters for short runs: without it the shadow of update t still holds decay^t of the initial
 * weights, 39% after 937 updates at decay 0.999, and samples from it are a blend with an untrained
 * network. With it the average covers roughly the last tenth of the updates until decay takes over
 * (after 990 updates at 0.999).
 *
 * <p>It has no optimizer and no trainer: a task calls {@link #update()} after the part's update,
 * evaluates with {@link #swapIn()} (or copies the average into another block with {@link
 * #copyTo}), and lists it in {@link TrainingTask#averages()} so that checkpoints save and restore
 * it ({@code <name>.ema}). The shadow starts as a copy of the parameters and lives on a
 * sub-manager of the first parameter's manager, on the same device.
 */
public final class Ema implements AutoCloseable {
    private static final int VERSION = 2;
    private final String name;
    private final Block block;
    private final float decay;
    private final boolean warmup;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private long updates;

    /**
     * @param name file-safe name of the average ({@code <name>.ema} in checkpoints)
     * @param block an initialised block whose parameters are averaged
     * @param decay weight of the old average, in [0, 1)
     */
    public Ema(String name, Block block, float decay) {
        this(name, block, decay, false);
    }

    /**
     * @param name file-safe name of the average ({@code <name>.ema} in checkpoints)
     * @param block an initialised block whose parameters are averaged
     * @param decay weight of the old average, in [0, 1)
     * @param warmup whether update t uses min(decay, (1 + t) / (10 + t)) instead of decay
     */
    public Ema(String name, Block block, float decay, boolean warmup) {
        Objects.requireNonNull(block, "block");
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                    "EMA name must match [A-Za-z0-9_-]+ (used in file names), got '" + name + "'");
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("EMA '" + name + "': the block must be initialised first");
        }
        this.name = name;
        this.block = block;
        this.decay = decay;
        this.warmup = warmup;
        Map<String, Parameter> params = Checkpoints.names(block);
        this.manager = params.values().iterator().next().getArray().getManager().newSubManager();
        params.forEach((n, p) -> {
            NDArray copy = p.getArray().duplicate();
            copy.attach(manager);
            shadow.put(n, copy);
        });
    }

    public String name() {
        return name;
    }

    public float decay() {
        return decay;
    }

    public boolean warmup() {
        return warmup;
    }

    /** The decay the next {@link #update()} applies: d_t for t = updates() + 1. */
    public float currentDecay() {
        if (!warmup) {
            return decay;
        }
        long t = updates + 1;
        return (float) Math.min(decay, (1.0 + t) / (10.0 + t));
    }

    /** Number of {@link #update()} calls so far (restored with a checkpoint). */
    public long updates() {
        return updates;
    }

    /** {@code shadow = d_t * shadow + (1 - d_t) * theta} for every parameter, in place. */
    public void update() {
        Map<String, Parameter> params = Checkpoints.names(block);
        float d = currentDecay();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            shadow.forEach((n, s) -> {
                // shadow += (1 - d) (theta - shadow), the same update with one temporary
                s.addi(Scalars.muli(params.get(n).getArray().sub(s), 1 - d));
            });
        }
        updates++;
    }

    /** The averaged value of parameter {@code parameterName} (a stable path name of the block). */
    public NDArray average(String parameterName) {
        NDArray s = shadow.get(parameterName);
        if (s == null) {
            throw new IllegalArgumentException(
                    "EMA '" + name + "' has no parameter '" + parameterName + "'; it has " + shadow.keySet());
        }
        return s;
    }

    /** Writes the averages into {@code target}, a block with the same parameter names and shapes. */
    public void copyTo(Block target) {
        Map<String, Parameter> params = Checkpoints.names(target);
        if (!params.keySet().equals(shadow.keySet())) {
            throw new IllegalArgumentException("EMA '" + name + "' has parameters " + shadow.keySet()
                    + ", the target block has " + params.keySet());
        }
        shadow.forEach((n, s) -> s.copyTo(params.get(n).getArray()));
    }

    /**
     * Puts the averages into the averaged block's own parameters until the returned handle is
     * closed, which puts the trained values back: {@code try (Ema.Swap s = ema.swapIn()) {
     * evaluate(); }}.
     */
    public Swap swapIn() {
        Map<String, Parameter> params = Checkpoints.names(block);
        List<NDArray[]> saved = new ArrayList<>();
        shadow.forEach((n, s) -> {
            NDArray live = params.get(n).getArray();
            NDArray backup = live.duplicate();
            backup.attach(manager);
            s.copyTo(live);
            saved.add(new NDArray[] {live, backup});
        });
        return () -> {
            for (NDArray[] pair : saved) {
                pair[1].copyTo(pair[0]);
                pair[1].close();
            }
        };
    }

    /** Undoes {@link #swapIn()}: close it exactly once. */
    @FunctionalInterface
    public interface Swap extends AutoCloseable {
        @Override
        void close();
    }

    /** Writes decay, warm-up, update count and the averages by parameter name. */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(VERSION);
        out.writeFloat(decay);
        out.writeBoolean(warmup);
        out.writeLong(updates);
        out.writeInt(shadow.size());
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] bytes = new NDList(e.getValue()).encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /** Restores what {@link #save} wrote, in place. */
    public void load(DataInputStream in) throws IOException {
        int version = in.readInt();
        if (version != 1 && version != VERSION) {
            throw new IOException("EMA '" + name + "' state version " + version + ", expected 1 or " + VERSION);
        }
        float savedDecay = in.readFloat();
        if (savedDecay != decay) {
            throw new IOException("EMA '" + name + "' was saved with decay " + savedDecay + ", this one has " + decay);
        }
        boolean savedWarmup = version >= 2 && in.readBoolean(); // version 1 had no warm-up
        if (savedWarmup != warmup) {
            throw new IOException(
                    "EMA '" + name + "' was saved with warm-up " + savedWarmup + ", this one has " + warmup);
        }
        long savedUpdates = in.readLong();
        int count = in.readInt();
        if (count != shadow.size()) {
            throw new IOException(
                    "EMA '" + name + "' state has " + count + " parameters, the block has " + shadow.size());
        }
        for (int i = 0; i < count; i++) {
            String n = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            NDArray live = shadow.get(n);
            if (live == null) {
                throw new IOException("EMA '" + name + "' state has parameter '" + n + "' the block lacks");
            }
            try (NDList saved = NDList.decode(manager, bytes)) {
                if (!saved.head().getShape().equals(live.getShape())) {
                    throw new IOException("EMA '" + name + "' parameter '" + n + "' has shape "
                            + saved.head().getShape() + ", the block has " + live.getShape());
                }
                saved.head().copyTo(live);
            }
        }
        updates = savedUpdates;
    }

    @Override
    public void close() {
        manager.close();
    }
}
