package dev.dumpflow.functions.retention;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A plain SDK client for an S3 server that a test started on loopback. */
final class LoopbackS3Client {

    static final String ACCESS_KEY = "dumpflow-test";
    static final String SECRET_KEY = "dumpflow-test-secret";
    static final String REGION = "us-east-1";

    private LoopbackS3Client() {}

    static S3Client of(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(ApacheHttpClient.create())
                // S3Proxy rejects the trailing checksums the SDK adds to uploads since 2.30, as
                // quarkus.s3.checksum-validation=false avoids in the application.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }
}
