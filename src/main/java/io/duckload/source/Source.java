package io.duckload.source;

import io.duckload.catalog.SourceFormat;

/** One kind of source location (local file, http(s), s3): brings the file at a location to local disk. */
interface Source {

    /**
     * Makes the file at {@code location} readable locally; {@code loadId} names a staged copy.
     *
     * @throws io.duckload.failure.LoadException with the code of the failure
     */
    StagedSource fetch(String location, SourceFormat format, String loadId);
}
