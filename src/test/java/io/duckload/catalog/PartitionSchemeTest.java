package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;

class PartitionSchemeTest {

    private static final LocalDate TODAY = LocalDate.of(2025, 6, 15);

    private final PartitionScheme monthly = new PartitionScheme(Granularity.MONTHLY, LocalDate.of(2023, 1, 1),
            Optional.of(LocalDate.of(2025, 1, 1)), "partition_date", DateTimeFormatter.ofPattern("yyyy-MM"));
    private final PartitionScheme openMonthly = new PartitionScheme(Granularity.MONTHLY, LocalDate.of(2023, 1, 1),
            Optional.empty(), "partition_date", DateTimeFormatter.ofPattern("yyyy-MM"));
    private final PartitionScheme daily = new PartitionScheme(Granularity.DAILY, LocalDate.of(2023, 1, 1),
            Optional.empty(), "day", DateTimeFormatter.ISO_LOCAL_DATE);

    @ParameterizedTest
    @ValueSource(strings = { "2023-03-01", "2023-03" })
    void monthlyKeyWithOrWithoutDayIsTheMonthsFirstDay(String key) {
        Partition expected = new Partition("2023-03-01", LocalDate.of(2023, 3, 1), LocalDate.of(2023, 4, 1),
                "2023-03");
        assertThat(monthly.parse(key, TODAY)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "2023-03-15", "2023-13-01", "2023-02-30", "2023-00", "../../etc/passwd",
            "2023-03-01'; drop table trips; --", "２０２３-０３-０１", "", " 2023-03-01", "2023-03-01\n", "2023/03/01",
            "20230301" })
    void malformedOrImpossibleMonthlyKeyIsAnInvalidPartition(String key) {
        assertThat(failure(monthly, key)).isEqualTo(ErrorCode.INVALID_PARTITION);
    }

    @ParameterizedTest
    @ValueSource(strings = { "2022-12-01", "2025-01-01", "2025-02" })
    void keyBeforeTheStartOrAtOrAfterTheEndIsOutOfRange(String key) {
        assertThat(failure(monthly, key)).isEqualTo(ErrorCode.PARTITION_OUT_OF_RANGE);
    }

    @Test
    void partitionStartingAfterTodayIsOutOfRange() {
        assertThat(failure(openMonthly, "2025-07-01")).isEqualTo(ErrorCode.PARTITION_OUT_OF_RANGE);
        assertThat(failure(daily, "2025-06-16")).isEqualTo(ErrorCode.PARTITION_OUT_OF_RANGE);
    }

    @Test
    void partitionsAtTheStartAndTheCurrentPeriodAreAccepted() {
        assertThat(monthly.parse("2023-01", TODAY).key()).isEqualTo("2023-01-01");
        assertThat(openMonthly.parse("2025-06", TODAY).end()).isEqualTo(LocalDate.of(2025, 7, 1));
        assertThat(daily.parse("2025-06-15", TODAY).key()).isEqualTo("2025-06-15");
    }

    @Test
    void dailyKeyNamesOneDay() {
        Partition expected = new Partition("2023-03-15", LocalDate.of(2023, 3, 15), LocalDate.of(2023, 3, 16),
                "2023-03-15");
        assertThat(daily.parse("2023-03-15", TODAY)).isEqualTo(expected);
    }

    @Test
    void dailyKeyWithoutDayIsAnInvalidPartition() {
        LoadException e = catchThrowableOfType(LoadException.class, () -> daily.parse("2023-03", TODAY));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARTITION);
        assertThat(e.getMessage()).contains("needs a day");
    }

    @Test
    void rejectionQuotesALongKeyShortened() {
        LoadException e = catchThrowableOfType(LoadException.class, () -> monthly.parse("x".repeat(1000), TODAY));
        assertThat(e.getMessage()).contains("\"" + "x".repeat(40) + "…\"").hasSizeLessThan(120);
    }

    private static ErrorCode failure(PartitionScheme scheme, String key) {
        LoadException e = catchThrowableOfType(LoadException.class, () -> scheme.parse(key, TODAY));
        assertThat(e).as("rejection of %s", key).isNotNull();
        return e.code();
    }
}
