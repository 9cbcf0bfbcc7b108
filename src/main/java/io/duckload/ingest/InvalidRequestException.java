package io.duckload.ingest;

/** A message that is not a PartitionRequested at all; it goes to the dead-letter topic with this reason. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String reason) {
        super(reason);
    }
}
