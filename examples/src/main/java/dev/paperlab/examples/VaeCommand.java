package dev.paperlab.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.models.vae.Vae;
import dev.paperlab.models.vae.VaeTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import dev.paperlab.training.metrics.EmbeddingMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the VAE (Kingma &amp; Welling 2013) on Fashion-MNIST and writes reconstructions, samples
 * from the prior and loss curves beside {@code summary.json}.
 */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "Variational autoencoder on Fashion-MNIST (MLP 784-400-20 or conv).")
public final class VaeCommand extends ExampleCommand {
    @Mixin CommonOptions common;

    @Option(names = "--variant", description = "mlp or conv (default: ${DEFAULT-VALUE}).")
    String variant = "mlp";

    @Option(names = "--latent", description = "Latent size (default: ${DEFAULT-VALUE}).")
    int latent = 20;

    @Option(names = "--hidden", description = "Hidden size of the MLP (default: ${DEFAULT-VALUE}).")
    int hidden = 400;

    @Override
    public Map<String, Object> runExample() throws Exception {
        RunConfig config = common.toConfig("vae", 128, 1e-3f);
        Vae.Variant v = switch (variant) {
            case "mlp" -> Vae.Variant.MLP;
            case "conv" -> Vae.Variant.CONV;
            default -> throw new IllegalArgumentException("--variant must be mlp or conv, got '" + variant + "'");
        };
        boolean flat = v == Vae.Variant.MLP;
        Path dataDir = common.dataDir();
        try (FashionMnist train = dataset(Dataset.Usage.TRAIN, dataDir, flat, config);
                FashionMnist test = dataset(Dataset.Usage.TEST, dataDir, flat, config)) {
            Vae vae = Vae.builder().optVariant(v).optLatentSize(latent).optHiddenSize(hidden).build();
            try (VaeTask task = new VaeTask(vae, train, test, config.seed(), config.batchSize(), train.source())) {
                Harness harness = Harness.withDefaultListeners(config);
                RunState state = harness.fit(task);
                state.summary().put("command", "vae");
                state.summary().put("variant", variant);
                writePictures(config.outDir(), vae, test, task);
                latentMetrics(vae, train, test, task, config.seed()).forEach(state.summary()::put);
                Map<String, Object> summary = finalSummary(state);
                return summary;
            }
        }
    }

    private static FashionMnist dataset(Dataset.Usage usage, Path dir, boolean flat, RunConfig config)
            throws java.io.IOException {
        FashionMnist.Builder b = FashionMnist.builder()
                .optUsage(usage)
                .optFlatten(flat)
                .optSeed(config.seed())
                .setSampling(config.batchSize(), false);
        if (dir != null) {
            b.optDataDir(dir);
        }
        return b.build();
    }

    /**
     * How well the posterior means separate the classes without labels in training: 10-NN
     * accuracy (k-d tree) from 10,000 training latents, and k-means clustering accuracy
     * (Hungarian best label map) on the test latents.
     */
    private static Map<String, Object> latentMetrics(Vae vae, FashionMnist train, FashionMnist test, VaeTask task,
            long seed) {
        NDManager modelManager = task.parts().get(0).model().getNDManager();
        try (NDManager scope = modelManager.newSubManager()) {
            double[][] trainZ = means(vae, train.dataArray().get(new NDIndex("0:10000")), scope);
            int[] trainY = labels(train.labelArray().get(new NDIndex("0:10000")));
            double[][] testZ = means(vae, test.dataArray(), scope);
            int[] testY = labels(test.labelArray());
            return Map.of(
                    "latent_knn10_accuracy", EmbeddingMetrics.knnAccuracy(trainZ, trainY, testZ, testY, 10),
                    "latent_cluster_accuracy", EmbeddingMetrics.clusterAccuracy(testZ, testY, seed));
        }
    }

    private static double[][] means(Vae vae, NDArray x, NDManager scope) {
        NDArray mu = vae.encode(new ParameterStore(scope, false), x, false).get(0);
        long n = mu.getShape().get(0);
        int d = (int) mu.getShape().get(1);
        float[] flat = mu.toFloatArray();
        double[][] out = new double[(int) n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = flat[i * d + j];
            }
        }
        return out;
    }

    private static int[] labels(NDArray y) {
        float[] f = y.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Math.round(f[i]);
        }
        return out;
    }

    private static void writePictures(Path out, Vae vae, FashionMnist test, VaeTask task) throws Exception {
        NDManager modelManager = task.parts().get(0).model().getNDManager();
        try (NDManager scope = modelManager.newSubManager()) {
            NDArray x = test.dataArray().get(new NDIndex("0:32")).reshape(32, 784);
            x.attach(scope);
            NDArray xIn = vae.getVariant() == Vae.Variant.MLP ? x : x.reshape(32, 1, 28, 28);
            NDList out0 = vae.forward(new ParameterStore(scope, false), new NDList(xIn), false);
            NDArray recon = out0.get(0).getNDArrayInternal().sigmoid().reshape(32, 784);
            float[][] rows = new float[64][];
            for (int i = 0; i < 32; i++) {
                rows[i < 16 ? i : i + 16] = x.get(i).toFloatArray();
                rows[i < 16 ? i + 16 : i + 32] = recon.get(i).toFloatArray();
            }
            Pictures.grid(out.resolve("reconstructions.png"), rows, 28, 28, 16, 2);
            NDArray samples = vae.sample(scope, 64).reshape(64, 784);
            float[][] s = new float[64][];
            for (int i = 0; i < 64; i++) {
                s[i] = samples.get(i).toFloatArray();
            }
            Pictures.grid(out.resolve("samples.png"), s, 28, 28, 8, 2);
        }
        Pictures.curves(out.resolve("metrics.csv"), out.resolve("loss.png"), "VAE negative ELBO per example",
                List.of("loss", "test_loss"));
    }
}
