package dev.dumpflow.functions.retention;

import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/** The storage classes a dump may move to, each with the least age S3 accepts for the move. */
public enum TransitionClass {
    /** Infrequent access; S3 moves objects only once they are 30 days old. */
    STANDARD_IA(30),
    /** Infrequent access in one zone; 30 days at least, as for STANDARD_IA. */
    ONEZONE_IA(30),
    /** Intelligent-Tiering; no least age. */
    INTELLIGENT_TIERING(0),
    /** Glacier Instant Retrieval; no least age. */
    GLACIER_IR(0),
    /** Glacier Flexible Retrieval; no least age. */
    GLACIER(0),
    /** Glacier Deep Archive; no least age. */
    DEEP_ARCHIVE(0);

    private final int minimumDays;

    TransitionClass(int minimumDays) {
        this.minimumDays = minimumDays;
    }

    /** The fewest days after creation at which S3 accepts a transition to this class. */
    public int minimumDays() {
        return minimumDays;
    }

    TransitionStorageClass toSdk() {
        return TransitionStorageClass.fromValue(name());
    }
}
