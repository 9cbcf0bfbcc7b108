import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a DuckDB file read-only from a process of its own, as dbt would (single-file program for HandoffIT).
 * {@code count <file> <min_date> <max_date> <label>} prints the trips picked up in [min_date, max_date);
 * {@code hold <file> <millis>} keeps the file open (and so locked against writers) for that long.
 */
public class DuckFile {

    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("duckdb.read_only", "true");
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        long deadline = System.currentTimeMillis() + ("hold".equals(args[0]) ? 60_000 : 10_000);
        for (int attempt = 1;; attempt++) {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[1], settings)) {
                if ("hold".equals(args[0])) {
                    System.out.println("holding after " + attempt + " tries");
                    System.out.flush();
                    Thread.sleep(Long.parseLong(args[2]));
                    System.out.println("releasing");
                } else {
                    try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM trips "
                            + "WHERE pickup_datetime >= CAST(? AS DATE) AND pickup_datetime < CAST(? AS DATE)")) {
                        query.setString(1, args[2]);
                        query.setString(2, args[3]);
                        try (ResultSet rs = query.executeQuery()) {
                            rs.next();
                            System.out.println("count " + args[4] + " " + rs.getLong(1) + " tries " + attempt);
                        }
                    }
                }
                return;
            } catch (SQLException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                System.out.println("locked (try " + attempt + "): " + e.getMessage().lines().findFirst().orElse(""));
                Thread.sleep(100);
            }
        }
    }
}
