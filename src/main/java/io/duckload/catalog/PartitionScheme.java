package io.duckload.catalog;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

/** Turns partition keys from requests into validated {@link Partition}s of one dataset. */
public final class PartitionScheme {

    // ASCII digits only: Unicode look-alikes ("２０２３") must not pass as a date.
    private static final Pattern KEY = Pattern.compile("([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?");

    private final Granularity granularity;
    private final LocalDate start;
    private final Optional<LocalDate> end;
    private final String column;
    private final DateTimeFormatter valueFormat;

    public PartitionScheme(Granularity granularity, LocalDate start, Optional<LocalDate> end, String column,
            DateTimeFormatter valueFormat) {
        this.granularity = granularity;
        this.start = start;
        this.end = end;
        this.column = column;
        this.valueFormat = valueFormat;
    }

    public Granularity granularity() {
        return granularity;
    }

    public LocalDate start() {
        return start;
    }

    public Optional<LocalDate> end() {
        return end;
    }

    /** Table column that stores the partition value. */
    public String column() {
        return column;
    }

    /**
     * Parses a key such as {@code 2023-03-01} (or {@code 2023-03} for a monthly partition) and checks it lies
     * within the definition, i.e. at or after the start, before the end, and not in the future.
     */
    public Partition parse(String key, LocalDate today) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            throw new LoadException(ErrorCode.INVALID_PARTITION,
                    "partition must look like YYYY-MM-DD" + (granularity == Granularity.MONTHLY ? " or YYYY-MM" : "")
                            + ", got " + quoted(key));
        }
        if (m.group(3) == null && granularity == Granularity.DAILY) {
            throw new LoadException(ErrorCode.INVALID_PARTITION,
                    "a daily partition needs a day (YYYY-MM-DD), got " + quoted(key));
        }
        LocalDate first;
        try {
            first = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw new LoadException(ErrorCode.INVALID_PARTITION, "partition " + quoted(key) + " is not a date");
        }
        if (!granularity.isBoundary(first)) {
            throw new LoadException(ErrorCode.INVALID_PARTITION,
                    "a monthly partition starts on the first of the month, got " + quoted(key));
        }
        if (first.isBefore(start)) {
            throw new LoadException(ErrorCode.PARTITION_OUT_OF_RANGE,
                    "partition " + first + " is before the dataset's start " + start);
        }
        if (end.isPresent() && !first.isBefore(end.get())) {
            throw new LoadException(ErrorCode.PARTITION_OUT_OF_RANGE,
                    "partition " + first + " is at or after the dataset's end " + end.get());
        }
        if (first.isAfter(today)) {
            throw new LoadException(ErrorCode.PARTITION_OUT_OF_RANGE,
                    "partition " + first + " lies in the future");
        }
        return new Partition(first.toString(), first, granularity.next(first), valueFormat.format(first));
    }

    /** Every partition from {@code from} to {@code to}, both included, in order; at most {@code limit}. */
    public java.util.List<Partition> range(String from, String to, LocalDate today, int limit) {
        Partition first = parse(from, today);
        Partition last = parse(to, today);
        if (last.start().isBefore(first.start())) {
            throw new LoadException(ErrorCode.INVALID_PARTITION,
                    "backfill range ends (" + last.key() + ") before it starts (" + first.key() + ")");
        }
        java.util.List<Partition> partitions = new java.util.ArrayList<>();
        for (Partition p = first; !p.start().isAfter(last.start()); p = parse(p.end().toString(), today)) {
            if (partitions.size() == limit) {
                throw new LoadException(ErrorCode.INVALID_PARTITION,
                        "backfill range holds more than " + limit + " partitions");
            }
            partitions.add(p);
        }
        return partitions;
    }

    private static String quoted(String key) {
        String shown = key.length() > 40 ? key.substring(0, 40) + "…" : key;
        return "\"" + shown + "\"";
    }
}
