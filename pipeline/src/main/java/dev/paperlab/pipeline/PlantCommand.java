package dev.paperlab.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a benchmark corpus with planted duplicates ({@link PlantedCorpus}). */
@Command(
        name = "plant",
        mixinStandardHelpOptions = true,
        description = "Benchmark corpus: bigram-chain documents with planted exact and near copies.")
public final class PlantCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, description = "Folder to write (part-*.txt, _truth.tsv).")
    Path output;

    @Option(names = "--size-mb", description = "Corpus size in MB (default: ${DEFAULT-VALUE}).")
    long sizeMb = 200;

    @Option(names = "--exact", description = "Share of exact copies (default: ${DEFAULT-VALUE}).")
    double exact = 0.05;

    @Option(names = "--near", description = "Share of near copies (default: ${DEFAULT-VALUE}).")
    double near = 0.10;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--sources",
            split = ",",
            description = "Texts the bigram chain is fitted to (default: shared/data tinyshakespeare and wikitext-2).")
    List<Path> sources;

    @Override
    public Integer call() throws Exception {
        if (sources == null) {
            sources = List.of(SharedData.find("tinyshakespeare.txt"), SharedData.find("wikitext-2-valid.txt"));
        }
        for (Path p : sources) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--sources file " + p + " does not exist");
            }
        }
        if (!(exact >= 0 && near >= 0 && exact + near < 1)) {
            throw new IllegalArgumentException(
                    "--exact and --near must be >= 0 with a sum below 1, got " + exact + " and " + near);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "plant");
        result.putAll(PlantedCorpus.write(sources, output, sizeMb * 1_000_000, exact, near, seed));
        PipelineMain.printResult(result);
        return 0;
    }
}
