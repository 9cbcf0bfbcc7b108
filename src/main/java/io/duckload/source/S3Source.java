package io.duckload.source;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

import io.duckload.catalog.DuckloadConfig;
import io.duckload.catalog.Locations;
import io.duckload.catalog.SourceFormat;
import io.duckload.failure.ErrorCode;
import io.duckload.failure.LoadException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@code s3://bucket/key} object, streamed into staging with AWS SDK v2. Credentials come from the SDK's
 * default chain (system properties, environment, web identity, profile files, container and instance roles); the
 * region from {@code duckload.s3.region} or the SDK's default region chain; {@code duckload.s3.endpoint} and
 * {@code path-style-access} point it at an S3-compatible store; {@code duckload.s3.checksums} keeps the SDK's
 * checksum headers off unless an operation requires them, as older stores reject them. The SDK's own retries are
 * off: as for http(s), one fetch is one request and the caller retries transient failures.
 */
final class S3Source implements Source, AutoCloseable {

    private final DuckloadConfig.S3 config;
    private final DuckloadConfig.Http timeouts;
    private final Staging staging;
    private DefaultCredentialsProvider credentials;
    private S3Client client;

    S3Source(DuckloadConfig.S3 config, DuckloadConfig.Http timeouts, Staging staging) {
        this.config = config;
        this.timeouts = timeouts;
        this.staging = staging;
    }

    @Override
    public StagedSource fetch(String location, SourceFormat format, String loadId) {
        String shown = Locations.redact(location);
        String path = location.substring("s3://".length());
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new LoadException(ErrorCode.SOURCE_NOT_FOUND, "not an s3://bucket/key location: " + shown);
        }
        GetObjectRequest request = GetObjectRequest.builder().bucket(path.substring(0, slash))
                .key(path.substring(slash + 1)).build();
        S3Client s3 = client(shown);
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(request)) {
            GetObjectResponse object = body.response();
            try {
                return staging.write(body, shown, request.key(), Optional.ofNullable(object.contentEncoding()),
                        object.eTag(), format, loadId,
                        object.contentLength() == null ? -1 : object.contentLength());
            } catch (IOException | SdkClientException e) {
                body.abort(); // drop the connection rather than drain what is left of the object
                throw e;
            }
        } catch (S3Exception e) {
            throw SourceFailures.ofStatus(e.statusCode(), shown, serverSays(e));
        } catch (SdkClientException | IOException e) {
            throw SourceFailures.unreachable("cannot fetch " + shown + ": "
                    + Locations.redactText(e.getMessage()), e);
        }
    }

    /** S3's error code and message, e.g. {@code NotImplemented: A header you provided implies functionality...}. */
    private static String serverSays(S3Exception e) {
        AwsErrorDetails details = e.awsErrorDetails();
        if (details == null) {
            return null;
        }
        String message = details.errorMessage();
        return Objects.toString(details.errorCode(), "") + (message == null ? "" : ": " + message);
    }

    /** The client, built on first use so that a service without s3 sources needs no AWS setup. */
    private synchronized S3Client client(String location) {
        if (client == null) {
            credentials = DefaultCredentialsProvider.builder().build();
            boolean whenRequired = config.checksums() == DuckloadConfig.Checksums.WHEN_REQUIRED;
            S3ClientBuilder builder = S3Client.builder()
                    .credentialsProvider(credentials)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(timeouts.connectTimeout())
                            .socketTimeout(timeouts.readTimeout()))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    // The SDK's default (since 2.30) adds checksum headers and trailers that many S3-compatible
                    // stores answer with 501 (issue 9); a plain GET needs none of them.
                    .requestChecksumCalculation(whenRequired
                            ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                    .responseChecksumValidation(whenRequired
                            ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                    .forcePathStyle(config.pathStyleAccess());
            config.region().map(Region::of).ifPresent(builder::region);
            config.endpoint().ifPresent(builder::endpointOverride);
            try {
                client = builder.build();
            } catch (SdkClientException e) {
                throw new LoadException(ErrorCode.INTERNAL, "cannot set up S3 for " + location + ": "
                        + e.getMessage() + " (set duckload.s3.region or AWS_REGION)", e);
            }
        }
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new LoadException(ErrorCode.SOURCE_FORBIDDEN, "no AWS credentials to fetch " + location + ": "
                    + e.getMessage(), e);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            credentials.close();
            credentials = null;
            client = null;
        }
    }
}
