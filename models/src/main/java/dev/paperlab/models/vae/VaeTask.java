package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import dev.paperlab.training.EpochSampler;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.SupervisedTask;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.optim.Adam;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a {@link Vae} with the harness: the plain supervised step, the label being the input
 * itself. Logs the two terms of the negative ELBO ({@code recon}, {@code kl}) beside the loss, and
 * evaluates {@code test_loss} as pytorch/examples' {@code test()} does: the per-example negative
 * ELBO over the whole test set with z sampled (one draw per example).
 */
public final class VaeTask extends SupervisedTask {
    private final Vae vae;
    private final RandomAccessDataset test;
    private final String dataSource;
    private final VaeLoss loss = new VaeLoss();

    public VaeTask(
            Vae vae, RandomAccessDataset train, RandomAccessDataset test, long seed, int batchSize, String dataSource) {
        super(train, test, new EpochSampler(batchSize, true, false, seed));
        this.vae = vae;
        this.test = test;
        this.dataSource = dataSource;
    }

    public Vae vae() {
        return vae;
    }

    @Override
    protected TrainedPart createPart(RunConfig config) {
        Shape input = vae.inputShape(config.batchSize());
        return Parts.create(
                "vae",
                vae,
                loss,
                Adam.builder().optLearningRate(config.learningRate()).build(),
                config.device(),
                input);
    }

    @Override
    protected NDList labels(Batch batch) {
        return new NDList(batch.getData().head());
    }

    @Override
    protected NDArray loss(NDList labels, NDList predictions, Map<String, NDArray> parts) {
        VaeLoss.Terms terms = loss.terms(labels, predictions);
        parts.put("recon", terms.reconstruction());
        parts.put("kl", terms.kl());
        return terms.total();
    }

    @Override
    public Map<String, Double> evaluate(NDManager scope) {
        if (test == null) {
            return Map.of();
        }
        double sum = 0;
        double recon = 0;
        long count = 0;
        ParameterStore ps = new ParameterStore(scope, false);
        try {
            for (Batch batch : part().trainer().iterateDataset(test)) {
                try (batch) {
                    NDArray x = batch.getData().head();
                    // training=true: z is sampled, as the reference test() does; no gradient is recorded
                    NDList out = vae.forward(ps, new NDList(x), true);
                    NDArray perExample = VaeLoss.negativeElbo(out.get(0), x, out.get(1), out.get(2));
                    sum += perExample.sum().getFloat();
                    recon += GaussianMath.bceWithLogitsSum(out.get(0), x).sum().getFloat();
                    count += x.getShape().get(0);
                }
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("cannot read the test set: " + e.getMessage(), e);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_loss", sum / count);
        m.put("test_recon", recon / count);
        return m;
    }

    @Override
    public String dataSource() {
        return dataSource;
    }
}
