package io.duckload.failure;

/** A request that cannot be done, with the code its PartitionFailed event carries. */
public class LoadException extends RuntimeException {

    private final ErrorCode code;

    public LoadException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public LoadException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
