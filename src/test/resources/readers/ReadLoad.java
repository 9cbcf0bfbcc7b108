import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens duckload's DuckDB file read-only from a process of its own with whichever duckdb_jdbc is on its class path,
 * as a dbt run on another DuckDB release would (single-file program for OtherReadersTest).
 * {@code <file> <load id> <table> <partition column>} prints the reader's DuckDB version, the rows the ledger
 * records for the load and the rows the table holds in the load's partition:
 * {@code reader v1.4.4 ledger 1500 table 1500}. Retries while the writer holds the file.
 */
public class ReadLoad {

    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("duckdb.read_only", "true");
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        long deadline = System.currentTimeMillis() + 30_000;
        for (int attempt = 1;; attempt++) {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0], settings);
                    PreparedStatement query = connection.prepareStatement("SELECT version(), l.rows_inserted, "
                            + "(SELECT count(*) FROM " + args[2] + " t WHERE t." + args[3] + " = l.partition_value) "
                            + "FROM duckload_loads l WHERE l.load_id = ?")) {
                query.setString(1, args[1]);
                try (ResultSet row = query.executeQuery()) {
                    System.out.println(row.next()
                            ? "reader " + row.getString(1) + " ledger " + row.getLong(2) + " table " + row.getLong(3)
                            : "reader: no load " + args[1]);
                }
                return;
            } catch (SQLException e) {
                String message = String.valueOf(e.getMessage());
                if (!message.contains("lock") || System.currentTimeMillis() > deadline) {
                    System.out.println("error " + message.lines().findFirst().orElse(""));
                    return;
                }
                Thread.sleep(100);
            }
        }
    }
}
