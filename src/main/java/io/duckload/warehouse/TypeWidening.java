package io.duckload.warehouse;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which changes of a column's type keep every value it can hold, on DuckDB's own type names: a larger integer,
 * FLOAT to DOUBLE, a small integer to a floating type that holds it exactly, a DECIMAL with at least as many digits
 * before and after the point. (DuckDB ignores a VARCHAR's length, so {@code varchar(n)} to {@code varchar} is no
 * change at all.)
 */
final class TypeWidening {

    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");
    /** Bytes of each signed and unsigned integer type. */
    private static final Map<String, Integer> SIGNED = Map.of("TINYINT", 1, "SMALLINT", 2, "INTEGER", 4, "BIGINT", 8,
            "HUGEINT", 16);
    private static final Map<String, Integer> UNSIGNED = Map.of("UTINYINT", 1, "USMALLINT", 2, "UINTEGER", 4,
            "UBIGINT", 8, "UHUGEINT", 16);
    /** Decimal digits each integer type may need. */
    private static final Map<String, Integer> DIGITS = Map.of("TINYINT", 3, "SMALLINT", 5, "INTEGER", 10,
            "BIGINT", 19, "HUGEINT", 39, "UTINYINT", 3, "USMALLINT", 5, "UINTEGER", 10, "UBIGINT", 20);

    private TypeWidening() {
    }

    /** Whether every value of type {@code from} converts to {@code to} unchanged. */
    static boolean widens(String from, String to) {
        if (from.equals(to)) {
            return false;
        }
        Integer bytes = SIGNED.containsKey(from) ? SIGNED.get(from) : UNSIGNED.get(from);
        if (bytes != null) {
            if (SIGNED.containsKey(to)) {
                // Signed or not, the value needs a strictly larger signed type (an unsigned one uses every bit).
                return SIGNED.get(to) > bytes;
            }
            if (UNSIGNED.containsKey(to)) {
                return UNSIGNED.containsKey(from) && UNSIGNED.get(to) > bytes;
            }
            // FLOAT holds integers up to 2^24 exactly, DOUBLE up to 2^53.
            if (to.equals("FLOAT")) {
                return bytes <= 2;
            }
            if (to.equals("DOUBLE")) {
                return bytes <= 4;
            }
            Matcher decimal = DECIMAL.matcher(to);
            return decimal.matches() && DIGITS.containsKey(from)
                    && integerDigits(decimal) >= DIGITS.get(from);
        }
        if (from.equals("FLOAT")) {
            return to.equals("DOUBLE");
        }
        Matcher source = DECIMAL.matcher(from);
        Matcher target = DECIMAL.matcher(to);
        return source.matches() && target.matches() && integerDigits(target) >= integerDigits(source)
                && Integer.parseInt(target.group(2)) >= Integer.parseInt(source.group(2));
    }

    private static int integerDigits(Matcher decimal) {
        return Integer.parseInt(decimal.group(1)) - Integer.parseInt(decimal.group(2));
    }
}
