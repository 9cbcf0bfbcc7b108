/**
 * The wire contracts: the records duckload reads from and writes to Kafka and posts to integrations
 * (PartitionRequested, PartitionMaterialized, PartitionFailed, Dagster's and OpenLineage's bodies), with the JSON
 * Schemas of duckload's own events beside them as resources. The ground floor of the layering: every package may
 * use them; they depend on nothing but the JDK and Jackson's annotations (LayeringTest). Built by
 * {@code io.duckload.events}, registered for the native executable there.
 */
package io.duckload.contracts;
