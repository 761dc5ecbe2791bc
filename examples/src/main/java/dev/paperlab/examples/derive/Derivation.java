package dev.paperlab.examples.derive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of checking one result of the canon numerically.
 *
 * @param number the canon's number, "13" to "24"
 * @param title short name
 * @param claim what the mathematics says, in one line
 * @param analytic the value the derivation predicts
 * @param measured the value measured here (or the fitted slope)
 * @param pass whether the measurement agrees within the stated tolerance
 * @param details further numbers for {@code summary.json}
 * @param pictures PNG files written
 */
public record Derivation(
        String number,
        String title,
        String claim,
        String analytic,
        String measured,
        boolean pass,
        Map<String, Object> details,
        List<String> pictures) {

    /** The {@code summary.json} entry. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("claim", claim);
        m.put("analytic", analytic);
        m.put("measured", measured);
        m.put("status", pass ? "PASS" : "FAIL");
        m.putAll(details);
        if (!pictures.isEmpty()) {
            m.put("pictures", pictures);
        }
        return m;
    }

    /** {@code String.format} in the root locale, for the printed values. */
    static String f(String format, Object... args) {
        return String.format(java.util.Locale.ROOT, format, args);
    }
}
