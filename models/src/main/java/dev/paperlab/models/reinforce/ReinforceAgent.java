package dev.paperlab.models.reinforce;

import ai.djl.Device;
import ai.djl.modality.rl.agent.RlAgent;
import ai.djl.modality.rl.env.RlEnv;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.paperlab.datasets.envs.DiscreteEnv;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.Gradients;
import dev.paperlab.training.Parts;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.optim.Adam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * REINFORCE (Williams 1992) as a DJL {@link RlAgent} around a categorical MLP policy.
 *
 * <p>The policy-gradient theorem with the log-probability trick (Williams 1992, Eq. 10; Sutton et
 * al. 2000, Theorem 1), estimated from K episodes:
 *
 * <pre>
 *   grad J(theta) = E[ sum_t gamma^0 (G_t - b_t) grad log pi_theta(a_t | s_t) ]
 *   G_t = sum_{k >= t} gamma^(k-t) r_{k+1}                       (discounted return)
 *   loss = -1/K sum_i sum_t A^i_t log pi(a^i_t | s^i_t) - beta 1/N sum H(pi(.|s))
 * </pre>
 *
 * with {@code A = G - b} for the chosen {@link Baseline}, optionally normalised over the update
 * to zero mean and unit deviation (pytorch/examples' recipe), and an entropy bonus of weight
 * beta. As in common practice (and pytorch/examples) the {@code gamma^t} factor of the exact
 * discounted gradient is left out. The learned value V is fit to {@code G_t} by mean squared error
 * with its own optimizer after the policy update.
 *
 * <p>Rollouts use a Java copy of the policy's weights ({@link Mlp#snapshot()}, refreshed after
 * each update); the update recomputes {@code log pi} with autograd in one batched pass.
 */
public final class ReinforceAgent implements RlAgent, AutoCloseable {
    private final ReinforceConfig config;
    private final TrainedPart policy;
    private final TrainedPart value;
    private final int actions;
    private Mlp.Snapshot snapshot;
    private double runningMean;
    private boolean hasMean;
    private Random random = new Random(0);

    /**
     * @param policy a part whose block is an {@link Mlp} with one output per action
     * @param value a part whose block is an {@link Mlp} with one output, for {@link Baseline#VALUE}
     *     only (else null)
     */
    public ReinforceAgent(ReinforceConfig config, TrainedPart policy, TrainedPart value) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = Objects.requireNonNull(policy, "policy");
        if (!(policy.model().getBlock() instanceof Mlp)) {
            throw new IllegalArgumentException("policy block must be an Mlp, got "
                    + policy.model().getBlock().getClass().getSimpleName());
        }
        if ((config.baseline() == Baseline.VALUE) != (value != null)) {
            throw new IllegalArgumentException("a value part is needed for baseline value and only for it; baseline "
                    + config.baseline() + ", value part " + (value == null ? "absent" : "given"));
        }
        this.value = value;
        this.snapshot = net().snapshot();
        this.actions = snapshot.forward(new double[net().inputs()]).length;
    }

    /** Builds the policy (and value) parts: Adam with {@code lr} (value: its own rate) on {@code device}. */
    public static ReinforceAgent create(
            ReinforceConfig config, int observationSize, int actions, float lr, Device device) {
        Shape input = new Shape(1, observationSize);
        TrainedPart policy = Parts.create(
                "policy",
                Mlp.builder()
                        .setInputs(observationSize)
                        .setOutputs(actions)
                        .optHidden(config.hidden())
                        .build(),
                new SquaredErrorLoss(),
                Adam.builder().optLearningRate(lr).build(),
                device,
                input);
        TrainedPart value = null;
        if (config.baseline() == Baseline.VALUE) {
            value = Parts.create(
                    "value",
                    Mlp.builder()
                            .setInputs(observationSize)
                            .setOutputs(1)
                            .optHidden(config.hidden())
                            .build(),
                    new SquaredErrorLoss(),
                    Adam.builder().optLearningRate(config.valueLearningRate()).build(),
                    device,
                    input);
        }
        return new ReinforceAgent(config, policy, value);
    }

    public ReinforceConfig config() {
        return config;
    }

    /** The parts it trains: the policy, then the value network when there is one. */
    public List<TrainedPart> parts() {
        return value == null ? List.of(policy) : List.of(policy, value);
    }

    private Mlp net() {
        return (Mlp) policy.model().getBlock();
    }

    /** The RNG actions are sampled from (a training step sets its seeded one). */
    public void setRandom(Random random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The running-mean baseline b and whether it has been set (checkpointed by the task). */
    public double runningMean() {
        return runningMean;
    }

    public boolean hasRunningMean() {
        return hasMean;
    }

    public void setRunningMean(double mean, boolean set) {
        this.runningMean = mean;
        this.hasMean = set;
    }

    /** Re-reads the policy's weights for rollouts (after a checkpoint was loaded into them). */
    public void refresh() {
        snapshot = net().snapshot();
    }

    /** pi(.|s) of the current policy. */
    public double[] probabilities(double[] observation) {
        return snapshot.probabilities(observation);
    }

    /** Samples {@code a ~ pi(.|s)}, or the most probable action when {@code greedy}. */
    public int act(double[] observation, boolean greedy) {
        double[] p = snapshot.probabilities(observation);
        if (greedy) {
            int best = 0;
            for (int a = 1; a < p.length; a++) {
                if (p[a] > p[best]) {
                    best = a;
                }
            }
            return best;
        }
        double u = random.nextDouble();
        double c = 0;
        for (int a = 0; a < p.length - 1; a++) {
            c += p[a];
            if (u < c) {
                return a;
            }
        }
        return p.length - 1;
    }

    /** One episode from {@code env.reset()} to its end. */
    public Episode rollout(DiscreteEnv env, boolean greedy) {
        env.reset();
        List<double[]> obs = new ArrayList<>();
        List<Integer> acts = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        while (!env.isDone()) {
            double[] s = env.observation();
            int a = act(s, greedy);
            obs.add(s);
            acts.add(a);
            rewards.add(env.act(a).reward());
        }
        return new Episode(
                obs.toArray(new double[0][]),
                acts.stream().mapToInt(Integer::intValue).toArray(),
                rewards.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** DJL's view: samples (training) or picks the greedy action for the environment's observation. */
    @Override
    public NDList chooseAction(RlEnv env, boolean training) {
        NDArray o = env.getObservation().head();
        float[] f = o.toType(DataType.FLOAT32, false).toFloatArray();
        double[] s = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            s[i] = f[i];
        }
        return new NDList(o.getManager().create(act(s, !training)));
    }

    /**
     * DJL's view: one update from a batch of steps, split into episodes at {@code isDone()}
     * (a trailing unfinished episode counts as one too).
     */
    @Override
    public void trainBatch(RlEnv.Step[] steps) {
        List<Episode> episodes = new ArrayList<>();
        List<double[]> obs = new ArrayList<>();
        List<Integer> acts = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            RlEnv.Step step = steps[i];
            float[] f = step.getPreObservation().head().toFloatArray();
            double[] s = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                s[k] = f[k];
            }
            obs.add(s);
            acts.add(step.getAction().head().toType(DataType.INT32, false).getInt());
            rewards.add(
                    (double) step.getReward().toType(DataType.FLOAT32, false).getFloat());
            if (step.isDone() || i + 1 == steps.length) {
                episodes.add(new Episode(
                        obs.toArray(new double[0][]),
                        acts.stream().mapToInt(Integer::intValue).toArray(),
                        rewards.stream().mapToDouble(Double::doubleValue).toArray()));
                obs.clear();
                acts.clear();
                rewards.clear();
            }
        }
        try (NDManager scope = policy.model().getNDManager().newSubManager()) {
            update(episodes, scope);
        }
    }

    /** The discounted returns of each episode. */
    public List<double[]> returns(List<Episode> episodes) {
        List<double[]> g = new ArrayList<>();
        for (Episode e : episodes) {
            g.add(Returns.discounted(e.rewards(), config.gamma()));
        }
        return g;
    }

    /** {@code G - b} per episode for {@code baseline}, before any normalisation. */
    public List<double[]> advantages(
            List<Episode> episodes, List<double[]> returns, Baseline baseline, NDManager scope) {
        List<double[]> adv = new ArrayList<>();
        double[][] b = switch (baseline) {
            case NONE -> null;
            case MEAN -> null;
            case RLOO -> Returns.leaveOneOut(returns);
            case VALUE -> values(episodes, scope);
        };
        for (int i = 0; i < returns.size(); i++) {
            double[] g = returns.get(i);
            double[] a = new double[g.length];
            for (int t = 0; t < g.length; t++) {
                double base = baseline == Baseline.MEAN ? runningMean : b == null ? 0 : b[i][t];
                a[t] = g[t] - base;
            }
            adv.add(a);
        }
        return adv;
    }

    private double[][] values(List<Episode> episodes, NDManager scope) {
        if (value == null) {
            throw new IllegalArgumentException(
                    "baseline value needs a value network; this agent's baseline is " + config.baseline());
        }
        float[] v = value.trainer()
                .evaluate(new NDList(observations(episodes, scope)))
                .head()
                .toFloatArray();
        double[][] b = new double[episodes.size()][];
        int k = 0;
        for (int i = 0; i < episodes.size(); i++) {
            b[i] = new double[episodes.get(i).length()];
            for (int t = 0; t < b[i].length; t++) {
                b[i][t] = v[k++];
            }
        }
        return b;
    }

    /**
     * One update from {@code episodes}: the policy step, then the value fit or the running mean.
     *
     * @return {@code loss} (the surrogate), {@code entropy} (mean over steps) and, with a value
     *     network, {@code value_loss}
     */
    public Map<String, Double> update(List<Episode> episodes, NDManager scope) {
        if (episodes.isEmpty()) {
            throw new IllegalArgumentException("an update needs at least 1 episode, got 0");
        }
        List<double[]> returns = returns(episodes);
        double[] adv = flatten(advantages(episodes, returns, config.baseline(), scope));
        if (config.normalise()) {
            adv = Returns.normalised(adv);
        }
        NDArray obs = observations(episodes, scope); // (N, D)
        NDArray a = actions(episodes, scope); // (N, A) one-hot
        NDArray weights = scope.create(toFloats(adv)); // (N)
        double[] entropy = new double[1];
        float k = episodes.size();
        float beta = (float) config.entropy();
        double loss = policy.update(() -> {
            NDArray logp = policy.trainer().forward(new NDList(obs)).head().logSoftmax(1); // (N, A)
            NDArray chosen = logp.mul(a).sum(new int[] {1}); // (N): log pi(a_t | s_t)
            NDArray surrogate = Scalars.div(chosen.mul(weights).sum(), k).neg();
            NDArray h = logp.exp().mul(logp).sum(new int[] {1}).neg().mean(); // H(pi(.|s)) averaged
            entropy[0] = h.getFloat();
            return beta > 0 ? surrogate.sub(Scalars.mul(h, beta)) : surrogate;
        });
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("entropy", entropy[0]);
        double[] g = flatten(returns);
        if (value != null) {
            NDArray target = scope.create(toFloats(g));
            metrics.put(
                    "value_loss",
                    value.update(() -> value.trainer()
                            .forward(new NDList(obs))
                            .head()
                            .reshape(-1)
                            .sub(target)
                            .square()
                            .mean()));
        }
        if (config.baseline() == Baseline.MEAN) {
            double mean = 0;
            for (double x : g) {
                mean += x;
            }
            mean /= g.length;
            // the baseline of this update was fixed before its episodes: it does not depend on them
            runningMean = hasMean ? config.meanDecay() * runningMean + (1 - config.meanDecay()) * mean : mean;
            hasMean = true;
        }
        snapshot = net().snapshot();
        return metrics;
    }

    /**
     * The estimate of {@code grad J} (the negative gradient of the surrogate loss, without
     * normalisation or entropy bonus) from {@code episodes} with {@code baseline}, per policy
     * parameter; the parameters themselves are not changed. For the variance study and tests.
     */
    public Map<String, double[]> gradient(List<Episode> episodes, Baseline baseline, NDManager scope) {
        List<double[]> returns = returns(episodes);
        double[] adv = flatten(advantages(episodes, returns, baseline, scope));
        NDArray obs = observations(episodes, scope);
        NDArray a = actions(episodes, scope);
        NDArray weights = scope.create(toFloats(adv));
        Gradients.zero(net());
        try (GradientCollector collector = policy.trainer().newGradientCollector()) {
            NDArray logp = policy.trainer().forward(new NDList(obs)).head().logSoftmax(1);
            NDArray surrogate = Scalars.div(
                            logp.mul(a).sum(new int[] {1}).mul(weights).sum(), episodes.size())
                    .neg();
            collector.backward(surrogate);
        }
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net().getParameters()) {
            float[] f = p.getValue().getArray().getGradient().toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = -f[i];
            }
            grads.put(p.getKey(), d);
        }
        Gradients.zero(net());
        return grads;
    }

    private NDArray observations(List<Episode> episodes, NDManager scope) {
        int n = 0;
        for (Episode e : episodes) {
            n += e.length();
        }
        int d = net().inputs();
        float[] f = new float[n * d];
        int k = 0;
        for (Episode e : episodes) {
            for (double[] s : e.observations()) {
                if (s.length != d) {
                    throw new IllegalArgumentException("observation must have " + d + " values, got " + s.length);
                }
                for (double v : s) {
                    f[k++] = (float) v;
                }
            }
        }
        return scope.create(f, new Shape(n, d));
    }

    private NDArray actions(List<Episode> episodes, NDManager scope) {
        int n = 0;
        for (Episode e : episodes) {
            n += e.length();
        }
        float[] f = new float[n * actions];
        int k = 0;
        for (Episode e : episodes) {
            for (int a : e.actions()) {
                if (a < 0 || a >= actions) {
                    throw new IllegalArgumentException("action must be in [0, " + actions + "), got " + a);
                }
                f[k++ * actions + a] = 1;
            }
        }
        return scope.create(f, new Shape(n, actions));
    }

    /**
     * Closes the parts' trainers and models; for an agent made with {@link #create} and used on its
     * own (a {@link ReinforceTask} closes them itself).
     */
    @Override
    public void close() {
        for (TrainedPart part : parts()) {
            part.trainer().close();
            part.model().close();
        }
    }

    private static double[] flatten(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int k = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
