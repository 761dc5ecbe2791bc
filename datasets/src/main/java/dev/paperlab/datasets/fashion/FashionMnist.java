package dev.paperlab.datasets.fashion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.framework.nn.Scalars;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017, "Fashion-MNIST: a Novel Image Dataset for
 * Benchmarking Machine Learning Algorithms"): 70,000 28x28 grayscale images of clothing in 10
 * classes, 60,000 for training and 10,000 for testing, as a DJL {@link ArrayDataset}.
 *
 * <p>Shapes (N images, H = W = 28): data {@code (N, 784)} when flattened (default) or {@code (N,
 * 1, 28, 28)}; float32 in [0, 1] ({@code byte / 255}). Labels {@code (N)}, float32 class index in
 * 0..9. A batch of B is data {@code (B, 784)} / {@code (B, 1, 28, 28)} and labels {@code (B)}.
 *
 * <p>The whole split lives in two arrays on the device of the dataset's manager, and batches are
 * gathered by DJL's bulk path for {@code ArrayDataset} (one indexing op per batch rather than
 * stacking single records). Iterate with a manager on the same device: by default both this
 * dataset and a {@code Trainer} use the engine's default device.
 *
 * <p>Source, in order (see {@link FashionMnistSource#resolve}): {@link Builder#optDataDir}; the
 * {@value #ENV_DATA_DIR} environment variable (the folder or its {@code fashion-mnist}
 * sub-folder); {@value #SYSTEM_DIR_NAME} from the Debian package {@code dataset-fashion-mnist};
 * else procedurally drawn shapes ({@link ProceduralShapes}) so that a job always runs. DJL's own
 * download is not used (paperlab runs with {@code ai.djl.offline=true}). One INFO line names the
 * source, also given by {@link #source()}.
 *
 * <p>The dataset owns native memory: close it (or the manager given to {@link
 * Builder#optManager}) when done.
 */
public final class FashionMnist extends ArrayDataset implements AutoCloseable {

    /** Fashion-MNIST class names; the label of an image is its index here. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Environment variable naming a folder that holds the IDX files. */
    public static final String ENV_DATA_DIR = "PAPERLAB_DATA";

    /** The folder of the Debian package {@code dataset-fashion-mnist}, as a string. */
    public static final String SYSTEM_DIR_NAME = "/usr/share/datasets/fashion-mnist";

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);
    private static final int CLASSES = 10;

    private final NDManager manager;
    private final Usage usage;
    private final String source;
    private final List<String> classNames;

    private FashionMnist(Builder builder, NDManager manager, Loaded loaded) {
        super(builder);
        this.manager = manager;
        this.usage = builder.usage;
        this.source = loaded.source;
        this.classNames = loaded.classNames;
        this.data = new NDArray[] {loaded.data};
        this.labels = new NDArray[] {loaded.labels};
    }

    /**
     * Returns a new builder.
     *
     * @return a builder with usage TRAIN, flattened images and seed 0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns where the images came from.
     *
     * @return {@code "idx:<dir>"} or {@code "procedural-shapes"}
     */
    public String source() {
        return source;
    }

    /**
     * Returns whether the images are procedural shapes rather than Fashion-MNIST.
     *
     * @return true for the procedural fallback
     */
    public boolean isProcedural() {
        return FashionMnistSource.PROCEDURAL.equals(source);
    }

    /**
     * Returns the names of the 10 classes of this source: {@link #CLASS_NAMES} or {@link
     * ProceduralShapes#CLASS_NAMES}.
     *
     * @return the class names, indexed by label
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the split.
     *
     * @return TRAIN or TEST
     */
    public Usage usage() {
        return usage;
    }

    /**
     * Returns all images of the split (not limited by {@code optLimit} beyond what was loaded).
     *
     * @return {@code (N, 784)} or {@code (N, 1, 28, 28)} float32 in [0, 1], owned by the dataset
     */
    public NDArray dataArray() {
        return data[0];
    }

    /**
     * Returns all labels of the split.
     *
     * @return {@code (N)} float32 class indices, owned by the dataset
     */
    public NDArray labelArray() {
        return labels[0];
    }

    /** Frees the dataset's native arrays. */
    @Override
    public void close() {
        manager.close();
    }

    /** Images and labels loaded into the dataset's manager. */
    private record Loaded(NDArray data, NDArray labels, String source, List<String> classNames) {}

    private static Loaded load(Builder b, FashionMnistSource src, NDManager manager, int limit) throws IOException {
        if (src.isProcedural()) {
            boolean train = b.usage == Usage.TRAIN;
            int n = Math.min(limit, train ? ProceduralShapes.TRAIN_SIZE : ProceduralShapes.TEST_SIZE);
            // a different stream per split keeps the test images held out
            long seed = train ? b.seed : b.seed ^ 0x9E3779B97F4A7C15L;
            ProceduralShapes.Drawn drawn = ProceduralShapes.generate(n, seed);
            int side = ProceduralShapes.SIZE;
            NDArray x = manager.create(drawn.pixels(), imageShape(b.flatten, n, side, side));
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = drawn.labels()[i];
            }
            return new Loaded(x, manager.create(y), src.description(), ProceduralShapes.CLASS_NAMES);
        }
        IdxImages idx = IdxReader.readLabeled(src.images(), src.labels());
        int n = Math.min(limit, idx.count());
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = idx.label(i);
            if (label >= CLASSES) {
                throw new IdxFormatException(
                        src.labels(),
                        "expected labels in 0.." + (CLASSES - 1) + " but found " + label + " at index " + i);
            }
            y[i] = label;
        }
        int bytes = n * idx.rows() * idx.cols();
        ByteBuffer buffer =
                ByteBuffer.allocateDirect(bytes).put(idx.pixels(), 0, bytes).rewind();
        Shape shape = imageShape(b.flatten, n, idx.rows(), idx.cols());
        NDArray x;
        try (NDArray raw = manager.create(buffer, shape, DataType.UINT8)) {
            x = Scalars.divi(raw.toType(DataType.FLOAT32, false), 255); // bytes 0..255 -> [0, 1]
        }
        return new Loaded(x, manager.create(y), src.description(), CLASS_NAMES);
    }

    private static Shape imageShape(boolean flatten, int n, int rows, int cols) {
        return flatten ? new Shape(n, (long) rows * cols) : new Shape(n, 1, rows, cols);
    }

    /**
     * Builder for {@link FashionMnist}. Required: {@code setSampling(batchSize, shuffle)}. Also
     * inherited from DJL: {@code optLimit(long)} (load only the first N images; default all),
     * {@code optDevice}, {@code optPipeline}, {@code optPrefetchNumber}.
     */
    public static final class Builder extends BaseBuilder<Builder> {

        private Usage usage = Usage.TRAIN;
        private Path dataDir;
        private boolean flatten = true;
        private long seed;
        private NDManager parent;
        // the environment is read here so tests can replace it
        String envDir = System.getenv(ENV_DATA_DIR);
        Path systemDir = Path.of(SYSTEM_DIR_NAME);

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the split.
         *
         * @param usage TRAIN (default, 60,000 images) or TEST (10,000)
         * @return this builder
         */
        public Builder optUsage(Dataset.Usage usage) {
            this.usage = usage;
            return this;
        }

        /**
         * Reads the IDX files from this folder and nowhere else; default: search as described on
         * {@link FashionMnist}.
         *
         * @param dir folder holding {@code train-images-idx3-ubyte[.gz]} etc.
         * @return this builder
         */
        public Builder optDataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Sets the image layout.
         *
         * @param flatten true (default) for data {@code (784)} per image, false for {@code (1, 28,
         *     28)}
         * @return this builder
         */
        public Builder optFlatten(boolean flatten) {
            this.flatten = flatten;
            return this;
        }

        /**
         * Sets the seed of the procedural fallback (default 0); no effect on IDX data.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Allocates the dataset's arrays in a sub-manager of {@code manager} (and on its device);
         * default: a new base manager on the engine's default device.
         *
         * @param manager the parent manager
         * @return this builder
         */
        public Builder optManager(NDManager manager) {
            this.parent = manager;
            return this;
        }

        /**
         * Resolves the source, reads or draws the images and builds the dataset.
         *
         * @return the dataset; close it when done
         * @throws IllegalArgumentException if sampling is unset, the usage is not TRAIN or TEST,
         *     the limit is not positive, or an explicit data dir is missing or lacks the files
         * @throws IdxFormatException if an IDX file is corrupt
         * @throws IOException if a file cannot be read
         */
        public FashionMnist build() throws IOException {
            if (sampler == null) {
                throw new IllegalArgumentException("sampling is not set: call setSampling(batchSize, shuffle)");
            }
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be > 0 but was " + limit);
            }
            FashionMnistSource.fileNames(usage); // rejects VALIDATION early
            FashionMnistSource src = FashionMnistSource.resolve(usage, dataDir, envDir, systemDir);
            int cap = (int) Math.min(limit, Integer.MAX_VALUE);
            NDManager manager = parent == null ? NDManager.newBaseManager() : parent.newSubManager();
            manager.setName("FashionMnist-" + usage);
            try {
                Loaded loaded = load(this, src, manager, cap);
                LOG.info(
                        "Fashion-MNIST {}: {} images {} from {}",
                        usage,
                        loaded.data.getShape().get(0),
                        loaded.data.getShape(),
                        loaded.source);
                return new FashionMnist(this, manager, loaded);
            } catch (IOException | RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }
}
