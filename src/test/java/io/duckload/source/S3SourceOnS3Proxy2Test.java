package io.duckload.source;

import static io.duckload.source.SourceTestSupport.assertFetchFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.duckload.failure.ErrorCode;

/**
 * The S3 source against the previous generation of s3proxy, which answers the AWS SDK's default checksum headers
 * with 501 Not Implemented (issue 9): with duckload's default ({@code duckload.s3.checksums=when-required}) every
 * test of {@link S3SourceTest} passes; with the SDK's own default the refusal is permanent and quotes the server.
 */
class S3SourceOnS3Proxy2Test extends S3SourceTest {

    @Override
    String s3proxyVersion() {
        return S3Proxy.OLD;
    }

    @Test
    void theSdksDefaultChecksumsAreRefusedPermanentlyWithTheServersMessage() throws IOException {
        SourceFetcher sdkDefaults = fetcher("duckload.s3.checksums", "when-supported");
        try {
            var failure = assertFetchFails(sdkDefaults, "s3://trips/2023/zones.csv", ErrorCode.SOURCE_REFUSED,
                    staging());
            assertThat(failure.code().isTransient()).isFalse();
            assertThat(failure.getMessage()).contains("s3://trips/2023/zones.csv", "answered HTTP 501",
                    "NotImplemented");
        } finally {
            sdkDefaults.close();
        }
    }
}
