package dev.paperlab.examples.derive;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** The twelve checks by number, "13" to "24"; each writes its PNGs into the given folder. */
public final class Derivations {

    private Derivations() {}

    /** All checks in order; each takes the output folder and a seed. */
    public static Map<String, BiFunction<Path, Long, Derivation>> all() {
        Map<String, BiFunction<Path, Long, Derivation>> m = new LinkedHashMap<>();
        m.put("13", (out, seed) -> ModelDerivations.softmaxCrossEntropy(seed));
        m.put("14", MathDerivations::eckartYoung);
        m.put("15", (out, seed) -> ModelDerivations.adam(seed));
        m.put("16", (out, seed) -> ModelDerivations.reparameterization(seed));
        m.put("17", (out, seed) -> ModelDerivations.attentionGradient(seed));
        m.put("18", (out, seed) -> ModelDerivations.elbo(seed));
        m.put("19", (out, seed) -> MathDerivations.gibbs(seed));
        m.put("20", MathDerivations::mixtureEntropy);
        m.put("21", MathDerivations::biasVariance);
        m.put("22", ModelDerivations::mcDropout);
        m.put("23", MathDerivations::sgd);
        m.put("24", ModelDerivations::attentionComplexity);
        return m;
    }
}
