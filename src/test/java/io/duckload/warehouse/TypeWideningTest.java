package io.duckload.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeWideningTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            INTEGER        | BIGINT         | true
            INTEGER        | DOUBLE         | true
            SMALLINT       | INTEGER        | true
            SMALLINT       | FLOAT          | true
            TINYINT        | HUGEINT        | true
            UINTEGER       | BIGINT         | true
            UINTEGER       | UBIGINT        | true
            FLOAT          | DOUBLE         | true
            INTEGER        | DECIMAL(12,2)  | true
            DECIMAL(10,2)  | DECIMAL(18,3)  | true
            INTEGER        | INTEGER        | false
            BIGINT         | INTEGER        | false
            BIGINT         | DOUBLE         | false
            INTEGER        | FLOAT          | false
            UINTEGER       | INTEGER        | false
            INTEGER        | UBIGINT        | false
            DOUBLE         | FLOAT          | false
            DECIMAL(18,3)  | DECIMAL(10,2)  | false
            DECIMAL(10,2)  | DECIMAL(10,3)  | false
            BIGINT         | DECIMAL(18,0)  | false
            INTEGER        | VARCHAR        | false
            DATE           | TIMESTAMP      | false
            """)
    void widensOnlyWhenEveryValueKeeps(String from, String to, boolean widens) {
        assertThat(TypeWidening.widens(from, to)).isEqualTo(widens);
    }
}
