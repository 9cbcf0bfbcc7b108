package io.duckload.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Source locations lose query string, user-info and fragment, and keep scheme, host, port and path. */
class LocationsTest {

    @Test
    void dropsAQueryStringButShowsThatOneWasThere() {
        assertThat(Locations.redact("https://host.example/path/file.parquet?X-Amz-Signature=abc&token=s3cr3t"))
                .isEqualTo("https://host.example/path/file.parquet?…");
    }

    @Test
    void dropsUserInfoAndKeepsThePort() {
        assertThat(Locations.redact("http://user:pa%40ss@127.0.0.1:8080/a/b.csv"))
                .isEqualTo("http://127.0.0.1:8080/a/b.csv");
        assertThat(Locations.redact("https://token@host")).isEqualTo("https://host");
    }

    @Test
    void anAtSignInThePathIsNotUserInfo() {
        assertThat(Locations.redact("https://host/users/@me/file.csv")).isEqualTo("https://host/users/@me/file.csv");
    }

    @Test
    void dropsAFragment() {
        assertThat(Locations.redact("https://host/f.csv#secret")).isEqualTo("https://host/f.csv");
        assertThat(Locations.redact("https://host/f.csv?a=1#b")).isEqualTo("https://host/f.csv?…");
    }

    @Test
    void keepsS3LocationsTemplatesAndPathsAsTheyAre() {
        assertThat(Locations.redact("s3://bucket/key/2023-01.parquet")).isEqualTo("s3://bucket/key/2023-01.parquet");
        assertThat(Locations.redact("https://h/trips_{YYYY-MM}.parquet?sig={partition}"))
                .isEqualTo("https://h/trips_{YYYY-MM}.parquet?…");
        assertThat(Locations.redact("/data/in/file?.csv")).isEqualTo("/data/in/file?.csv");
        assertThat(Locations.redact("file:///data/in/f.csv")).isEqualTo("file:///data/in/f.csv");
        assertThat(Locations.redact(null)).isNull();
    }

    @Test
    void redactsEveryUrlQuotedInAMessage() {
        assertThat(Locations.redactText(
                "fetching https://u:p@h/f.csv?token=abc answered HTTP 403; mirror \"http://m/f.csv?sig=x\" too"))
                .isEqualTo("fetching https://h/f.csv?… answered HTTP 403; mirror \"http://m/f.csv?…\" too");
        assertThat(Locations.redactText("no location here")).isEqualTo("no location here");
    }
}
