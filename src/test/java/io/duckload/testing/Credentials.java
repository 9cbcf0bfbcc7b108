package io.duckload.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;

/**
 * Credentials the tests present to the API: JWTs signed with a key pair generated for this JVM (its private key is
 * never written anywhere) and one basic-auth user with a random password, configured as an operator would.
 */
public final class Credentials {

    public static final String ISSUER = "https://issuer.duckload.test";
    public static final String OPERATOR_ROLE = "operator";

    private static final KeyPair KEYS = generate();
    /** A basic-auth user unique to this JVM, with the operator role. */
    public static final String BASIC_USER = "ops-" + UUID.randomUUID().toString().substring(0, 8);
    public static final String BASIC_PASSWORD = UUID.randomUUID().toString();

    private Credentials() {
    }

    /** A bearer token of {@code subject} with these {@code groups}, valid for five minutes. */
    public static String token(String subject, String... groups) {
        return Jwt.issuer(ISSUER).upn(subject).groups(Set.of(groups)).expiresIn(300).sign(KEYS.getPrivate());
    }

    /** A token signed by another key: well formed, but not one the service may trust. */
    public static String foreignToken(String subject, String... groups) {
        return Jwt.issuer(ISSUER).upn(subject).groups(Set.of(groups)).expiresIn(300).sign(generate().getPrivate());
    }

    /** The service configuration that trusts these credentials; the public key is written into {@code directory}. */
    public static Map<String, String> serviceConfig(Path directory) {
        Path publicKey = directory.resolve("jwt-public-key.pem");
        try {
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mp.jwt.verify.publickey.location", publicKey.toUri().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        config.put("quarkus.security.users.embedded.users." + BASIC_USER, basicHash());
        config.put("quarkus.security.users.embedded.roles." + BASIC_USER, OPERATOR_ROLE);
        return config;
    }

    /** JVM options of a packaged service that make {@link #BASIC_USER} an operator (basic auth). */
    public static String[] operatorOptions() {
        return new String[] { "-Dquarkus.security.users.embedded.users." + BASIC_USER + "=" + basicHash(),
                "-Dquarkus.security.users.embedded.roles." + BASIC_USER + "=" + OPERATOR_ROLE };
    }

    /** The {@code Authorization} header value of {@link #BASIC_USER}. */
    public static String basicHeader() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((BASIC_USER + ":" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** The basic user's password as configured: hex SHA-512 of {@code user:Quarkus:password}. */
    public static String basicHash() {
        String text = BASIC_USER + ":Quarkus:" + BASIC_PASSWORD;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
