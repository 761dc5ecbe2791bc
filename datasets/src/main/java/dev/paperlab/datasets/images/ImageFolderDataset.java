package dev.paperlab.datasets.images;

import ai.djl.basicdataset.cv.classification.AbstractImageFolder;
import ai.djl.basicdataset.cv.classification.ImageFolder;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.TranslateException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's folder of pictures as a DJL {@link ArrayDataset} of fixed-shape images, for any image
 * model. Two layouts: one sub-folder per class (read by DJL's {@link ImageFolder}; labels are the
 * sub-folders' indices in name order, images directly inside each), or a flat folder of images
 * (one class named after the folder, read by {@link FlatImageFolder} on the same DJL code).
 * Files ending {@code .png .jpg .jpeg .bmp .wbmp .gif} count as images; hidden files are skipped.
 *
 * <p>Conversion, all DJL's: {@code ImageFactory} decodes, {@code Image.Flag.GRAYSCALE} makes one
 * channel ({@code 0.299 R + 0.587 G + 0.114 B}, rounded) or {@code COLOR} three, {@code
 * NDImageUtils.resize} (bilinear, on float values) scales to H x W, {@link ToTensor} gives {@code (C, H, W)}
 * float32 in [0, 1]. Data {@code (N, C, H, W)}, or {@code (N, C*H*W)} when flattened; labels
 * {@code (N)} float32 class indices. Every image is decoded once, in {@code build}.
 *
 * <p>Train/test split: a seeded permutation of the listing puts {@code round(N * fraction)}
 * images (at least one when the fraction is positive) in TEST and the rest in TRAIN, each kept in
 * listing order, so the two splits of the same folder and seed are disjoint and together cover
 * it. Batch order and resume are the sampler's business (the harness's {@code EpochSampler}).
 *
 * <p>Clear failure: a missing or empty folder, an image that cannot be decoded, or (with resizing
 * off) an image of another size gives an {@link IllegalArgumentException} naming the folder or
 * file and what is wrong. Close the dataset to free its arrays.
 */
public final class ImageFolderDataset extends ArrayDataset implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataset.class);
    private static final String IMAGE_TYPES = ".png, .jpg, .jpeg, .bmp, .wbmp, .gif";

    private final NDManager manager;
    private final Path folder;
    private final List<String> classNames;
    private final boolean flat;

    private ImageFolderDataset(Builder b, NDManager manager, Loaded loaded) {
        super(b);
        this.manager = manager;
        this.folder = b.folder;
        this.classNames = loaded.classNames;
        this.flat = loaded.flat;
        this.data = new NDArray[] {loaded.data};
        this.labels = new NDArray[] {loaded.labels};
    }

    /** @return a builder: TRAIN, grey 28 x 28, resized, 10% held out, seed 0 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code "images:<folder>"} */
    public String source() {
        return "images:" + folder;
    }

    /** @return class names by label: the sub-folder names, or the folder's name when flat */
    public List<String> classNames() {
        return classNames;
    }

    /** @return whether the folder had no class sub-folders */
    public boolean isFlat() {
        return flat;
    }

    /** @return all images of the split, {@code (N, C, H, W)} or {@code (N, C*H*W)}, owned by the dataset */
    public NDArray dataArray() {
        return data[0];
    }

    /** @return all labels of the split, {@code (N)}, owned by the dataset */
    public NDArray labelArray() {
        return labels[0];
    }

    @Override
    public void close() {
        manager.close();
    }

    private record Loaded(NDArray data, NDArray labels, List<String> classNames, boolean flat) {}

    /** Builder. Required: {@link #setFolder} and {@code setSampling(batchSize, shuffle)}. */
    public static final class Builder extends BaseBuilder<Builder> {
        private Path folder;
        private Dataset.Usage usage = Dataset.Usage.TRAIN;
        private int channels = 1;
        private int height = 28;
        private int width = 28;
        private boolean resize = true;
        private boolean flatten;
        private double testFraction = 0.1;
        private long seed;
        private NDManager parent;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param folder a folder of images, or of one sub-folder of images per class
         * @return this builder
         */
        public Builder setFolder(Path folder) {
            this.folder = folder;
            return this;
        }

        /**
         * @param usage TRAIN (default) or TEST
         * @return this builder
         */
        public Builder optUsage(Dataset.Usage usage) {
            this.usage = usage;
            return this;
        }

        /**
         * @param channels C: 1 (grey, default) or 3 (RGB)
         * @param height H; default 28
         * @param width W; default 28
         * @return this builder
         */
        public Builder optImageShape(int channels, int height, int width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * @param resize scale every image to H x W (default true); false requires every image to
         *     be H x W already
         * @return this builder
         */
        public Builder optResize(boolean resize) {
            this.resize = resize;
            return this;
        }

        /**
         * @param flatten data {@code (N, C*H*W)} instead of {@code (N, C, H, W)}; default false
         * @return this builder
         */
        public Builder optFlatten(boolean flatten) {
            this.flatten = flatten;
            return this;
        }

        /**
         * @param testFraction share of the images held out as TEST, in [0, 1); default 0.1
         * @return this builder
         */
        public Builder optTestFraction(double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        /**
         * @param seed seed of the train/test split; default 0
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param manager parent of the dataset's manager (and its device); default a new base manager
         * @return this builder
         */
        public Builder optManager(NDManager manager) {
            this.parent = manager;
            return this;
        }

        /**
         * Lists, decodes and converts the images of the split.
         *
         * @return the dataset; close it when done
         * @throws IllegalArgumentException for a bad option, a missing or empty folder, an
         *     unreadable image, or an image of the wrong size with resizing off
         */
        public ImageFolderDataset build() {
            if (sampler == null) {
                throw new IllegalArgumentException("sampling is not set: call setSampling(batchSize, shuffle)");
            }
            if (folder == null) {
                throw new IllegalArgumentException("image folder is not set: call setFolder(path)");
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("image channels must be 1 (grey) or 3 (RGB), got " + channels);
            }
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException(
                        "image height x width must be positive, got " + height + " x " + width);
            }
            if (!(testFraction >= 0 && testFraction < 1)) {
                throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
            }
            if (usage != Dataset.Usage.TRAIN && usage != Dataset.Usage.TEST) {
                throw new IllegalArgumentException("usage must be TRAIN or TEST, got " + usage);
            }
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException(
                        "image folder " + folder + (Files.exists(folder) ? " is not a folder" : " does not exist"));
            }
            NDManager m = parent == null ? NDManager.newBaseManager() : parent.newSubManager();
            m.setName("ImageFolder-" + usage);
            try {
                Loaded loaded = load(m);
                LOG.info(
                        "Images {} from {}: {} images {} in {} classes",
                        usage,
                        folder,
                        loaded.data.getShape().get(0),
                        loaded.data.getShape(),
                        loaded.classNames.size());
                return new ImageFolderDataset(this, m, loaded);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }

        private Loaded load(NDManager m) {
            Listing listing = list();
            long[] indices = split(listing.source.size());
            int pixels = channels * height * width;
            float[] x = new float[Math.multiplyExact(indices.length, pixels)];
            float[] y = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                try (NDManager scope = m.newSubManager()) {
                    Record record = listing.source.get(scope, indices[i]);
                    NDArray image = record.getData().head(); // (h, w, C) uint8
                    Shape s = image.getShape();
                    if (resize && (s.get(0) != height || s.get(1) != width)) {
                        // in float: libtorch's uint8 bilinear kernel is off by one grey level even on flat colour
                        image = NDImageUtils.resize(image.toType(DataType.FLOAT32, false), width, height); // (H, W, C)
                    } else if (s.get(0) != height || s.get(1) != width) {
                        throw new IllegalArgumentException(
                                "image " + listing.path(indices[i]) + " is " + s.get(1) + " x " + s.get(0)
                                        + " (width x height); with resizing off every image in " + folder
                                        + " must be " + width + " x " + height);
                    }
                    NDArray chw = new ToTensor().transform(image); // (C, H, W) in [0, 1]
                    System.arraycopy(chw.toFloatArray(), 0, x, i * pixels, pixels);
                    y[i] = record.getLabels()
                            .head()
                            .toType(DataType.FLOAT32, false)
                            .getFloat();
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "cannot read image " + listing.path(indices[i]) + " in " + folder + ": " + e.getMessage(),
                            e);
                }
            }
            Shape shape =
                    flatten ? new Shape(indices.length, pixels) : new Shape(indices.length, channels, height, width);
            return new Loaded(m.create(x, shape), m.create(y), listing.classes, listing.flat);
        }

        /** The split's indices into the listing, in listing order. */
        private long[] split(long n) {
            long test = testFraction == 0 ? 0 : Math.max(1, Math.round(n * testFraction));
            if (n - test < 1) {
                throw new IllegalArgumentException(
                        "image folder " + folder + " has " + n + " image(s): too few to hold out a test fraction of "
                                + testFraction + " and keep one for training");
            }
            long[] order = new long[Math.toIntExact(n)];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Random random = new Random(seed);
            for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
                int j = random.nextInt(i + 1);
                long t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            long[] chosen = usage == Dataset.Usage.TEST
                    ? Arrays.copyOfRange(order, 0, (int) test)
                    : Arrays.copyOfRange(order, (int) test, order.length);
            Arrays.sort(chosen);
            return chosen;
        }

        private Listing list() {
            File[] sub = folder.toFile()
                    .listFiles(f -> f.isDirectory() && !f.getName().startsWith("."));
            boolean flat = sub == null || sub.length == 0;
            Image.Flag flag = channels == 1 ? Image.Flag.GRAYSCALE : Image.Flag.COLOR;
            AbstractImageFolder source;
            if (flat) {
                FlatImageFolder.Builder b =
                        FlatImageFolder.builder().setRepositoryPath(folder).optFlag(flag);
                source = configure(b).build();
            } else {
                ImageFolder.Builder b =
                        ImageFolder.builder().setRepositoryPath(folder).optFlag(flag);
                source = configure(b).build();
            }
            List<String> classes;
            try {
                source.prepare();
                classes = source.getSynset();
            } catch (IOException | TranslateException e) {
                throw new IllegalArgumentException("cannot list image folder " + folder + ": " + e.getMessage(), e);
            }
            if (source.size() == 0) {
                throw new IllegalArgumentException("image folder " + folder + " holds no images (" + IMAGE_TYPES + ") "
                        + (flat ? "and no class sub-folders" : "in its class sub-folders " + classes));
            }
            return new Listing(source, List.copyOf(classes), flat);
        }

        private static <T extends AbstractImageFolder.ImageFolderBuilder<T>> T configure(T b) {
            // no image size given to DJL: it would resize the uint8 array; load() resizes in float
            return b.setSampling(1, false);
        }

        /** The DJL source and, for messages, the file of an image. */
        private final class Listing {
            final AbstractImageFolder source;
            final List<String> classes;
            final boolean flat;

            Listing(AbstractImageFolder source, List<String> classes, boolean flat) {
                this.source = source;
                this.classes = classes;
                this.flat = flat;
            }

            /**
             * The file of image {@code index}. DJL's ImageFolder keeps its paths private; its
             * listing is class by class, each class folder listed as a {@link FlatImageFolder}
             * lists it, so counting through the classes finds the file.
             */
            String path(long index) {
                if (flat) {
                    return ((FlatImageFolder) source).path(index).toString();
                }
                long left = index;
                for (String c : classes) {
                    FlatImageFolder one = FlatImageFolder.builder()
                            .setRepositoryPath(folder.resolve(c))
                            .setSampling(1, false)
                            .build();
                    one.prepare(null);
                    if (left < one.size()) {
                        return one.path(left).toString();
                    }
                    left -= one.size();
                }
                return "#" + index;
            }
        }
    }
}
