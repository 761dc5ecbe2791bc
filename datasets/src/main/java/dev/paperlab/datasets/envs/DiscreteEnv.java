package dev.paperlab.datasets.envs;

import ai.djl.modality.rl.ActionSpace;
import ai.djl.modality.rl.env.RlEnv;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * An episodic environment with a fixed-size real observation and {@code n} discrete actions,
 * seen two ways: as DJL's {@link RlEnv} (observations and actions as NDArrays, for DJL agents)
 * and through a primitive fast path ({@link #observation()}, {@link #act(int)}) that rollouts use,
 * since a native call per environment step would cost more than the step itself.
 *
 * <p>The environment's randomness (initial states, slips) comes from its own {@link Random},
 * seeded at construction and exposed through {@link #random()} / {@link #setRandom} so a training
 * run can checkpoint and restore it.
 */
public abstract class DiscreteEnv implements RlEnv {
    /** What one step returned: its reward, and whether the episode ended by failure/goal or by time. */
    public record Transition(double reward, boolean terminated, boolean truncated) {
        /** The episode is over, either way. */
        public boolean done() {
            return terminated || truncated;
        }
    }

    private final NDManager manager;
    private final int actions;
    private final List<Step> batch = new ArrayList<>();
    private Random random;
    private boolean done = true;

    /**
     * @param manager owns the NDArrays of the {@link RlEnv} view (closed by {@link #close()})
     * @param actions size of the action space
     * @param seed seed of the environment's own RNG
     */
    protected DiscreteEnv(NDManager manager, int actions, long seed) {
        this.manager = Objects.requireNonNull(manager, "manager");
        if (actions < 1) {
            throw new IllegalArgumentException("actions must be >= 1, got " + actions);
        }
        this.actions = actions;
        this.random = new Random(seed);
    }

    /** Length of the observation vector. */
    public abstract int observationSize();

    /** Number of discrete actions, {@code 0 .. actionCount() - 1}. */
    public final int actionCount() {
        return actions;
    }

    /** The current observation (a fresh array). */
    public abstract double[] observation();

    /** Draws the initial state from {@link #random()}. */
    protected abstract void resetState(Random random);

    /** Applies a valid action to the state, drawing any noise from {@link #random()}. */
    protected abstract Transition advance(int action, Random random);

    /** Starts a new episode. */
    @Override
    public final void reset() {
        resetState(random);
        done = false;
        batch.clear();
    }

    /**
     * One step of the fast path.
     *
     * @throws IllegalArgumentException when {@code action} is outside {@code [0, actionCount())}
     * @throws IllegalStateException when the episode is over (call {@link #reset()})
     */
    public final Transition act(int action) {
        if (action < 0 || action >= actions) {
            throw new IllegalArgumentException(
                    "action must be in [0, " + actions + ") for " + getClass().getSimpleName() + ", got " + action);
        }
        if (done) {
            throw new IllegalStateException("the episode is over: call reset() before act(" + action + ")");
        }
        Transition t = advance(action, random);
        done = t.done();
        return t;
    }

    /** Whether the current episode is over (also before the first reset). */
    public final boolean isDone() {
        return done;
    }

    /** The environment's RNG (to checkpoint it; it is {@link java.io.Serializable}). */
    public final Random random() {
        return random;
    }

    /** Replaces the environment's RNG (to restore a checkpoint). */
    public final void setRandom(Random random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public NDList getObservation() {
        return new NDList(toArray(observation()));
    }

    @Override
    public ActionSpace getActionSpace() {
        ActionSpace space = new ActionSpace();
        for (int a = 0; a < actions; a++) {
            space.add(new NDList(manager.create(a)));
        }
        return space;
    }

    /**
     * DJL's step: {@code action} holds one integer scalar (as in {@link #getActionSpace()}). The
     * step is kept for {@link #getBatch()} (the current episode's steps) when {@code training}.
     */
    @Override
    public Step step(NDList action, boolean training) {
        if (action == null || action.size() != 1 || action.head().size() != 1) {
            throw new IllegalArgumentException("action must be an NDList of one scalar, got "
                    + (action == null ? "null" : action.getShapes().toString()));
        }
        int a = action.head().toType(ai.djl.ndarray.types.DataType.INT32, false).getInt();
        NDList pre = getObservation();
        Transition t = act(a);
        Step step = new EnvStep(
                pre,
                new NDList(manager.create(a)),
                getObservation(),
                manager.create((float) t.reward()),
                t.done(),
                getActionSpace());
        if (training) {
            batch.add(step);
        }
        return step;
    }

    /** The steps of the current episode taken with {@code training = true}. */
    @Override
    public Step[] getBatch() {
        return batch.toArray(new Step[0]);
    }

    @Override
    public void close() {
        manager.close();
    }

    private NDArray toArray(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return manager.create(f);
    }

    private record EnvStep(NDList pre, NDList action, NDList post, NDArray reward, boolean done, ActionSpace space)
            implements Step {
        @Override
        public NDList getPreObservation() {
            return pre;
        }

        @Override
        public NDList getAction() {
            return action;
        }

        @Override
        public NDList getPostObservation() {
            return post;
        }

        @Override
        public ActionSpace getPostActionSpace() {
            return space;
        }

        @Override
        public NDArray getReward() {
            return reward;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public void close() {
            pre.close();
            action.close();
            post.close();
            reward.close();
        }
    }
}
