package io.duckload.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A text with {@code {name}} placeholders, checked once against the names allowed where it is used. */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_-]+)}");

    private final String text;
    private final List<String> names;

    private Template(String text, List<String> names) {
        this.text = text;
        this.names = names;
    }

    /**
     * Parses {@code text}; an unknown placeholder or a stray brace is an error naming {@code key}.
     */
    public static Template parse(String key, String text, Set<String> allowed) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                throw new CatalogException(key, "unknown placeholder {" + m.group(1) + "}; allowed: " + allowed);
            }
            names.add(m.group(1));
            rest.append(text, last, m.start());
            last = m.end();
        }
        rest.append(text.substring(last));
        if (rest.indexOf("{") >= 0 || rest.indexOf("}") >= 0) {
            throw new CatalogException(key, "unbalanced brace in template " + text);
        }
        return new Template(text, List.copyOf(names));
    }

    /** Placeholder names in order of appearance, repeats included. */
    public List<String> names() {
        return names;
    }

    public boolean uses(String name) {
        return names.contains(name);
    }

    /** Replaces every placeholder by what {@code replacement} gives for its name. */
    public String render(Function<String, String> replacement) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    public String render(Map<String, String> values) {
        return render(values::get);
    }

    @Override
    public String toString() {
        return text;
    }
}
