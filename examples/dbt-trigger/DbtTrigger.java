import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a command (dbt) for each PartitionMaterialized event, one at a time, committing the event's offset after the
 * command ended, so an event is handled at least once. Single-file program:
 *
 * <pre>
 * java -cp kafka-clients.jar:jackson-databind.jar:jackson-core.jar:jackson-annotations.jar:slf4j-api.jar \
 *   DbtTrigger.java --bootstrap-servers localhost:9092 -- dbt build --select {select} --vars {vars}
 * </pre>
 *
 * Placeholders in each command argument: {select}, {vars} (JSON, "{}" without a window), {min_date}, {max_date},
 * {dataset}, {table}, {partition}, {partition_value}, {database}, {export}, {load_id}. The command is run directly,
 * not through a shell, so event values never become shell syntax. Events without a {@code dbt} member are skipped.
 */
public class DbtTrigger {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(Map.of("--bootstrap-servers", "localhost:9092",
                "--topic", "partition-materialized", "--group", "dbt-trigger", "--dataset", ""));
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                command.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            options.put(args[i], args[++i]);
        }
        if (command.isEmpty()) {
            System.err.println("usage: DbtTrigger [--bootstrap-servers h:p] [--topic t] [--group g] [--dataset d]"
                    + " -- command {select} {vars} ...");
            System.exit(2);
        }
        Properties settings = new Properties();
        settings.put("bootstrap.servers", options.get("--bootstrap-servers"));
        settings.put("group.id", options.get("--group"));
        settings.put("enable.auto.commit", "false");
        settings.put("auto.offset.reset", "earliest");
        // A dbt run may take long: the consumer must not be thrown out of its group meanwhile.
        settings.put("max.poll.records", "1");
        settings.put("max.poll.interval.ms", Integer.toString(60 * 60 * 1000));
        try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(options.get("--topic")));
            System.out.println("dbt-trigger: listening on " + options.get("--topic"));
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    handle(MAPPER.readTree(record.value()), command, options.get("--dataset"));
                    consumer.commitSync();
                }
            }
        }
    }

    private static void handle(JsonNode event, List<String> template, String dataset) throws Exception {
        JsonNode dbt = event.path("dbt");
        if (dbt.isMissingNode() || (!dataset.isEmpty() && !dataset.equals(event.path("dataset").asText()))) {
            return;
        }
        Map<String, String> values = Map.ofEntries(Map.entry("select", dbt.path("select").asText()),
                Map.entry("vars", dbt.has("vars") ? MAPPER.writeValueAsString(dbt.get("vars")) : "{}"),
                Map.entry("min_date", dbt.path("vars").path("min_date").asText("")),
                Map.entry("max_date", dbt.path("vars").path("max_date").asText("")),
                Map.entry("dataset", event.path("dataset").asText("")),
                Map.entry("table", event.path("table").asText("")),
                Map.entry("partition", event.path("partition").asText("")),
                Map.entry("partition_value", event.path("partitionValue").asText("")),
                Map.entry("database", event.path("database").asText("")),
                Map.entry("export", event.path("export").asText("")),
                Map.entry("load_id", event.path("loadId").asText("")));
        List<String> command = new ArrayList<>();
        for (String argument : template) {
            for (var value : values.entrySet()) {
                argument = argument.replace("{" + value.getKey() + "}", value.getValue());
            }
            command.add(argument);
        }
        System.out.println("dbt-trigger: load " + values.get("load_id") + ": running " + command);
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        System.out.println("dbt-trigger: load " + values.get("load_id") + ": exit " + exit);
    }
}
