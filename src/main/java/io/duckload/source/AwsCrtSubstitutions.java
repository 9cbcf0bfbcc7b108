package io.duckload.source;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

/**
 * The native executable's view of the AWS SDK's checksums: the SDK reaches its CRT-based CRC32C, CRC64NVME and
 * XXHASH classes, from the optional {@code aws-crt} jar, behind a class-path check. duckload ships without that jar
 * (S3 GETs carry no checksum unless {@code duckload.s3.checksums=when-supported}, and then CRC32), and Quarkus links
 * every class at image build time, so the references that check guards are cut here: CRC32C falls back to the JDK's,
 * as on the JVM without the jar, and the CRT-only algorithms fail with the SDK's own message.
 */
final class AwsCrtSubstitutions {

    private AwsCrtSubstitutions() {
    }

    @TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
    static final class ChecksumProviderWithoutCrt {

        @Substitute
        static SdkChecksum createCrtCrc32C() {
            return null;
        }

        @Substitute
        static SdkChecksum crc64NvmeCrtImplementation() {
            throw new RuntimeException("Could not load software.amazon.awssdk.crt.checksums.CRC64NVME. Add dependency"
                    + " on 'software.amazon.awssdk.crt:aws-crt' module to enable CRC64NVME feature.");
        }

        @Substitute
        static SdkChecksum crtXxHash(ChecksumAlgorithm algorithm) {
            throw new RuntimeException("Could not load software.amazon.awssdk.crt.checksums.XXHash. Add dependency"
                    + " on 'software.amazon.awssdk.crt:aws-crt' module.");
        }
    }
}
