package dev.paperlab.datasets.images;

import ai.djl.basicdataset.cv.classification.AbstractImageFolder;
import ai.djl.basicdataset.cv.classification.ImageFolder;
import ai.djl.util.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder of images with no class sub-folders, as one class named after the folder. DJL's
 * {@link ImageFolder} needs one sub-folder per class (its {@code prepare} throws on a folder
 * without sub-folders), so this extends the same {@link AbstractImageFolder}: the listing (which
 * files count as images), the decoding through {@code ImageFactory}, the grey/colour flag and the
 * resize are DJL's; only the class list differs. Also used for the path of an image in error
 * messages, which {@code ImageFolder} keeps private.
 */
final class FlatImageFolder extends AbstractImageFolder {

    private FlatImageFolder(Builder builder) {
        super(builder);
    }

    static Builder builder() {
        return new Builder();
    }

    /** The file of image {@code index}, in listing order. */
    Path path(long index) {
        return getImagePath(items.get(Math.toIntExact(index)).getKey());
    }

    @Override
    protected Path getImagePath(String key) {
        return Path.of(key);
    }

    @Override
    public void prepare(Progress progress) {
        if (prepared) {
            return;
        }
        Path root = Path.of(mrl.getRepository().getBaseUri()).toAbsolutePath().normalize();
        Path parent = root.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("image folder must not be the file-system root, got " + root);
        }
        String name = root.getFileName().toString();
        synset.add(name);
        // DJL lists parent/<class> for each class; here the one class is the folder itself
        listImages(parent, List.of(name));
        prepared = true;
    }

    /** Builder: {@code setRepositoryPath(folder)}, and DJL's image options. */
    static final class Builder extends ImageFolderBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }

        FlatImageFolder build() {
            return new FlatImageFolder(this);
        }
    }
}
