package dev.paperlab.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The input files of a job in their global order: a file, or every file under a folder
 * (recursively, hidden {@code .x} and {@code _x} names skipped), sorted by path. Document order, and
 * so which copy of a duplicate survives, follows this order and the position in each file.
 */
final class InputFiles {
    private InputFiles() {}

    static List<String> list(Configuration conf, String input) throws IOException {
        Path path = new Path(input);
        FileSystem fs = path.getFileSystem(conf);
        path = fs.makeQualified(path);
        if (!fs.exists(path)) {
            throw new IllegalArgumentException("--input " + input + " does not exist");
        }
        List<String> out = new ArrayList<>();
        FileStatus status = fs.getFileStatus(path);
        if (status.isFile()) {
            out.add(fs.makeQualified(path).toString());
        } else {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (!hidden(p, path)) {
                    out.add(fs.makeQualified(p).toString());
                }
            }
        }
        out.sort(null);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--input " + input + " holds no files");
        }
        return out;
    }

    private static boolean hidden(Path p, Path root) {
        for (Path q = p; q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
            if (q.getName().startsWith(".") || q.getName().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** Total bytes of the files. */
    static long totalBytes(Configuration conf, List<String> files) throws IOException {
        long total = 0;
        for (String f : files) {
            Path p = new Path(f);
            total += p.getFileSystem(conf).getFileStatus(p).getLen();
        }
        return total;
    }
}
