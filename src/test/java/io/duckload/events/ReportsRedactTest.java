package io.duckload.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Source locations in reports lose what may carry credentials: query strings, user-info, fragments. */
class ReportsRedactTest {

    @Test
    void queryStringAndUserInfoAreDropped() {
        assertThat(Reports.redact("https://bucket.s3.amazonaws.com/trips/2023-01.parquet"
                + "?X-Amz-Signature=abc&X-Amz-Credential=key")).isEqualTo(
                        "https://bucket.s3.amazonaws.com/trips/2023-01.parquet");
        assertThat(Reports.redact("https://user:secret@mirror.example:8443/t.parquet#part")).isEqualTo(
                "https://mirror.example:8443/t.parquet");
    }

    @Test
    void locationsWithoutSecretsStayAsTheyAre() {
        assertThat(Reports.redact("file:///srv/sources/yellow_tripdata_2023-01.parquet"))
                .isEqualTo("file:///srv/sources/yellow_tripdata_2023-01.parquet");
        assertThat(Reports.redact("/srv/sources/taxi zones.csv")).isEqualTo("/srv/sources/taxi zones.csv");
        assertThat(Reports.redact("s3://bucket/trips/2023-01.parquet")).isEqualTo("s3://bucket/trips/2023-01.parquet");
    }

    @Test
    void aPathThatIsNoUriIsCutAtItsQuery() {
        assertThat(Reports.redact("/srv/odd path/t.parquet?token=x")).isEqualTo("/srv/odd path/t.parquet");
    }
}
