package io.duckload.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;

/**
 * A real KRaft broker in its own JVM (the Maven jars of the test class path, as {@code bin/kafka-broker.sh} runs
 * them) with secured listeners: SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SSL with server verification
 * only, and SSL requiring a client certificate (mTLS). The certificates are made here with {@code keytool}: one CA,
 * a broker certificate for 127.0.0.1 and a client certificate. A PLAINTEXT listener serves the broker itself and
 * the test's own clients, which watch what the service does.
 */
public final class SecureKafkaBroker implements AutoCloseable {

    /** PLAIN user, SCRAM-SHA-256 user and SCRAM-SHA-512 user, each with its password. */
    public static final String PLAIN_USER = "duckload-plain";
    public static final String SCRAM_256_USER = "duckload-scram256";
    public static final String SCRAM_512_USER = "duckload-scram512";

    private final Path dir;
    private final String storePassword;
    private final Map<String, Integer> ports;
    private final Map<String, String> passwords;
    private final Process process;

    private SecureKafkaBroker(Path dir, String storePassword, Map<String, Integer> ports,
            Map<String, String> passwords, Process process) {
        this.dir = dir;
        this.storePassword = storePassword;
        this.ports = ports;
        this.passwords = passwords;
        this.process = process;
    }

    /** Makes the certificates, formats the storage with the SCRAM users and starts the broker in {@code dir}. */
    public static SecureKafkaBroker start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String storePassword = "store-" + UUID.randomUUID();
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : List.of(PLAIN_USER, SCRAM_256_USER, SCRAM_512_USER)) {
            passwords.put(user, "pw-" + UUID.randomUUID());
        }
        Certificates.make(dir, storePassword);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String listener : List.of("INTERNAL", "CONTROLLER", "SASL", "TLS", "MTLS")) {
            ports.put(listener, KafkaBroker.freePort());
        }
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir, storePassword, ports, passwords.get(PLAIN_USER)));
        // SCRAM credentials are per mechanism: a user added for SCRAM-SHA-256 cannot log in with SCRAM-SHA-512.
        // They are written into the bootstrap metadata only when the storage is formatted, never on a restart.
        run(dir.resolve("format.log"), JavaProgram.java(), "-cp", JavaProgram.testClassPath(),
                "kafka.tools.StorageTool", "format", "--config", config.toString(),
                "--cluster-id", "duckload-test-" + UUID.randomUUID().toString().substring(0, 8),
                "--add-scram", "SCRAM-SHA-256=[name=" + SCRAM_256_USER + ",password=" + passwords.get(SCRAM_256_USER) + "]",
                "--add-scram", "SCRAM-SHA-512=[name=" + SCRAM_512_USER + ",password=" + passwords.get(SCRAM_512_USER) + "]");
        Process process = new ProcessBuilder(JavaProgram.java(), "-Xms128m", "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                JavaProgram.testClassPath(), "kafka.Kafka", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        SecureKafkaBroker broker = new SecureKafkaBroker(dir, storePassword, ports, passwords, process);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("broker exited; see " + dir.resolve("broker.log"));
                        }
                        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.internalBootstrap()))) {
                            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                        }
                    });
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The unauthenticated listener, for the test's own clients only. */
    public String internalBootstrap() {
        return "127.0.0.1:" + ports.get("INTERNAL");
    }

    public String password(String user) {
        return passwords.get(user);
    }

    /** Client settings (environment variables of the service) for SASL_PLAINTEXT with this mechanism and user. */
    public Map<String, String> sasl(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + ports.get("SASL"));
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", mechanism);
        env.put("KAFKA_SASL_JAAS_CONFIG",
                module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return env;
    }

    /** Client settings for the SSL listener: the broker's certificate verified against the test CA. */
    public Map<String, String> tls() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + ports.get("TLS"));
        env.put("KAFKA_SECURITY_PROTOCOL", "SSL");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", dir.resolve("truststore.p12").toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", storePassword);
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        return env;
    }

    /** Trust settings only, pointed at the listener that requires a client certificate: the broker refuses it. */
    public Map<String, String> tlsWithoutClientCertificate() {
        Map<String, String> env = tls();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + ports.get("MTLS"));
        return env;
    }

    /** Client settings for the listener that requires a client certificate. */
    public Map<String, String> mutualTls() {
        Map<String, String> env = tls();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + ports.get("MTLS"));
        env.put("KAFKA_SSL_KEYSTORE_LOCATION", dir.resolve("client.p12").toString());
        env.put("KAFKA_SSL_KEYSTORE_PASSWORD", storePassword);
        env.put("KAFKA_SSL_KEYSTORE_TYPE", "PKCS12");
        return env;
    }

    /** Creates the topics on the internal listener, so no test depends on auto-creation. */
    public void createTopics(Collection<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", internalBootstrap()))) {
            List<NewTopic> created = new ArrayList<>();
            for (String topic : topics) {
                created.add(new NewTopic(topic, 1, (short) 1));
            }
            admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String serverProperties(Path dir, String storePassword, Map<String, Integer> ports,
            String plainPassword) {
        String ssl = "ssl.keystore.location=%1$s/broker.p12%nssl.keystore.password=%2$s%nssl.keystore.type=PKCS12%n"
                + "ssl.truststore.location=%1$s/truststore.p12%nssl.truststore.password=%2$s%n"
                + "ssl.truststore.type=PKCS12%n";
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=INTERNAL://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d,SASL://127.0.0.1:%3$d,\
                TLS://127.0.0.1:%4$d,MTLS://127.0.0.1:%5$d
                advertised.listeners=INTERNAL://127.0.0.1:%1$d,SASL://127.0.0.1:%3$d,TLS://127.0.0.1:%4$d,\
                MTLS://127.0.0.1:%5$d
                inter.broker.listener.name=INTERNAL
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASL:SASL_PLAINTEXT,TLS:SSL,\
                MTLS:SSL
                # Every mechanism the listener accepts must be enabled on it and have its own login module line.
                listener.name.sasl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
                listener.name.sasl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule \
                required user_%6$s="%7$s";
                listener.name.sasl.scram-sha-256.sasl.jaas.config=\
                org.apache.kafka.common.security.scram.ScramLoginModule required;
                listener.name.sasl.scram-sha-512.sasl.jaas.config=\
                org.apache.kafka.common.security.scram.ScramLoginModule required;
                listener.name.mtls.ssl.client.auth=required
                log.dirs=%8$s
                num.partitions=1
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(ports.get("INTERNAL"), ports.get("CONTROLLER"), ports.get("SASL"), ports.get("TLS"),
                ports.get("MTLS"), PLAIN_USER, plainPassword, dir.resolve("data"))
                + ssl.formatted(dir, storePassword);
    }

    static void run(Path log, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command).replaceAll("password=[^,\\]]*", "password=…")
                    + " failed; see " + log);
        }
    }

    /** The test PKI, made with the JDK's keytool: a CA, a broker certificate for 127.0.0.1, a client certificate. */
    private record Certificates(Path dir, String password) {

        static void make(Path dir, String password) throws IOException, InterruptedException {
            Certificates pki = new Certificates(dir, password);
            pki.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=duckload-test-ca", "-ext", "bc:c",
                    "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-keystore", "ca.p12");
            pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
            pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12");
            for (String name : List.of("broker", "client")) {
                String store = name + ".p12";
                pki.keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "RSA", "-keysize",
                        "2048", "-validity", "2", "-keystore", store);
                pki.keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
                pki.keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr",
                        "-outfile", name + ".pem", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost");
                pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
                pki.keytool("-importcert", "-alias", name, "-file", name + ".pem", "-keystore", store);
            }
        }

        /** Runs keytool in {@code dir}: every file argument is a name in that folder. */
        private void keytool(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            for (int i = 0; i < args.length; i++) {
                boolean file = i > 0 && List.of("-keystore", "-file", "-infile", "-outfile").contains(args[i - 1]);
                command.add(file ? dir.resolve(args[i]).toString() : args[i]);
            }
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
            run(dir.resolve("keytool.log"), command.toArray(String[]::new));
        }
    }
}
