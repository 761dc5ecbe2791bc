package dev.paperlab.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.datasets.images.ImageFolderDataset;
import dev.paperlab.models.vae.Vae;
import dev.paperlab.models.vae.VaeSampling;
import dev.paperlab.models.vae.VaeTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the VAE (Kingma &amp; Welling 2013) on Fashion-MNIST or a folder of the user's own
 * pictures and writes reconstructions, samples from the prior and loss curves beside {@code
 * summary.json}.
 */
@Command(
        name = "vae",
        mixinStandardHelpOptions = true,
        description = "Variational autoencoder on Fashion-MNIST or your own pictures (MLP 784-400-20 or conv).")
public final class VaeCommand extends ExampleCommand {
    /** Training images whose posterior means are the k-NN reference. */
    private static final int LATENT_REFERENCE = 10_000;

    @Mixin
    CommonOptions common;

    @Option(names = "--variant", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Vae.Variant variant = Vae.Variant.MLP;

    @Option(names = "--latent", description = "Latent size (default: ${DEFAULT-VALUE}).")
    int latent = 20;

    @Option(names = "--hidden", description = "Hidden size of the MLP (default: ${DEFAULT-VALUE}).")
    int hidden = 400;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "Train on your own pictures instead of Fashion-MNIST: a folder with one sub-folder of"
                    + " images per class, or a flat folder of images. Converted to grey --image-size squares;"
                    + " 10% are held out for test.")
    Path images;

    @Option(
            names = "--image-size",
            description = "Side of the square grey images made from --images; divisible by 4"
                    + " for --variant conv (default: ${DEFAULT-VALUE}).")
    int imageSize = 28;

    @Override
    public Map<String, Object> runExample() throws Exception {
        // the MLP's operators are small enough that a second thread costs more than it saves
        RunConfig config = common.toConfig("vae", 128, 1e-3f, variant == Vae.Variant.MLP ? 1 : 0);
        Vae.Variant v = variant;
        if (images == null && imageSize != 28) {
            throw new IllegalArgumentException(
                    "--image-size applies to --images only (Fashion-MNIST is 28), got " + imageSize);
        }
        if (images != null && common.dataDir() != null) {
            throw new IllegalArgumentException("give --images or --data-dir, not both");
        }
        boolean flat = v == Vae.Variant.MLP;
        Vae vae = Vae.builder()
                .optVariant(v)
                .optImageShape(1, imageSize, imageSize)
                .optLatentSize(latent)
                .optHiddenSize(hidden)
                .build();
        try (Data train = data(Dataset.Usage.TRAIN, flat, config);
                Data test = data(Dataset.Usage.TEST, flat, config);
                VaeTask task =
                        new VaeTask(vae, train.set(), test.set(), config.seed(), config.batchSize(), train.source())) {
            Harness harness = Harness.withDefaultListeners(config);
            RunState state = harness.fit(task);
            state.summary().put("command", "vae");
            state.summary().put("variant", variant.toString());
            writePictures(config.outDir(), vae, test.x(), task);
            NDArray trainX = train.x();
            NDArray trainY = train.y();
            if (trainX.getShape().get(0) > LATENT_REFERENCE) {
                trainX = trainX.get(new NDIndex("0:" + LATENT_REFERENCE));
                trainY = trainY.get(new NDIndex("0:" + LATENT_REFERENCE));
            }
            VaeSampling.latentScores(vae, trainX, trainY, test.x(), test.y(), config.seed())
                    .forEach(state.summary()::put);
            return finalSummary(state);
        }
    }

    /** One split: the dataset, its arrays and where it came from. */
    private record Data(ArrayDataset set, NDArray x, NDArray y, String source, AutoCloseable owner)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    private Data data(Dataset.Usage usage, boolean flat, RunConfig config) throws java.io.IOException {
        if (images != null) {
            ImageFolderDataset d = ImageFolderDataset.builder()
                    .setFolder(images)
                    .optUsage(usage)
                    .optImageShape(1, imageSize, imageSize)
                    .optFlatten(flat)
                    .optSeed(config.seed())
                    .setSampling(config.batchSize(), false)
                    .build();
            return new Data(d, d.dataArray(), d.labelArray(), d.source(), d);
        }
        FashionMnist.Builder b = FashionMnist.builder()
                .optUsage(usage)
                .optFlatten(flat)
                .optSeed(config.seed())
                .setSampling(config.batchSize(), false);
        if (common.dataDir() != null) {
            b.optDataDir(common.dataDir());
        }
        FashionMnist d = b.build();
        return new Data(d, d.dataArray(), d.labelArray(), d.source(), d);
    }

    private void writePictures(Path out, Vae vae, NDArray test, VaeTask task) throws Exception {
        int side = imageSize;
        int pixels = side * side;
        NDManager modelManager = task.parts().get(0).model().getNDManager();
        try (NDManager scope = modelManager.newSubManager()) {
            int n = (int) Math.min(32, test.getShape().get(0));
            NDArray x = test.get(new NDIndex("0:" + n));
            x.attach(scope);
            NDArray recon = VaeSampling.reconstructions(vae, x, scope).reshape(n, pixels);
            // rows of 16: originals above their reconstructions
            float[][] rows = new float[(n + 15) / 16 * 32][];
            for (int i = 0; i < n; i++) {
                int slot = (i / 16) * 32 + i % 16;
                rows[slot] = x.get(i).toFloatArray();
                rows[slot + 16] = recon.get(i).toFloatArray();
            }
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == null) {
                    rows[i] = new float[pixels]; // an incomplete last row of 16
                }
            }
            Pictures.grid(out.resolve("reconstructions.png"), rows, side, side, 16, 2);
            NDArray samples = VaeSampling.priorSamples(vae, scope, 64).reshape(64, pixels);
            float[][] s = new float[64][];
            for (int i = 0; i < 64; i++) {
                s[i] = samples.get(i).toFloatArray();
            }
            Pictures.grid(out.resolve("samples.png"), s, side, side, 8, 2);
        }
        Pictures.curves(
                out.resolve("metrics.csv"),
                out.resolve("loss.png"),
                "VAE negative ELBO per example",
                List.of("loss", "test_loss"));
    }
}
